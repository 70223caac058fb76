import { emitEvent } from '@fascia/jobs';
import { Appointment, type Clock, type Db, IntakeRecord, LIVE_PLAN_STATUSES, PG, pgError, type PlanStatusCode, PlanVersion, systemClock, type TenantTx, TreatmentPlanRecord } from '@fascia/db';
import {
  applyEdit, buildMaintenancePhase, expectedActiveSessions, HOME_CARE_KINDS, PlanningInputError, PRESSURE_TOLERANCES, proposePlan,
  type HomeCareKind, type Intake, type PlanChange, type PlanProposal, type TreatmentPlan,
} from '@fascia/planning';
import { In } from 'typeorm';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, conflict, fromPlanningError, notFound } from '../../common/errors';
import { name, parse, uuid } from '../../common/validation';
import { assertCanWriteRecord, canReadRecord, type ClinicalRecordType } from '../../auth/scope';
import { SETTABLE_STATUSES, type SettableStatus } from './treatment-plan.types';

const int = (min: number, max: number) => z.number().int(`must be a whole number`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const editSchema = z.object({
  reason: name(2000),
  phases: z
    .array(
      z.object({
        index: int(0, 20),
        frequencySessions: int(1, 7).nullish(),
        frequencyPerWeeks: int(1, 26).nullish(),
        sessionLengthMinutes: int(15, 180).nullish(),
        sessionsMin: int(1, 100).nullish(),
        sessionsLikely: int(1, 100).nullish(),
        sessionsMax: int(1, 100).nullish(),
        reassessEverySessions: int(1, 52).nullish(),
        reassessEveryWeeks: int(1, 52).nullish(),
      }),
    )
    .max(20)
    .nullish(),
  addTechniques: z
    .array(z.object({ complaintId: z.string().min(1), technique: z.string(), pressure: z.enum(PRESSURE_TOLERANCES).nullish() }))
    .max(50)
    .nullish(),
  removeTechniques: z.array(z.object({ complaintId: z.string().min(1), technique: z.string(), pressure: z.string().nullish() })).max(50).nullish(),
  homeCare: z
    .array(
      z.object({
        complaintId: z.string().min(1).nullish(),
        kind: z.enum(HOME_CARE_KINDS as [HomeCareKind, ...HomeCareKind[]]),
        description: name(500),
        daysPerWeek: int(1, 7),
      }),
    )
    .max(30)
    .nullish(),
});

/** The complaints a plan treats: region:side of each intake complaint, sorted, joined by +; `wellness` when there is none. */
function complaintKeyOf(intake: Pick<Intake, 'complaints'>): string {
  return [...new Set(intake.complaints.map((c) => `${c.region}:${c.side}`))].sort().join('+') || 'wellness';
}
const overlaps = (a: string, b: string): boolean => {
  const set = new Set(a.split('+'));
  return b.split('+').some((k) => set.has(k));
};

const blockedMessage = (body: PlanProposal): string =>
  body.blocked
    ? `Screening found ${body.findings.filter((f) => f.outcome === 'REFER_DO_NOT_TREAT').map((f) => f.finding).join(' ')} This plan cannot be accepted or edited: refer to a ${body.referral.to} (${body.referral.urgency}) first, then record a new intake.`
    : '';

/**
 * The plan row, locked for the rest of the transaction so versions are taken one after the
 * other; FORBIDDEN (audited as `action` DENIED) when its clinic is out of the member's scope.
 * The denial names `on` — the record the caller asked to write (a re-assessment of the plan
 * belongs to the plan's clinic) — or else the plan.
 */
export async function lockPlan(
  tx: TenantTx,
  tenant: Tenant,
  id: string,
  action: string,
  on: { recordType: ClinicalRecordType; id: string } = { recordType: 'plan', id },
): Promise<TreatmentPlanRecord> {
  const plan = await tx.repo(TreatmentPlanRecord).qb('p').andWhere('p.id = :id', { id }).setLock('pessimistic_write').getOne();
  if (!plan) throw notFound('plan', id);
  assertCanWriteRecord(tenant, { ...on, clinicId: plan.clinicId }, action);
  return plan;
}

export async function currentBody(tx: TenantTx, plan: TreatmentPlanRecord): Promise<PlanProposal> {
  const v = await tx.repo(PlanVersion).findOneBy({ planId: plan.id, version: plan.currentVersion });
  if (!v) throw new Error(`plan ${plan.id} has no version ${plan.currentVersion}`);
  return v.body as unknown as PlanProposal;
}

/** Sessions of the plan given so far: its appointments marked COMPLETED. */
export function completedSessions(tx: TenantTx, planId: string): Promise<number> {
  return tx.repo(Appointment).countBy({ planId, status: 'COMPLETED' });
}

/** Appends version current+1 with the body, who, when and why; moves the plan to `status`. */
export async function appendVersion(
  tx: TenantTx,
  plan: TreatmentPlanRecord,
  body: PlanProposal,
  changeKind: string,
  reason: string,
  status: PlanStatusCode,
): Promise<TreatmentPlanRecord> {
  const version = plan.currentVersion + 1;
  body.version = version;
  try {
    await tx.repo(TreatmentPlanRecord).update({ id: plan.id }, { status, currentVersion: version });
  } catch (err) {
    const pg = pgError(err);
    if (pg?.code === PG.UNIQUE_VIOLATION && pg.constraint === 'treatment_plan_one_active_per_complaint') {
      throw conflict('Another plan for the same complaint became active at the same time; reload the client’s plans.', { field: 'planId' });
    }
    throw err;
  }
  await tx.repo(PlanVersion).insert({
    planId: plan.id,
    version,
    body: body as unknown as Record<string, unknown>,
    changeKind,
    reason,
    changedBy: tx.tenant.userId as string,
  });
  await emitEvent(tx.em, 'plan.versioned', plan.organizationId, { planId: plan.id, clientId: plan.clientId, version: String(version), changeKind });
  return { ...plan, status, currentVersion: version };
}

export class TreatmentPlanService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  private logChange(body: TreatmentPlan, version: number, by: string, decision: string, reason: string, changes: string[]): void {
    body.changeLog.push({ version, at: this.clock.now().toISOString(), by, decision: decision as PlanChange['decision'], reason, changes });
  }

  get(tenant: Tenant, id: string): Promise<TreatmentPlanRecord | null> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, async (tx) => {
      const plan = await tx.repo(TreatmentPlanRecord).findOneBy({ id });
      if (!plan) return null;
      if (!(await canReadRecord(tx, tenant, { recordType: 'plan', id, clinicId: plan.clinicId }, 'plan.read'))) return null;
      await tx.audit({ action: 'plan.read', recordType: 'plan', recordId: id });
      return plan;
    });
  }

  /**
   * Proposes a plan from an intake and stores it as a PROPOSED plan (version 1), so the
   * practitioner can accept or edit it later. A blocked intake gives a stored blocked proposal
   * (findings and referral) that can never be accepted. Proposing again for the same intake
   * returns the pending proposal.
   */
  propose(tenant: Tenant, intakeId: string): Promise<TreatmentPlanRecord> {
    parse(uuid, intakeId, 'intakeId');
    return this.db.tenant(tenant, async (tx) => {
      const intake = await tx.repo(IntakeRecord).findOneBy({ id: intakeId });
      if (!intake) throw notFound('intake', intakeId);
      assertCanWriteRecord(tenant, { recordType: 'intake', id: intake.id, clinicId: intake.clinicId }, 'plan.propose');
      const pending = await tx.repo(TreatmentPlanRecord).findOneBy({ intakeId, status: 'PROPOSED' });
      if (pending) {
        await tx.audit({ action: 'plan.read', recordType: 'plan', recordId: pending.id });
        return pending;
      }
      const data = intake.data as unknown as Intake;
      let body: PlanProposal;
      try {
        // Judged as of the intake, so the plan matches what was assessed then.
        body = proposePlan(data, { now: data.assessedAt, by: tenant.userId });
      } catch (err) {
        if (err instanceof PlanningInputError) throw fromPlanningError(err, 'intakeId');
        throw err;
      }
      const now = this.clock.now().toISOString();
      body.createdAt = now;
      body.changeLog[0].at = now;
      const plan = await tx.repo(TreatmentPlanRecord).insert({
        clientId: intake.clientId,
        intakeId: intake.id,
        clinicId: intake.clinicId,
        practitionerId: intake.practitionerId,
        complaintKey: complaintKeyOf(data),
        status: 'PROPOSED',
        currentVersion: 1,
      });
      await tx.repo(PlanVersion).insert({
        planId: plan.id,
        version: 1,
        body: body as unknown as Record<string, unknown>,
        changeKind: body.blocked ? 'BLOCKED' : 'PROPOSED',
        reason: body.changeLog[0].reason.slice(0, 2000),
        changedBy: tenant.userId,
      });
      await emitEvent(tx.em, 'plan.versioned', tenant.organizationId, { planId: plan.id, clientId: plan.clientId, version: '1', changeKind: body.blocked ? 'BLOCKED' : 'PROPOSED' });
      await tx.audit({ action: 'plan.propose', recordType: 'plan', recordId: plan.id, detail: { intakeId, blocked: body.blocked } });
      return plan;
    });
  }

  /** Accepts a proposed plan: ACTIVE, a new version (ACCEPTED); one active plan per complaint. */
  accept(tenant: Tenant, planId: string, reason?: string | null): Promise<TreatmentPlanRecord> {
    parse(uuid, planId, 'planId');
    const why = parse(name(2000).nullish(), reason, 'reason') ?? 'Accepted as proposed.';
    return this.db.tenant(tenant, async (tx) => {
      const plan = await lockPlan(tx, tenant, planId, 'plan.accept');
      const body = await currentBody(tx, plan);
      if (body.blocked) throw conflict(blockedMessage(body), { field: 'planId', referTo: body.referral.to, rules: body.findings.map((f) => f.ruleId) });
      if (plan.status !== 'PROPOSED') throw conflict(`This plan is ${plan.status.toLowerCase()}, not proposed; only a proposed plan can be accepted.`, { field: 'planId' });
      const live = await tx.repo(TreatmentPlanRecord).findBy({ clientId: plan.clientId, status: In(LIVE_PLAN_STATUSES) });
      const clash = live.find((p) => p.id !== plan.id && overlaps(p.complaintKey, plan.complaintKey));
      if (clash) {
        throw conflict(
          `The client already has an ${clash.status.toLowerCase()} plan (${clash.id}) for ${clash.complaintKey}; complete or discontinue it before accepting another for the same complaint.`,
          { field: 'planId', planId: clash.id },
        );
      }
      body.status = 'active';
      this.logChange(body, plan.currentVersion + 1, tenant.userId, 'ACCEPTED', why, ['Plan accepted.']);
      const updated = await appendVersion(tx, plan, body, 'ACCEPTED', why, 'ACTIVE');
      await tx.audit({ action: 'plan.accept', recordType: 'plan', recordId: plan.id, detail: { version: updated.currentVersion } });
      return updated;
    });
  }

  /** A practitioner's edit as a new version: frequency, length, session range, cadence, techniques, home care. */
  edit(tenant: Tenant, planId: string, input: unknown): Promise<TreatmentPlanRecord> {
    parse(uuid, planId, 'planId');
    const data = parse(editSchema, input);
    return this.db.tenant(tenant, async (tx) => {
      const plan = await lockPlan(tx, tenant, planId, 'plan.edit');
      const body = await currentBody(tx, plan);
      if (body.blocked) throw conflict(blockedMessage(body), { field: 'planId' });
      if (!['PROPOSED', ...LIVE_PLAN_STATUSES].includes(plan.status)) {
        throw conflict(`This plan is ${plan.status.toLowerCase()}; a ${plan.status.toLowerCase()} plan cannot be edited.`, { field: 'planId' });
      }
      const version = plan.currentVersion + 1;
      let changes: string[];
      try {
        changes = applyEdit(body, data, version);
      } catch (err) {
        if (err instanceof PlanningInputError) throw fromPlanningError(err, 'input');
        throw err;
      }
      if (changes.length === 0) throw badInput('input', 'The edit changes nothing: give phases, techniques or home care to change.');
      this.logChange(body, version, tenant.userId, 'EDITED', data.reason, changes);
      const updated = await appendVersion(tx, plan, body, 'EDITED', data.reason, plan.status);
      await tx.audit({ action: 'plan.edit', recordType: 'plan', recordId: plan.id, detail: { version, changes } });
      return updated;
    });
  }

  /** MAINTENANCE (from ACTIVE), COMPLETED (from ACTIVE or MAINTENANCE), DISCONTINUED (from any open status). */
  setStatus(tenant: Tenant, planId: string, status: SettableStatus, reason: string): Promise<TreatmentPlanRecord> {
    parse(uuid, planId, 'planId');
    parse(z.enum(SETTABLE_STATUSES), status, 'status');
    const why = parse(name(2000), reason, 'reason');
    const from: Record<SettableStatus, PlanStatusCode[]> = {
      MAINTENANCE: ['ACTIVE'],
      COMPLETED: ['ACTIVE', 'MAINTENANCE'],
      DISCONTINUED: ['PROPOSED', 'ACTIVE', 'MAINTENANCE'],
    };
    return this.db.tenant(tenant, async (tx) => {
      const plan = await lockPlan(tx, tenant, planId, 'plan.status');
      if (!from[status].includes(plan.status)) {
        throw conflict(`A ${plan.status.toLowerCase()} plan cannot move to ${status.toLowerCase()} (allowed from ${from[status].join(', ').toLowerCase()}).`, { field: 'status' });
      }
      const body = await currentBody(tx, plan);
      const changes: string[] = [];
      if (!body.blocked) {
        if (status === 'MAINTENANCE') {
          const done = await completedSessions(tx, plan.id);
          const phase = body.phases[body.currentPhaseIndex];
          if (phase.kind !== 'maintenance') {
            phase.completedSessions = Math.max(0, done - body.phaseStartedAtSession);
            let next = body.phases.findIndex((p) => p.kind === 'maintenance');
            if (next < 0) {
              body.phases.push(buildMaintenancePhase(body.intake, phase.frequency.value, body.phases.length));
              next = body.phases.length - 1;
            }
            body.currentPhaseIndex = next;
            body.phaseStartedAtSession = done;
            body.expectedSessions = expectedActiveSessions(body.phases, body.expectedSessions.evidence);
            changes.push(`${phase.label} ended after ${phase.completedSessions} session(s); now maintenance.`);
          }
        } else {
          body.status = 'stopped';
          changes.push(`Plan ${status.toLowerCase()}.`);
        }
        this.logChange(body, plan.currentVersion + 1, tenant.userId, status, why, changes);
      }
      const updated = await appendVersion(tx, plan, body, status, why, status);
      await tx.audit({ action: 'plan.status', recordType: 'plan', recordId: plan.id, detail: { from: plan.status, to: status } });
      return updated;
    });
  }
}
