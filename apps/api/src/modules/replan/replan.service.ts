import { createHash, randomUUID } from 'node:crypto';
import { Appointment, ReassessmentRecord, TreatmentPlanRecord, type Clock, type Db, systemClock, type TenantTx } from '@fascia/db';
import { PlanningInputError, replanSeries, type ReplanProposal, type TreatmentPlan } from '@fascia/planning';
import { In } from 'typeorm';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, conflict, fromPlanningError, notFound } from '../../common/errors';
import { parse, uuid } from '../../common/validation';
import { assertCanWriteRecord } from '../../auth/scope';
import { appointmentChanged } from '../appointment/appointment.events';
import { availabilityAt, busy, clash, parties, planBody, type Parties } from '../appointment/operations/shared';
import { lockPlan } from '../treatment-plan/treatment-plan.service';

/** The proposal as the API hands it out: the planning package's lists, plus what applyReplan checks. */
export interface ReplanDto extends ReplanProposal {
  planId: string;
  planVersion: number;
  token: string;
  preview: boolean;
  clinicId: string;
  practitionerId: string;
  hasConflicts: boolean;
}

export interface ReplanApplied {
  planId: string;
  kept: Appointment[];
  moved: Appointment[];
  cancelled: Appointment[];
  added: Appointment[];
}

const proposeSchema = z
  .object({ planId: uuid.nullish(), reassessmentId: uuid.nullish() })
  .refine((x) => !!x.planId !== !!x.reassessmentId, { message: 'name either planId or reassessmentId (one of them)', path: ['planId'] });
const applySchema = z.object({
  planId: uuid,
  proposalToken: z.string().regex(/^[0-9a-f]{32}$/, 'must be the token of a proposal from proposeReplan'),
  expectedPlanVersion: z.number().int().min(1, 'must be a plan version (1 or more)'),
});

const CANCEL_REASON = 'Re-planned by the clinic after a re-assessment changed the rhythm of visits.';

/**
 * Re-plans a plan's booked series after its rhythm changed (an accepted re-assessment):
 * `propose` reads and computes (the planning package's `replanSeries` decides); `apply`
 * recomputes under row locks and applies the very proposal the person saw — or CONFLICT.
 */
