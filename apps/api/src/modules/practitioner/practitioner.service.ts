import { Clinic, DISCIPLINES, Membership, MODALITIES, PG, pgError, Practitioner, PractitionerAvailability, type Db, type TenantTx } from '@fascia/db';
import { In } from 'typeorm';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { AppError, badInput, conflict, forbidden, notFound } from '../../common/errors';
import { inClinicScope } from '../../auth/scope';
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
        qb.andWhere('EXISTS (SELECT 1 FROM practitioner_availability a WHERE a.organization_id = p.organization_id AND a.practitioner_id = p.id AND a.clinic_id = :clinicId)', {
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
    assertWindowsInScope(tenant, data.availability ?? [], 'input.availability');
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
      await assertReaches(tx, tenant, id);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<Practitioner>;
      if (Object.keys(defined).length) await repo.update({ id }, defined);
      await tx.audit({ action: 'practitioner.update', recordType: 'practitioner', recordId: id, detail: { fields: Object.keys(defined) } });
      return (await repo.findOneBy({ id })) as Practitioner;
    });
  }

  /**
   * Replaces the practitioner's weekly availability at the clinics the caller's roles reach
   * (an organization admin: every clinic), all or nothing; windows at other clinics stay. An
   * empty list is refused: clearing is {@link clearAvailability}, one clinic at a time.
   */
  setAvailability(tenant: Tenant, practitionerId: string, windows: unknown): Promise<Practitioner> {
    parse(uuid, practitionerId, 'practitionerId');
    const list = parse(availabilityList, windows, 'windows');
    if (list.length === 0) {
      throw badInput('windows', 'windows is empty: give at least one window, or use clearPractitionerAvailability to remove a clinic’s windows.');
    }
    assertWindowsInScope(tenant, list, 'windows');
    return this.db.tenant(tenant, async (tx) => {
      const practitioner = await tx.repo(Practitioner).findOneBy({ id: practitionerId });
      if (!practitioner) throw notFound('practitioner', practitionerId);
      await assertReaches(tx, tenant, practitionerId);
      await tx.repo(PractitionerAvailability).delete(tenant.clinicIds === null ? { practitionerId } : { practitionerId, clinicId: In(tenant.clinicIds) });
      await this.writeAvailability(tx, practitionerId, list, 'windows');
      await tx.audit({ action: 'practitioner.availability_set', recordType: 'practitioner', recordId: practitionerId, detail: { windows: list.length } });
      return practitioner;
    });
  }

  /** Removes every window of the practitioner at one clinic (an explicit action, never an empty list). */
  clearAvailability(tenant: Tenant, practitionerId: string, clinicId: string): Promise<Practitioner> {
    parse(uuid, practitionerId, 'practitionerId');
    parse(uuid, clinicId, 'clinicId');
    if (!inClinicScope(tenant, clinicId)) throw new AppError('FORBIDDEN', 'clinicId is a clinic your role does not reach.', { field: 'clinicId' });
    return this.db.tenant(tenant, async (tx) => {
      const practitioner = await tx.repo(Practitioner).findOneBy({ id: practitionerId });
      if (!practitioner) throw notFound('practitioner', practitionerId);
      if (!(await tx.repo(Clinic).existsBy({ id: clinicId }))) throw badInput('clinicId', `No clinic with id ${clinicId} exists in your organization.`);
      const removed = await tx.repo(PractitionerAvailability).delete({ practitionerId, clinicId });
      await tx.audit({ action: 'practitioner.availability_clear', recordType: 'practitioner', recordId: practitionerId, detail: { clinicId, windows: removed } });
      return practitioner;
    });
  }

  /** Links a member's login to the practitioner record: they then act as that practitioner. */
  linkLogin(tenant: Tenant, practitionerId: string, userId: string): Promise<Practitioner> {
    parse(uuid, practitionerId, 'practitionerId');
    parse(uuid, userId, 'userId');
    return this.db.tenant(tenant, async (tx) => {
      const repo = tx.repo(Practitioner);
      const practitioner = await repo.findOneBy({ id: practitionerId });
      if (!practitioner) throw notFound('practitioner', practitionerId);
      const member = await tx.repo(Membership).qb('m').andWhere('m.userId = :userId', { userId }).andWhere(`m.status <> 'REVOKED'`).getCount();
      if (member === 0) throw badInput('userId', `No member with user id ${userId} exists in your organization.`);
      await linkPractitioner(tx, practitioner, userId, 'practitionerId');
      await tx.audit({ action: 'practitioner.login_link', recordType: 'practitioner', recordId: practitionerId, detail: { userId } });
      return { ...practitioner, userId };
    });
  }

  unlinkLogin(tenant: Tenant, practitionerId: string): Promise<Practitioner> {
    parse(uuid, practitionerId, 'practitionerId');
    return this.db.tenant(tenant, async (tx) => {
      const repo = tx.repo(Practitioner);
      const practitioner = await repo.findOneBy({ id: practitionerId });
      if (!practitioner) throw notFound('practitioner', practitionerId);
      await repo.update({ id: practitionerId }, { userId: null });
      await tx.audit({ action: 'practitioner.login_unlink', recordType: 'practitioner', recordId: practitionerId, detail: { userId: practitioner.userId } });
      return { ...practitioner, userId: null };
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

/**
 * Sets the practitioner's login. CONFLICT when the record is already another login's, or the
 * login already acts as another practitioner here (one practitioner per login: a unique index).
 */
export async function linkPractitioner(tx: TenantTx, practitioner: Practitioner, userId: string, field: string): Promise<void> {
  if (practitioner.userId === userId) return;
  if (practitioner.userId) {
    throw conflict(`${practitioner.displayName} is already linked to another login; unlink it first.`, { field });
  }
  const other = await tx.repo(Practitioner).findOneBy({ userId });
  if (other) throw conflict(`That login already acts as the practitioner ${other.displayName}; unlink it first.`, { field, practitionerId: other.id });
  try {
    await tx.repo(Practitioner).update({ id: practitioner.id }, { userId });
  } catch (err) {
    if (pgError(err)?.code === PG.UNIQUE_VIOLATION) throw conflict('That login was linked to another practitioner at the same time; reload and try again.', { field });
    throw err;
  }
}

/** Windows at clinics the caller's roles do not reach: FORBIDDEN naming the first. */
function assertWindowsInScope(tenant: Tenant, windows: { clinicId: string }[], field: string): void {
  const i = windows.findIndex((w) => !inClinicScope(tenant, w.clinicId));
  if (i >= 0) throw new AppError('FORBIDDEN', `${field}[${i}].clinicId is a clinic your role does not reach.`, { field: `${field}[${i}].clinicId` });
}

/**
 * A member limited to clinics reaches a practitioner who works at one of those clinics (has
 * availability there) or has no availability yet; one who works only elsewhere is FORBIDDEN.
 */
export async function assertReaches(tx: TenantTx, tenant: Tenant, practitionerId: string): Promise<void> {
  if (tenant.clinicIds === null) return;
  const at = new Set((await tx.repo(PractitionerAvailability).findBy({ practitionerId })).map((a) => a.clinicId));
  if (at.size === 0 || [...at].some((c) => inClinicScope(tenant, c))) return;
  throw forbidden('This practitioner works only at clinics your role does not reach; ask an organization admin.');
}

/** The signed-in user's own practitioner record in this organization, if they have one (at most one: a unique index). */
export function ownPractitioner(tx: TenantTx, tenant: { userId: string | null }): Promise<Practitioner | null> {
  return tenant.userId ? tx.repo(Practitioner).findOneBy({ userId: tenant.userId }) : Promise.resolve(null);
}
