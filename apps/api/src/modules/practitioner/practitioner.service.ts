import { Clinic, DISCIPLINES, MODALITIES, PG, pgError, Practitioner, PractitionerAvailability, type Db, type TenantTx } from '@fascia/db';
import { In } from 'typeorm';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, conflict, notFound } from '../../common/errors';
import { decodeCursor, pageSize, toPage, type Page } from '../../common/pagination';
import { email, firstOverlap, fromMinutes, name, parse, toMinutes, uuid, weeklyWindow } from '../../common/validation';

const availabilityWindow = z.object({ clinicId: uuid }).and(weeklyWindow);
const availabilityList = z
  .array(availabilityWindow)
  .max(50, 'at most 50 windows')
  .superRefine((windows, ctx) => {
    const i = firstOverlap(windows);
    if (i !== null) ctx.addIssue({ code: 'custom', path: [i], message: 'overlaps another window of the same weekday (a practitioner is in one place at a time)' });
  });
const createSchema = z.object({
  displayName: name(200),
  discipline: z.enum(DISCIPLINES),
  modalities: z.array(z.enum(MODALITIES)).max(MODALITIES.length).transform((m) => [...new Set(m)]),
  email: email.nullish(),
  availability: availabilityList.nullish(),
});
const updateSchema = createSchema.omit({ availability: true }).partial();

export interface AvailabilityDto {
  id: string;
  clinicId: string;
  weekday: number;
  start: string;
  end: string;
}

export const toAvailabilityDto = (a: PractitionerAvailability): AvailabilityDto => ({
  id: a.id,
  clinicId: a.clinicId,
  weekday: a.weekday,
  start: fromMinutes(a.startMinute),
  end: fromMinutes(a.endMinute),
});

export class PractitionerService {
  constructor(private readonly db: Db) {}

  list(
    tenant: Tenant,
    args: { first?: number | null; after?: string | null; clinicId?: string | null; discipline?: string | null },
  ): Promise<Page<Practitioner>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after);
    if (args.clinicId) parse(uuid, args.clinicId, 'clinicId');
    return this.db.tenant(tenant, async (tx) => {
      const qb = tx.repo(Practitioner).qb('p').andWhere('p.archivedAt IS NULL');
      if (args.discipline) qb.andWhere('p.discipline = :d', { d: args.discipline });
      if (args.clinicId) {
        qb.andWhere('EXISTS (SELECT 1 FROM practitioner_availability a WHERE a.practitioner_id = p.id AND a.clinic_id = :clinicId)', {
          clinicId: args.clinicId,
        });
      }
      const total = await qb.clone().getCount();
      if (after) qb.andWhere('(p.displayName, p.id) > (:name, :id)', { name: after[0], id: after[1] });
      const rows = await qb.orderBy('p.displayName', 'ASC').addOrderBy('p.id', 'ASC').take(size + 1).getMany();
      return toPage(rows, size, total, (p) => p.displayName);
    });
  }

  get(tenant: Tenant, id: string): Promise<Practitioner | null> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, (tx) => tx.repo(Practitioner).findOneBy({ id }));
  }

  create(tenant: Tenant, input: unknown): Promise<Practitioner> {
    const data = parse(createSchema, input);
    return this.db.tenant(tenant, async (tx) => {
      const practitioner = await tx.repo(Practitioner).insert({
        displayName: data.displayName,
        discipline: data.discipline,
        modalities: data.modalities,
        email: data.email ?? null,
        userId: null,
      });
      if (data.availability?.length) await this.writeAvailability(tx, practitioner.id, data.availability, 'input.availability');
      await tx.audit({ action: 'practitioner.create', recordType: 'practitioner', recordId: practitioner.id });
      return practitioner;
    });
  }

  update(tenant: Tenant, id: string, input: unknown): Promise<Practitioner> {
    parse(uuid, id, 'id');
    const patch = parse(updateSchema, input);
    return this.db.tenant(tenant, async (tx) => {
      const repo = tx.repo(Practitioner);
      if (!(await repo.existsBy({ id }))) throw notFound('practitioner', id);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<Practitioner>;
      if (Object.keys(defined).length) await repo.update({ id }, defined);
      await tx.audit({ action: 'practitioner.update', recordType: 'practitioner', recordId: id, detail: { fields: Object.keys(defined) } });
      return (await repo.findOneBy({ id })) as Practitioner;
    });
  }

  /** Replaces the practitioner's weekly availability, all or nothing. */
  setAvailability(tenant: Tenant, practitionerId: string, windows: unknown): Promise<Practitioner> {
    parse(uuid, practitionerId, 'practitionerId');
    const list = parse(availabilityList, windows, 'windows');
    return this.db.tenant(tenant, async (tx) => {
      const practitioner = await tx.repo(Practitioner).findOneBy({ id: practitionerId });
      if (!practitioner) throw notFound('practitioner', practitionerId);
      await tx.repo(PractitionerAvailability).delete({ practitionerId });
      await this.writeAvailability(tx, practitionerId, list, 'windows');
      await tx.audit({ action: 'practitioner.availability_set', recordType: 'practitioner', recordId: practitionerId, detail: { windows: list.length } });
      return practitioner;
    });
  }

  private async writeAvailability(
    tx: TenantTx,
    practitionerId: string,
    windows: { clinicId: string; weekday: number; start: string; end: string }[],
    field: string,
  ): Promise<void> {
    const clinicIds = [...new Set(windows.map((w) => w.clinicId))];
    const clinics = await tx.repo(Clinic).findBy({ id: In(clinicIds) });
    const byId = new Map(clinics.map((c) => [c.id, c]));
    windows.forEach((w, i) => {
      const clinic = byId.get(w.clinicId);
      if (!clinic) throw badInput(`${field}[${i}].clinicId`, `No clinic with id ${w.clinicId} exists in your organization.`);
      const open = clinic.openingHours.filter((o) => o.weekday === w.weekday);
      const inside = open.some((o) => toMinutes(o.start) <= toMinutes(w.start) && toMinutes(w.end) <= toMinutes(o.end));
      if (!inside) {
        const hours = open.length ? open.map((o) => `${o.start}–${o.end}`).join(', ') : 'closed';
        throw badInput(`${field}[${i}]`, `${clinic.name} is open ${hours} on that day; availability ${w.start}–${w.end} must fall within its opening hours.`);
      }
    });
    try {
      await tx.em.insert(
        PractitionerAvailability,
        windows.map((w) => ({
          organizationId: tx.organizationId,
          practitionerId,
          clinicId: w.clinicId,
          weekday: w.weekday,
          startMinute: toMinutes(w.start),
          endMinute: toMinutes(w.end),
        })),
      );
    } catch (err) {
      if (pgError(err)?.code === PG.EXCLUSION_VIOLATION) {
        throw conflict('Two availability windows overlap on the same weekday; a practitioner is in one place at a time.', { field });
      }
      throw err;
    }
  }
}

/** The signed-in user's own practitioner record in this organization, if they have one (at most one: a unique index). */
export function ownPractitioner(tx: TenantTx, tenant: { userId: string | null }): Promise<Practitioner | null> {
  return tenant.userId ? tx.repo(Practitioner).findOneBy({ userId: tenant.userId }) : Promise.resolve(null);
}