export class ReplanService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  propose(tenant: Tenant, args: unknown): Promise<ReplanDto> {
    const data = parse(proposeSchema, args, '');
    const now = this.clock.now();
    return this.db.tenant(tenant, async (tx) => {
      let planId = data.planId ?? null;
      let proposed: TreatmentPlan | null = null;
      if (data.reassessmentId) {
        const rec = await tx.repo(ReassessmentRecord).findOneBy({ id: data.reassessmentId });
        if (!rec) throw notFound('re-assessment', data.reassessmentId);
        planId = rec.planId;
        // Not accepted yet: a preview of the schedule its next step would give.
        if (rec.status === 'PROPOSED') proposed = (rec.proposal as unknown as { plan: TreatmentPlan }).plan;
      }
      const plan = await tx.repo(TreatmentPlanRecord).findOneBy({ id: planId! });
      if (!plan) throw notFound('plan', planId!);
      assertCanWriteRecord(tenant, { recordType: 'plan', id: plan.id, clinicId: plan.clinicId }, 'plan.replan', 'planId');
      const body = proposed ?? (await planBody(tx, plan));
      const dto = await compute(tx, tenant, plan, body, now, false);
      await tx.audit({ action: 'plan.replan_read', recordType: 'plan', recordId: plan.id, detail: { summary: dto.summary, preview: !!proposed } });
      return { ...dto, preview: !!proposed };
    });
  }

  apply(tenant: Tenant, input: unknown): Promise<ReplanApplied> {
    const data = parse(applySchema, input);
    const now = this.clock.now();
    return this.db.tenant(tenant, async (tx) => {
      const plan = await lockPlan(tx, tenant, data.planId, 'plan.replan');
      if (plan.currentVersion !== data.expectedPlanVersion) {
        throw conflict(
          `The plan changed since this proposal (it was made for version ${data.expectedPlanVersion}; the plan is now at version ${plan.currentVersion}); review the new proposal.`,
          { field: 'input.expectedPlanVersion', planVersion: plan.currentVersion },
        );
      }
      const body = await planBody(tx, plan);
      const p = await compute(tx, tenant, plan, body, now, true);
      if (p.token !== data.proposalToken) {
        throw conflict('The proposal no longer holds: the plan’s bookings changed since it was made, or a time it used was taken; review the new proposal.', {
          field: 'input.proposalToken',
        });
      }
      const flagged = [...p.move, ...p.add].find((x) => x.conflict);
      if (flagged) throw conflict(`Session ${flagged.sessionNumber} at ${flagged.localStart} ${flagged.conflict}; book it by hand.`, { field: 'input.proposalToken' });
      const parts = p.parties;
      const repo = tx.repo(Appointment);
      try {
        // Cancelled by the clinic: plain CANCELLED (no late-cancel charge), and no shift of the series (this is the new series).
        const cancelIds = p.cancel.map((c) => c.bookingId);
        if (cancelIds.length) await repo.update({ id: In(cancelIds) }, { status: 'CANCELLED', statusReason: CANCEL_REASON, statusChangedAt: now });
        // Moves: free them all first (exclusion constraints are checked row by row), then place each.
        const moveIds = p.move.map((m) => m.bookingId);
        if (moveIds.length) await repo.update({ id: In(moveIds) }, { status: 'CANCELLED' });
        for (const m of p.move) {
          await repo.update(
            { id: m.bookingId },
            { status: 'BOOKED', startsAt: new Date(m.startUtc), endsAt: new Date(m.endUtc), sessionNumber: m.sessionNumber, phaseIndex: m.phaseIndex, kind: m.phaseKind === 'maintenance' ? 'MAINTENANCE' : 'SESSION' },
          );
        }
        for (const k of p.keep) {
          const row = p.rows.get(k.bookingId)!;
          const kind = k.phaseKind === 'maintenance' ? 'MAINTENANCE' : 'SESSION';
          if (row.sessionNumber !== k.sessionNumber || row.phaseIndex !== k.phaseIndex || row.kind !== kind) {
            await repo.update({ id: k.bookingId }, { sessionNumber: k.sessionNumber, phaseIndex: k.phaseIndex, kind });
          }
        }
        const seriesId = [...p.rows.values()][0]?.seriesId ?? randomUUID();
        const addRows = p.add.map((a) => ({
          id: randomUUID(),
          organizationId: tx.organizationId,
          clinicId: parts.clinic.id,
          practitionerId: parts.practitioner.id,
          roomId: parts.room?.id ?? null,
          clientId: plan.clientId,
          planId: plan.id,
          seriesId,
          sessionNumber: a.sessionNumber,
          phaseIndex: a.phaseIndex,
          kind: (a.phaseKind === 'maintenance' ? 'MAINTENANCE' : 'SESSION') as Appointment['kind'],
          startsAt: new Date(a.startUtc),
          endsAt: new Date(a.endUtc),
          status: 'BOOKED' as const,
          createdBy: tenant.userId,
        }));
        if (addRows.length) await tx.em.insert(Appointment, addRows);
        const byIds = async (ids: string[]) => (ids.length ? repo.find({ where: { id: In(ids) }, order: { startsAt: 'ASC' } }) : []);
        const [kept, moved, cancelled, added] = await Promise.all([
          byIds(p.keep.map((k) => k.bookingId)),
          byIds(moveIds),
          byIds(cancelIds),
          byIds(addRows.map((r) => r.id)),
        ]);
        await tx.auditMany([
          { action: 'plan.replan', recordType: 'plan', recordId: plan.id, detail: { version: plan.currentVersion, summary: p.summary } },
          ...cancelled.map((a) => ({ action: 'appointment.cancel', recordType: 'appointment', recordId: a.id, detail: { status: 'CANCELLED', cancelledBy: 'CLINIC', replan: true } })),
          ...moved.map((a) => ({ action: 'appointment.shift', recordType: 'appointment', recordId: a.id, detail: { replan: true, startsAt: a.startsAt } })),
          ...added.map((a) => ({ action: 'appointment.book', recordType: 'appointment', recordId: a.id, detail: { seriesId, sessionNumber: a.sessionNumber, replan: true } })),
        ]);
        // Reminders follow through the outbox: the worker reconciles each appointment's reminders with its new state.
        await appointmentChanged(tx, cancelled, 'cancelled');
        await appointmentChanged(tx, moved, 'moved');
        await appointmentChanged(tx, added, 'booked');
        return { planId: plan.id, kept, moved, cancelled, added };
      } catch (err) {
        throw clash(err, parts, 'input');
      }
    });
  }
}

interface Computed extends ReplanDto {
  parties: Parties;
  rows: Map<string, Appointment>;
}

