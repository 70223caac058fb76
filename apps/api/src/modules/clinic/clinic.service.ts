import { Clinic, PG, pgError, Room, type Db } from '@fascia/db';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, conflict, forbidden, notFound } from '../../common/errors';
import { decodeCursor, pageSize, toPage, type Page } from '../../common/pagination';
import { firstOverlap, name, parse, timeZone, uuid, weeklyWindow, optionalText } from '../../common/validation';
import { inClinicScope } from '../../auth/scope';

/** How far ahead a clinic may take bookings (clinic.max_booking_horizon_days; the column's CHECK says the same). */
export const MIN_BOOKING_HORIZON_DAYS = 1;
export const MAX_BOOKING_HORIZON_DAYS = 1095;

const openingHours = z
  .array(weeklyWindow)
  .max(21, 'at most 3 windows a day')
  .superRefine((windows, ctx) => {
    const i = firstOverlap(windows);
    if (i !== null) ctx.addIssue({ code: 'custom', path: [i], message: 'overlaps another window of the same day' });
  });

const clinicFields = {
  name: name(200),
  addressLine1: name(200),
  addressLine2: optionalText(200),
  city: name(100),
  region: optionalText(100),
  postalCode: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$/, 'must be a postal code (letters, digits, spaces or dashes)').nullish(),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code such as GB or US'),
  timeZone,
  openingHours,
  phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number such as +44 20 7946 0000').nullish(),
};
const createSchema = z.object(clinicFields);
const updateSchema = z
  .object({
    ...clinicFields,
    lateCancelHours: z.number().int('must be whole hours').min(0, 'must be 0 to 168 hours').max(168, 'must be 0 to 168 hours'),
    maxBookingHorizonDays: z
      .number()
      .int('must be whole days')
      .min(MIN_BOOKING_HORIZON_DAYS, `must be ${MIN_BOOKING_HORIZON_DAYS} to ${MAX_BOOKING_HORIZON_DAYS} days`)
      .max(MAX_BOOKING_HORIZON_DAYS, `must be ${MIN_BOOKING_HORIZON_DAYS} to ${MAX_BOOKING_HORIZON_DAYS} days`),
  })
  .partial();
const roomSchema = z.object({ clinicId: uuid, name: name(100) });

export function canManageClinic(tenant: Tenant, clinicId: string): boolean {
  if (tenant.roles.includes('ORG_ADMIN')) return true;
  return tenant.roles.includes('CLINIC_MANAGER') && inClinicScope(tenant, clinicId);
}

export class ClinicService {
  constructor(private readonly db: Db) {}

  list(tenant: Tenant, args: { first?: number | null; after?: string | null }): Promise<Page<Clinic>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after);
    return this.db.tenant(tenant, async (tx) => {
      const qb = tx.repo(Clinic).qb('c').andWhere('c.archivedAt IS NULL');
      if (tenant.clinicIds) qb.andWhere('c.id IN (:...ids)', { ids: tenant.clinicIds.length ? tenant.clinicIds : [null] });
      const total = await qb.clone().getCount();
      if (after) qb.andWhere('(c.name, c.id) > (:name, :id)', { name: after[0], id: after[1] });
      const rows = await qb.orderBy('c.name', 'ASC').addOrderBy('c.id', 'ASC').take(size + 1).getMany();
      return toPage(rows, size, total, (c) => c.name);
    });
  }

  get(tenant: Tenant, id: string): Promise<Clinic | null> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, (tx) => tx.repo(Clinic).findOneBy({ id }));
  }

  create(tenant: Tenant, input: unknown): Promise<Clinic> {
    const data = parse(createSchema, input);
    return this.db.tenant(tenant, async (tx) => {
      try {
        const clinic = await tx.repo(Clinic).insert({
          ...data,
          addressLine2: data.addressLine2 ?? null,
          region: data.region ?? null,
          postalCode: data.postalCode ?? null,
          phone: data.phone ?? null,
        });
        await tx.audit({ action: 'clinic.create', recordType: 'clinic', recordId: clinic.id });
        return clinic;
      } catch (err) {
        throw this.translate(err, data.name);
      }
    });
  }

  update(tenant: Tenant, id: string, input: unknown): Promise<Clinic> {
    parse(uuid, id, 'id');
    if (!canManageClinic(tenant, id)) throw forbidden('Only an organization admin or this clinic’s manager can change it.');
    const patch = parse(updateSchema, input);
    return this.db.tenant(tenant, async (tx) => {
      const repo = tx.repo(Clinic);
      if (!(await repo.existsBy({ id }))) throw notFound('clinic', id);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<Clinic>;
      try {
        if (Object.keys(defined).length) await repo.update({ id }, defined);
      } catch (err) {
        throw this.translate(err, patch.name ?? '');
      }
      await tx.audit({ action: 'clinic.update', recordType: 'clinic', recordId: id, detail: { fields: Object.keys(defined) } });
      return repo.findOneBy({ id }) as Promise<Clinic>;
    });
  }

  createRoom(tenant: Tenant, input: unknown): Promise<Room> {
    const data = parse(roomSchema, input);
    if (!canManageClinic(tenant, data.clinicId)) throw forbidden('Only an organization admin or this clinic’s manager can add rooms.');
    return this.db.tenant(tenant, async (tx) => {
      if (!(await tx.repo(Clinic).existsBy({ id: data.clinicId }))) throw notFound('clinic', data.clinicId);
      try {
        const room = await tx.repo(Room).insert(data);
        await tx.audit({ action: 'room.create', recordType: 'room', recordId: room.id });
        return room;
      } catch (err) {
        if (pgError(err)?.code === PG.UNIQUE_VIOLATION) throw conflict(`This clinic already has a room named “${data.name}”.`, { field: 'input.name' });
        throw err;
      }
    });
  }

  private translate(err: unknown, clinicName: string): unknown {
    const pg = pgError(err);
    if (pg?.code === PG.UNIQUE_VIOLATION) return conflict(`A clinic named “${clinicName}” already exists in your organization.`, { field: 'input.name' });
    if (pg?.code === PG.CHECK_VIOLATION) return badInput('input', `The clinic was refused by a data rule (${pg.constraint ?? 'check'}).`);
    return err;
  }
}
