import { Client, Clinic, IntakeRecord, Practitioner, type Clock, type Db, systemClock, type TenantTx } from '@fascia/db';
import { PlanningInputError, screen, summarizeScreening, validateIntake, type Complaint, type ScreeningFinding } from '@fascia/planning';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, forbidden, fromPlanningError, notFound } from '../../common/errors';
import { parse, uuid } from '../../common/validation';
import { toFinding, type IntakeType } from './intake.types';
import { assertClientWritable, canReadRecord, inClinicScope } from '../../auth/scope';
import { ownPractitioner } from '../practitioner/practitioner.service';

const recordSchema = z.object({
  clientId: uuid,
  clinicId: uuid,
  practitionerId: uuid.nullish(),
  intake: z.record(z.string(), z.unknown(), { message: 'must be an object' }),
});

/**
 * The practitioner acting: the one named, or the caller's own practitioner record. A caller
 * who is only a practitioner acts as themselves.
 */
async function actingPractitioner(tx: TenantTx, tenant: Tenant, practitionerId: string | null | undefined, field: string): Promise<Practitioner> {
  const repo = tx.repo(Practitioner);
  const onlyPractitioner = !tenant.roles.some((r) => r === 'ORG_ADMIN' || r === 'CLINIC_MANAGER');
  if (practitionerId) {
    const p = await repo.findOneBy({ id: practitionerId });
    if (!p) throw badInput(field, `No practitioner with id ${practitionerId} exists in your organization.`);
    if (onlyPractitioner && p.userId !== tenant.userId) throw forbidden('A practitioner records clinical work as themselves, not for another practitioner.');
    return p;
  }
  const own = await ownPractitioner(tx, tenant);
  if (!own) throw badInput(field, `${field} is required: you have no practitioner record of your own to act as.`);
  return own;
}

export function toIntakeDto(r: IntakeRecord): IntakeType {
  const complaints = ((r.data.complaints ?? []) as Complaint[]).map((c) => ({
    id: c.id,
    region: c.region,
    side: c.side,
    widespread: c.widespread === true,
    onsetDate: c.onsetDate,
    chronicity: c.chronicity,
    cause: c.cause,
    painNow: c.painNow,
    painWorst: c.painWorst,
  }));
  return {
    id: r.id,
    clientId: r.clientId,
    version: r.version,
    clinicId: r.clinicId,
    practitionerId: r.practitionerId,
    blocked: r.blocked,
    findings: (r.findings as unknown as ScreeningFinding[]).map(toFinding),
    complaints,
    data: r.data,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

export class IntakeService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Validates the intake, screens it, and stores it as the client's next intake version. */
  record(tenant: Tenant, input: unknown, now = this.clock.now()): Promise<IntakeRecord> {
    const data = parse(recordSchema, input);
    if (!inClinicScope(tenant, data.clinicId)) throw forbidden('Your role is limited to other clinics.');
    let intake;
    try {
      intake = validateIntake(data.intake, { now });
    } catch (err) {
      if (err instanceof PlanningInputError) throw fromPlanningError(err, 'input.intake');
      throw err;
    }
    const findings = screen(intake);
    const blocked = summarizeScreening(findings).blocked;
    return this.db.tenant(tenant, async (tx) => {
      // Lock the client row: concurrent saves for one client take versions one after the other.
      const client = await tx.repo(Client).qb('c').andWhere('c.id = :id', { id: data.clientId }).setLock('pessimistic_write').getOne();
      if (!client) throw notFound('client', data.clientId);
      await assertClientWritable(tx, tenant, client.id, 'intake.create');
      if (!(await tx.repo(Clinic).existsBy({ id: data.clinicId }))) {
        throw badInput('input.clinicId', `No clinic with id ${data.clinicId} exists in your organization.`);
      }
      const practitioner = await actingPractitioner(tx, tenant, data.practitionerId, 'input.practitionerId');
      const last = await tx.repo(IntakeRecord).qb('i').select('max(i.version)', 'max').andWhere('i.clientId = :c', { c: client.id }).getRawOne<{ max: number | null }>();
      const record = await tx.repo(IntakeRecord).insert({
        clientId: client.id,
        version: (last?.max ?? 0) + 1,
        clinicId: data.clinicId,
        practitionerId: practitioner.id,
        data: intake as unknown as Record<string, unknown>,
        findings: findings as unknown as Record<string, unknown>[],
        blocked,
        createdBy: tenant.userId,
      });
      await tx.audit({
        action: 'intake.create',
        recordType: 'intake',
        recordId: record.id,
        detail: { clientId: client.id, version: record.version, blocked, findings: findings.map((f) => f.ruleId) },
      });
      return record;
    });
  }

  get(tenant: Tenant, id: string): Promise<IntakeRecord | null> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, async (tx) => {
      const record = await tx.repo(IntakeRecord).findOneBy({ id });
      if (!record) return null;
      if (!(await canReadRecord(tx, tenant, { recordType: 'intake', id, clinicId: record.clinicId }, 'intake.read'))) return null;
      await tx.audit({ action: 'intake.read', recordType: 'intake', recordId: id });
      return record;
    });
  }
}