/** The proposal for the plan's booked future sessions; `lock` takes row locks on them (apply). */
async function compute(tx: TenantTx, tenant: Tenant, plan: TreatmentPlanRecord, body: TreatmentPlan | null, now: Date, lock: boolean): Promise<Computed> {
  if (!body || body.blocked) throw badInput('planId', 'The plan is blocked by screening: it has no series to re-plan.');
  const q = tx.repo(Appointment).qb('a').andWhere('a.planId = :planId AND a.status = :booked AND a.startsAt > :now', { planId: plan.id, booked: 'BOOKED', now }).orderBy('a.startsAt', 'ASC');
  if (lock) q.setLock('pessimistic_write');
  const bookings = await q.getMany();
  const last = await tx
    .repo(Appointment)
    .qb('a')
    .andWhere('a.planId = :planId AND a.status IN (:...given) AND a.startsAt <= :now', { planId: plan.id, given: ['COMPLETED', 'CHECKED_IN'], now })
    .orderBy('a.startsAt', 'DESC')
    .getOne();
  // Adds go to the practitioner and room of the series (the next booking), else of the last session, else the plan's.
  const anchor = bookings[0] ?? last;
  const p = await parties(
    tx,
    tenant,
    { clinicId: anchor?.clinicId ?? plan.clinicId, practitionerId: anchor?.practitionerId ?? plan.practitionerId, roomId: anchor?.roomId ?? null, clientId: plan.clientId },
    'input',
    'plan.replan',
    'planId',
  );
  // Sessions given: the completed ones and the one under way (checked in; a re-assessment is part of it), as for `last`
  // above — the new series is numbered after them (counting completed ones only proposed today's session 4 again as "session 4").
  const done = await tx.repo(Appointment).countBy({ planId: plan.id, status: In(['COMPLETED', 'CHECKED_IN']) });
  let proposal: ReplanProposal;
  try {
    proposal = replanSeries({
      plan: body,
      sessionsCompleted: Math.max(done, body.phaseStartedAtSession),
      timeZone: p.clinic.timeZone,
      bookings: bookings.map((b) => ({
        id: b.id,
        startUtc: b.startsAt.toISOString(),
        endUtc: b.endsAt.toISOString(),
        practitionerId: b.practitionerId,
        clinicId: b.clinicId,
        status: 'BOOKED',
        sessionNumber: b.sessionNumber,
        phaseIndex: b.phaseIndex,
      })),
      lastSessionAt: last ? last.startsAt.toISOString() : null,
      now: now.toISOString(),
      availability: await availabilityAt(tx, p),
      openingHours: p.clinic.openingHours,
      busy: await busy(tx, p, now, bookings.map((b) => b.id)),
    });
  } catch (err) {
    if (err instanceof PlanningInputError) throw fromPlanningError(err, 'plan');
    throw err;
  }
  // The token names the proposal and the state of every booking it was made from.
  const token = createHash('sha256')
    .update(
      JSON.stringify({
        plan: plan.id,
        version: plan.currentVersion,
        bookings: bookings.map((b) => [b.id, b.startsAt.toISOString(), b.endsAt.toISOString(), b.status, b.practitionerId, b.roomId]),
        keep: proposal.keep.map((k) => [k.bookingId, k.sessionNumber]),
        move: proposal.move.map((m) => [m.bookingId, m.startUtc]),
        cancel: proposal.cancel.map((c) => c.bookingId),
        add: proposal.add.map((a) => [a.sessionNumber, a.startUtc]),
      }),
    )
    .digest('hex')
    .slice(0, 32);
  return {
    ...proposal,
    planId: plan.id,
    planVersion: plan.currentVersion,
    token,
    preview: false,
    clinicId: p.clinic.id,
    practitionerId: p.practitioner.id,
    hasConflicts: [...proposal.keep, ...proposal.move, ...proposal.add].some((x) => x.conflict),
    parties: p,
    rows: new Map(bookings.map((b) => [b.id, b])),
  };
}

/** For the resolver: the proposal's lists as GraphQL objects. */
export function toReplanDto(d: ReplanDto) {
  return {
    planId: d.planId,
    planVersion: d.planVersion,
    token: d.token,
    preview: d.preview,
    timeZone: d.timeZone,
    clinicId: d.clinicId,
    practitionerId: d.practitionerId,
    summary: d.summary,
    hasConflicts: d.hasConflicts,
    keep: d.keep.map((k) => ({ appointmentId: k.bookingId, sessionNumber: k.sessionNumber, phaseIndex: k.phaseIndex, phaseKind: k.phaseKind, startsAt: new Date(k.startUtc), endsAt: new Date(k.endUtc), localStart: k.localStart, conflict: k.conflict })),
    move: d.move.map((m) => ({
      appointmentId: m.bookingId,
      sessionNumber: m.sessionNumber,
      phaseIndex: m.phaseIndex,
      phaseKind: m.phaseKind,
      fromStartsAt: new Date(m.fromStartUtc),
      fromLocalStart: m.fromLocalStart,
      startsAt: new Date(m.startUtc),
      endsAt: new Date(m.endUtc),
      localStart: m.localStart,
      conflict: m.conflict,
    })),
    cancel: d.cancel.map((c) => ({ appointmentId: c.bookingId, startsAt: new Date(c.startUtc), localStart: c.localStart })),
    add: d.add.map((a) => ({ sessionNumber: a.sessionNumber, phaseIndex: a.phaseIndex, phaseKind: a.phaseKind, startsAt: new Date(a.startUtc), endsAt: new Date(a.endUtc), localStart: a.localStart, durationMinutes: a.durationMinutes, conflict: a.conflict })),
  };
}
