import { randomUUID } from 'node:crypto';
import { Appointment, Client, isLivePlan, Practitioner, Room, TreatmentPlanRecord, type AppointmentStatus, type Clinic, type TenantTx } from '@fascia/db';
import { expandSchedule, PlanningInputError } from '@fascia/planning';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import type { LinkActor, Tenant } from '../../../context';
import { appointmentChanged } from '../appointment.events';
import { type AppointmentChange, availabilityAt, busy, clash, insertOne, type Parties, planBody } from './shared';

const MISSED: readonly AppointmentStatus[] = ['CANCELLED', 'LATE_CANCELLED', 'NO_SHOW'];

/**
 * A plan session that did not happen is booked again (from the day after, same session
 * number, `rescheduledFrom` naming it) and the plan's later booked sessions with the same
 * practitioner move so the spacing of the phase — and of the phases after it — holds: the
 * phase keeps its count. The planning package's `expandSchedule` decides the new times
 * (`missed`); the moves and the new row commit with the status change or not at all.
 * When no schedule can be found the status change stands and `shiftProblem` says why.
 */
export async function shiftAfterMiss(
  tx: TenantTx,
  tenant: Tenant | LinkActor,
  missed: Appointment,
  clinic: Clinic,
  now: Date,
): Promise<Omit<AppointmentChange, 'appointment'>> {
  const none = (shiftProblem: string | null = null) => ({ rebooked: null, moved: [], shiftProblem });
  if (!missed.planId || missed.sessionNumber == null || missed.phaseIndex == null || !MISSED.includes(missed.status)) return none();
  const plan = await tx.repo(TreatmentPlanRecord).findOneBy({ id: missed.planId });
  if (!plan || !isLivePlan(plan.status)) return none();
  const body = await planBody(tx, plan);
  if (!body || body.blocked) return none('The plan has no schedule to shift.');
  const p = missed.phaseIndex;
  if (p < body.currentPhaseIndex || p >= body.phases.length) return none('The plan has moved on from this session’s phase; book it by hand if it is still needed.');
  let phaseStart = body.phaseStartedAtSession;
  for (let i = body.currentPhaseIndex; i < p; i++) phaseStart += body.phases[i].sessions.value.likely;
  if (missed.sessionNumber - 1 < phaseStart) return none('The session numbers no longer match the plan; book it by hand if it is still needed.');

  const following = await tx
    .repo(Appointment)
    .qb('a')
    .andWhere('a.planId = :planId AND a.status = :booked AND a.sessionNumber > :n AND a.practitionerId = :pid AND a.clinicId = :cid', {
      planId: plan.id,
      booked: 'BOOKED',
      n: missed.sessionNumber,
      pid: missed.practitionerId,
      cid: missed.clinicId,
    })
    .orderBy('a.sessionNumber', 'ASC')
    .getMany();
  const parties: Parties = {
    clinic,
    practitioner: (await tx.repo(Practitioner).findOneBy({ id: missed.practitionerId })) as Practitioner,
    room: missed.roomId ? await tx.repo(Room).findOneBy({ id: missed.roomId }) : null,
    client: (await tx.repo(Client).findOneBy({ id: missed.clientId })) as Client,
  };
  const zone = clinic.timeZone;
  const maintenanceIndex = body.phases.findIndex((ph) => ph.kind === 'maintenance');
  const maintenanceVisits = [missed, ...following].filter((a) => a.phaseIndex === maintenanceIndex).length;
  const missedLocal = DateTime.fromJSDate(missed.startsAt, { zone });
  const missedMinutes = Math.round((missed.endsAt.getTime() - missed.startsAt.getTime()) / 60000);
  let slots;
  try {
    slots = expandSchedule({
      plan: { ...body, currentPhaseIndex: p, phaseStartedAtSession: phaseStart },
      timeZone: zone,
      availability: await availabilityAt(tx, parties),
      openingHours: clinic.openingHours,
      startFrom: now.toISOString(),
      missed: [{ sessionNumber: missed.sessionNumber, at: missed.startsAt.toISOString() }],
      existing: await busy(tx, parties, now, following.map((a) => a.id)),
      sessionsCompleted: missed.sessionNumber - 1,
      maintenanceVisits,
      preferences: { times: [{ start: missedLocal.toFormat('HH:mm'), end: missedLocal.plus({ minutes: missedMinutes }).toFormat('HH:mm') }].filter((w) => w.start < w.end) },
    }).slots;
  } catch (err) {
    if (err instanceof PlanningInputError) return none(err.issues.map((i) => `${i.field} ${i.problem}`).join('; '));
    throw err;
  }
  const bySession = new Map(slots.map((s) => [s.sessionNumber, s]));
  const toMove = following.filter((a) => {
    const s = bySession.get(a.sessionNumber!);
    return s && (new Date(s.startUtc).getTime() !== a.startsAt.getTime() || new Date(s.endUtc).getTime() !== a.endsAt.getTime());
  });
  try {
    if (toMove.length) {
      // Exclusion constraints are checked row by row, so sessions moving onto each other's old
      // times would clash mid-way: free them all first (inside this transaction), then place each.
      const ids = toMove.map((a) => a.id);
      await tx.repo(Appointment).update({ id: In(ids) }, { status: 'CANCELLED' });
      for (const a of toMove) {
        const s = bySession.get(a.sessionNumber!)!;
        await tx.repo(Appointment).update({ id: a.id }, { status: 'BOOKED', startsAt: new Date(s.startUtc), endsAt: new Date(s.endUtc) });
      }
    }
    const slot = bySession.get(missed.sessionNumber);
    let rebooked: Appointment | null = null;
    if (slot) {
      rebooked = await insertOne(
        tx,
        {
          id: randomUUID(),
          clinicId: missed.clinicId,
          practitionerId: missed.practitionerId,
          roomId: missed.roomId,
          clientId: missed.clientId,
          planId: missed.planId,
          seriesId: missed.seriesId,
          sessionNumber: missed.sessionNumber,
          phaseIndex: missed.phaseIndex,
          kind: missed.kind,
          startsAt: new Date(slot.startUtc),
          endsAt: new Date(slot.endUtc),
          status: 'BOOKED',
          rescheduledFrom: missed.id,
          // A client cancelling from a reminder link is no user: the rebooking is the original booker's.
          createdBy: tenant.userId ?? missed.createdBy,
        },
        parties,
        'id',
      );
    }
    const moved = toMove.length ? await tx.repo(Appointment).find({ where: { id: In(toMove.map((a) => a.id)) }, order: { sessionNumber: 'ASC' } }) : [];
    await tx.auditMany([
      ...(rebooked ? [{ action: 'appointment.book', recordType: 'appointment', recordId: rebooked.id, detail: { rescheduledFrom: missed.id } }] : []),
      ...moved.map((a) => ({ action: 'appointment.shift', recordType: 'appointment', recordId: a.id, detail: { after: missed.id, startsAt: a.startsAt } })),
    ]);
    if (rebooked) await appointmentChanged(tx, [rebooked], 'booked');
    if (moved.length) await appointmentChanged(tx, moved, 'moved');
    return { rebooked, moved, shiftProblem: slot ? null : 'The plan has no place for this session any more.' };
  } catch (err) {
    throw clash(err, parties, 'id');
  }
}
