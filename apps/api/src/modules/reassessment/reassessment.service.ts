import { emitEvent } from '@fascia/jobs';
import { Appointment, isLivePlan, ReassessmentRecord, TreatmentPlanRecord, type Clock, type Db, systemClock, type PlanStatusCode, type TenantTx } from '@fascia/db';
import {
  BODY_REGIONS, CAUSES, CHRONICITIES, nextStep, PlanningInputError, SIDES, type BenchmarkEvaluation, type ComplaintInput, type Measures, type NextStep,
  type TreatmentPlan,
} from '@fascia/planning';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, conflict, fromPlanningError, notFound } from '../../common/errors';
import { name, parse, uuid } from '../../common/validation';
import { toPlanBody } from '../treatment-plan/treatment-plan.mapping';
import { appendVersion, completedSessions, currentBody, lockPlan } from '../treatment-plan/treatment-plan.service';
import type { ReassessmentType } from './reassessment.types';
import { assertCanWriteRecord, canReadRecord } from '../../auth/scope';

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(', ')}` });
const pain = z
  .number({ message: 'must be a whole number from 0 to 10' })
  .int('must be a whole number from 0 to 10')
  .min(0, 'must be a whole number from 0 to 10')
  .max(10, 'must be a whole number from 0 to 10');
/** A complaint first reported at a re-assessment; dates and ids are checked by the planning package against the plan. */
const newComplaint = z
  .object({
    id: z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters').nullish(),
    region: oneOf(BODY_REGIONS),
    side: oneOf(SIDES),
    onsetDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a calendar date YYYY-MM-DD'),
    chronicity: oneOf(CHRONICITIES).nullish(),
    cause: oneOf(CAUSES),
    painNow: pain,
    painWorst: pain,
  })
  .refine((c) => c.painNow <= c.painWorst, { message: 'must not exceed painWorst (pain now cannot be above the worst pain)', path: ['painNow'] });

const recordSchema = z.object({
  planId: uuid,
  appointmentId: uuid.nullish(),
  measures: z.record(z.string(), z.unknown(), { message: 'must be an object' }),
  health: z.record(z.string(), z.unknown(), { message: 'must be an object' }).nullish(),
  newComplaints: z.array(newComplaint, { message: 'must be a list of complaints' }).max(10, 'at most 10 new complaints at once').nullish(),
});


/** Without nulls: the planning package reads absent optional fields, not nulls. */
function compact(m: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null && v !== undefined));
}

/** Planning fields (`reassessment.measures.pain[0].score`, `health.fever`) named as input fields. */
function inputError(err: PlanningInputError) {
  return fromPlanningError({ issues: err.issues.map((i) => ({ ...i, field: i.field.replace(/^reassessment\./, '') })) }, 'input');
}

/** Stored before issue 11, a proposal has no painChanges. */
type StoredProposal = Omit<NextStep, 'evaluation' | 'painChanges'> & { painChanges?: NextStep['painChanges'] };

/**
 * The GraphQL shape of a stored re-assessment. What comes from the stored proposal and
 * evaluation (the proposal holds a whole plan body: most of a re-assessment's bytes) is mapped
 * when a query reads it, not before — and a chart that asks for none of it reads neither column
 * (chart.service.ts), so those getters are never reached for its rows.
 */
export function toReassessmentDto(r: ReassessmentRecord): ReassessmentType {
  return new ReassessmentDto(r);
}

/**
 * A re-assessment as GraphQL reads it: the record's columns as own properties, what is mapped
 * from the measures and the stored proposal and evaluation as getters of the class (a chart reads 18 of these per
 * request: an object literal with getters made a closure per getter and an object of its own shape
 * for each, which GraphQL then read slowly — issue 10).
 */
class ReassessmentDto implements ReassessmentType {
  readonly id: string;
  readonly clientId: string;
  readonly planId: string;
  readonly planVersion: number;
  readonly appointmentId: string | null;
  readonly sessionsCompleted: number;
  readonly health: ReassessmentType['health'];
  readonly decision: ReassessmentType['decision'];
  readonly status: ReassessmentType['status'];
  readonly acceptedVersion: number | null;
  readonly assessedBy: string;
  readonly assessedAt: Date;
  /** The record (not a GraphQL field): the getters read its proposal and evaluation. */
  readonly #record: ReassessmentRecord;

  constructor(r: ReassessmentRecord) {
    this.#record = r;
    this.id = r.id;
    this.clientId = r.clientId;
    this.planId = r.planId;
    this.planVersion = r.planVersion;
    this.appointmentId = r.appointmentId;
    this.sessionsCompleted = r.sessionsCompleted;
    this.health = r.health as ReassessmentType['health'];
    this.decision = r.decision as ReassessmentType['decision'];
    this.status = r.status as ReassessmentType['status'];
    this.acceptedVersion = r.acceptedVersion;
    this.assessedBy = r.assessedBy;
    this.assessedAt = r.assessedAt;
  }

  /** Mapped when read: a chart that shows no measures does not read the column (chart.resolver.ts). */
  get measures(): ReassessmentType['measures'] {
    const m = this.#record.measures as unknown as Measures;
    return { pain: m.pain, psfs: m.psfs ?? null, odi: m.odi ?? null, ndi: m.ndi ?? null } as ReassessmentType['measures'];
  }

  private get proposal(): StoredProposal {
    return this.#record.proposal as unknown as StoredProposal;
  }

  get painChanges(): ReassessmentType['painChanges'] {
    return (this.proposal.painChanges ?? []).map((x) => ({
      complaintId: x.complaintId,
      region: x.region,
      side: x.side,
      kind: x.kind.toUpperCase(),
      baseline: x.baseline,
      current: x.current,
      severe: x.severe,
      explained: x.explained,
      refer: x.refer,
      urgency: x.urgency,
      finding: x.finding,
    })) as ReassessmentType['painChanges'];
  }

  get evaluation(): ReassessmentType['evaluation'] {
    const e = this.#record.evaluation as unknown as BenchmarkEvaluation;
    return {
      overall: e.overall,
      summary: e.summary,
      results: e.results.map((x) => ({
        benchmarkId: x.benchmarkId,
        measure: x.measure,
        complaintId: x.complaintId ?? null,
        baseline: x.baseline,
        current: x.current ?? null,
        improvement: x.improvement ?? null,
        improvementPercent: x.improvementPercent ?? null,
        status: x.status,
      })),
    } as ReassessmentType['evaluation'];
  }

  get reason(): ReassessmentType['reason'] {
    return this.proposal.reason as ReassessmentType['reason'];
  }

  get changes(): ReassessmentType['changes'] {
    return this.proposal.changes as ReassessmentType['changes'];
  }

  get referral(): ReassessmentType['referral'] {
    return (this.proposal.referral ?? null) as ReassessmentType['referral'];
  }

  get referralAdvice(): ReassessmentType['referralAdvice'] {
    return (this.proposal.referral ?? null) as ReassessmentType['referralAdvice'];
  }

  get proposedPlan(): ReassessmentType['proposedPlan'] {
    return toPlanBody(this.proposal.plan) as ReassessmentType['proposedPlan'];
  }
}

export class ReassessmentService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  get(tenant: Tenant, id: string): Promise<ReassessmentRecord | null> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, async (tx) => {
      const r = await tx.repo(ReassessmentRecord).findOneBy({ id });
      if (!r) return null;
      // A re-assessment belongs to its plan's clinic.
      const plan = (await tx.repo(TreatmentPlanRecord).findOneBy({ id: r.planId })) as TreatmentPlanRecord;
      if (!(await canReadRecord(tx, tenant, { recordType: 'reassessment', id, clinicId: plan.clinicId }, 'reassessment.read'))) return null;
      await tx.audit({ action: 'reassessment.read', recordType: 'reassessment', recordId: id });
      return r;
    });
  }

  /**
   * Records a re-assessment of an active plan: compares the measures with the baseline and the
   * benchmarks, and stores the planning package's next step as a proposal (status PROPOSED).
   */
  record(tenant: Tenant, input: unknown, now = this.clock.now()): Promise<ReassessmentRecord> {
    const data = parse(recordSchema, input);
    return this.db.tenant(tenant, async (tx) => {
      const plan = await lockPlan(tx, tenant, data.planId, 'reassessment.create');
      if (!isLivePlan(plan.status)) {
        throw conflict(`This plan is ${plan.status.toLowerCase()}; only an active or maintenance plan is re-assessed.`, { field: 'input.planId' });
      }
      if (data.appointmentId) {
        const appt = await tx.repo(Appointment).findOneBy({ id: data.appointmentId });
        const missing = () => badInput('input.appointmentId', `No appointment with id ${data.appointmentId} exists for this plan's client in your organization.`);
        if (!appt) throw missing();
        // An appointment belongs to its clinic: a re-assessment names only one the caller reaches (auth/scope.ts).
        assertCanWriteRecord(tenant, { recordType: 'appointment', id: appt.id, clinicId: appt.clinicId }, 'reassessment.create', 'input.appointmentId');
        if (appt.clientId !== plan.clientId) throw missing();
      }
      const body = (await currentBody(tx, plan)) as TreatmentPlan;
      const done = await completedSessions(tx, plan.id);
      const history = await tx.repo(ReassessmentRecord).find({ where: { planId: plan.id }, order: { assessedAt: 'ASC' } });
      const measures = compact(data.measures);
      if (Array.isArray(measures.psfs) === false) delete measures.psfs;
      let step: NextStep;
      try {
        step = nextStep({
          plan: body,
          sessionsCompleted: done,
          reassessment: {
            measures: measures as unknown as Measures,
            ...(data.health ? { health: data.health } : {}),
            ...(data.newComplaints?.length ? { newComplaints: data.newComplaints.map((c) => compact(c) as unknown as ComplaintInput) } : {}),
          },
          history: history.map((h) => ({ sessionsCompleted: h.sessionsCompleted, measures: h.measures as unknown as Measures })),
          now,
          by: tenant.userId,
        });
      } catch (err) {
        if (err instanceof PlanningInputError) throw inputError(err);
        throw err;
      }
      const { evaluation, ...proposal } = step;
      const record = await tx.repo(ReassessmentRecord).insert({
        clientId: plan.clientId,
        planId: plan.id,
        planVersion: plan.currentVersion,
        appointmentId: data.appointmentId ?? null,
        sessionsCompleted: done,
        measures: measures,
        health: data.health ?? null,
        evaluation: evaluation as unknown as Record<string, unknown>,
        proposal: proposal as unknown as Record<string, unknown>,
        decision: step.decision,
        status: 'PROPOSED',
        acceptedVersion: null,
        assessedBy: tenant.userId,
        assessedAt: now,
      });
      await emitEvent(tx.em, 'reassessment.recorded', tenant.organizationId, { reassessmentId: record.id, planId: plan.id, clientId: plan.clientId });
      await tx.audit({
        action: 'reassessment.create',
        recordType: 'reassessment',
        recordId: record.id,
        detail: { planId: plan.id, planVersion: plan.currentVersion, decision: step.decision, overall: evaluation.overall },
      });
      return record;
    });
  }

  /** The proposed next step becomes the plan's next version; the change kind is the decision. */
  accept(tenant: Tenant, id: string, reason?: string | null) {
    parse(uuid, id, 'id');
    const why = parse(name(2000).nullish(), reason, 'reason');
    return this.db.tenant(tenant, async (tx) => {
      const rec = await lockRecord(tx, id);
      const plan = await lockPlan(tx, tenant, rec.planId, 'reassessment.accept', { recordType: 'reassessment', id });
      if (rec.status !== 'PROPOSED') throw conflict(`This re-assessment is already ${rec.status.toLowerCase()}.`, { field: 'id' });
      if (plan.currentVersion !== rec.planVersion) {
        throw conflict(
          `The plan changed since this re-assessment (it was judged against version ${rec.planVersion}; the plan is now at version ${plan.currentVersion}); re-assess again.`,
          { field: 'id', planVersion: plan.currentVersion },
        );
      }
      if (!isLivePlan(plan.status)) throw conflict(`The plan is ${plan.status.toLowerCase()}; its re-assessment can no longer be accepted.`, { field: 'id' });
      const proposal = rec.proposal as unknown as StoredProposal;
      // Referral advice is recorded in the version (body.referral); a network referral is drafted from it on request (referralDraftFromNextStep), so the plan stays active.
      const status: PlanStatusCode = rec.decision === 'MOVE_TO_MAINTENANCE' ? 'MAINTENANCE' : plan.status;
      const updated = await appendVersion(tx, plan, proposal.plan, rec.decision, (why ?? proposal.reason).slice(0, 2000), status);
      await tx.repo(ReassessmentRecord).update({ id }, { status: 'ACCEPTED', acceptedVersion: updated.currentVersion });
      await tx.auditMany([
        { action: 'reassessment.accept', recordType: 'reassessment', recordId: id, detail: { decision: rec.decision } },
        { action: 'plan.version', recordType: 'plan', recordId: plan.id, detail: { version: updated.currentVersion, changeKind: rec.decision } },
      ]);
      return updated;
    });
  }

  dismiss(tenant: Tenant, id: string, reason: string): Promise<ReassessmentRecord> {
    parse(uuid, id, 'id');
    const why = parse(name(2000), reason, 'reason');
    return this.db.tenant(tenant, async (tx) => {
      const rec = await lockRecord(tx, id);
      await lockPlan(tx, tenant, rec.planId, 'reassessment.dismiss', { recordType: 'reassessment', id });
      if (rec.status !== 'PROPOSED') throw conflict(`This re-assessment is already ${rec.status.toLowerCase()}.`, { field: 'id' });
      await tx.repo(ReassessmentRecord).update({ id }, { status: 'DISMISSED' });
      await tx.audit({ action: 'reassessment.dismiss', recordType: 'reassessment', recordId: id, detail: { reason: why } });
      return { ...rec, status: 'DISMISSED' };
    });
  }
}

/**
 * Reads a re-assessment under a row lock, so an accept and a dismiss racing on it take
 * turns and the second sees the first's status.
 */
async function lockRecord(tx: TenantTx, id: string): Promise<ReassessmentRecord> {
  const rec = await tx.repo(ReassessmentRecord).qb('r').andWhere('r.id = :id', { id }).setLock('pessimistic_write').getOne();
  if (!rec) throw notFound('re-assessment', id);
  return rec;
}
