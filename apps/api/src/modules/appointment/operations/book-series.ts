import { randomUUID } from 'node:crypto';
import { Appointment, BLOCKING_STATUSES, isLivePlan, TreatmentPlanRecord } from '@fascia/db';
import { expandSchedule, PlanningInputError } from '@fascia/planning';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { z } from 'zod';
import type { Tenant } from '../../../context';
import { badInput, conflict, fromPlanningError } from '../../../common/errors';
import { parse, timeOfDay, uuid } from '../../../common/validation';
import { assertCanWriteRecord } from '../../../auth/scope';
import { appointmentChanged } from '../appointment.events';
import { assertWithinHorizon } from './bookable';
import { type AppointmentDeps, availabilityAt, busy, clash, isoDate, parties, planBody, type Series } from './shared';

const seriesSchema = z.object({
  planId: uuid,
  clinicId: uuid,
  practitionerId: uuid,
  roomId: uuid.nullish(),
  startFrom: isoDate,
  preferences: z
    .object({
      weekdays: z.array(z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)')).max(7).nullish(),
      times: z
        .array(z.object({ start: timeOfDay, end: timeOfDay }).refine((w) => w.start < w.end, { message: 'end must be after start', path: ['end'] }))
        .max(10)
        .nullish(),
    })
    .nullish(),
  avoidDates: z.array(isoDate).max(366, 'at most 366 dates').nullish(),
  maintenanceVisits: z.number().int().min(0, 'must be 0 to 52').max(52, 'must be 0 to 52').nullish(),
});

/** Books a plan's remaining sessions as one series: every session or none. */
export function bookSeries(deps: AppointmentDeps, tenant: Tenant, input: unknown): Promise<Series> {
  const data = parse(seriesSchema, input);
  const now = deps.clock.now();
  return deps.db.tenant(tenant, async (tx) => {
    const plan = await tx.repo(TreatmentPlanRecord).findOneBy({ id: data.planId });
    if (!plan) throw badInput('input.planId', `No treatment plan with id ${data.planId} exists in your organization.`);
    assertCanWriteRecord(tenant, { recordType: 'plan', id: plan.id, clinicId: plan.clinicId }, 'appointment.series_book', 'input.planId');
    if (!isLivePlan(plan.status)) {
      throw badInput('input.planId', `The plan is ${plan.status}; only an accepted (ACTIVE or MAINTENANCE) plan can be booked.`);
    }
    const body = await planBody(tx, plan);
    if (!body || body.blocked) throw badInput('input.planId', 'The plan is blocked by screening: follow its referral; there are no sessions to book.');
    const p = await parties(tx, tenant, { ...data, clientId: plan.clientId }, 'input', 'appointment.series_book', 'input.planId');
    const zone = p.clinic.timeZone;
    const today = DateTime.fromJSDate(now, { zone }).toISODate()!;
    if (data.startFrom < today) throw badInput('input.startFrom', `input.startFrom: ${data.startFrom} is in the past (today is ${today} in ${zone}).`);
    assertWithinHorizon(p.clinic, data.startFrom, now, 'input.startFrom');

    const ahead = await tx
      .repo(Appointment)
      .qb('a')
      .andWhere('a.planId = :planId AND a.status IN (:...blocking) AND a.endsAt > :now', { planId: plan.id, blocking: BLOCKING_STATUSES, now })
      .getCount();
    if (ahead > 0) {
      throw conflict(`This plan already has ${ahead} booked session${ahead > 1 ? 's' : ''} ahead; move or cancel them instead of booking the plan again.`, {
        field: 'input.planId',
      });
    }
    // Sessions given: the completed ones and one still checked in (its note not yet signed), so the
    // series is numbered after it, as a re-plan numbers its series (not "session 4" twice).
    const completed = await tx.repo(Appointment).countBy({ planId: plan.id, status: In(['COMPLETED', 'CHECKED_IN']) });
    const availability = await availabilityAt(tx, p);
    const existing = await busy(tx, p, now, []);
    let slots;
    try {
      slots = expandSchedule({
        plan: body,
        timeZone: zone,
        availability,
        openingHours: p.clinic.openingHours,
        startFrom: data.startFrom === today ? now.toISOString() : data.startFrom,
        avoidDates: data.avoidDates ?? undefined,
        preferences: data.preferences ? { weekdays: data.preferences.weekdays ?? undefined, times: data.preferences.times ?? undefined } : undefined,
        existing,
        sessionsCompleted: Math.max(body.phaseStartedAtSession, completed),
        maintenanceVisits: data.maintenanceVisits ?? 0,
      }).slots;
    } catch (err) {
      if (err instanceof PlanningInputError) throw fromPlanningError(err, 'input');
      throw err;
    }
    if (slots.length === 0) throw badInput('input.planId', 'The plan has no sessions left to book (ask for maintenance visits with maintenanceVisits).');

    const seriesId = randomUUID();
    const rows = slots.map((s) => ({
      id: randomUUID(),
      organizationId: tx.organizationId,
      clinicId: p.clinic.id,
      practitionerId: p.practitioner.id,
      roomId: p.room?.id ?? null,
      clientId: plan.clientId,
      planId: plan.id,
      seriesId,
      sessionNumber: s.sessionNumber,
      phaseIndex: s.phaseIndex,
      kind: (s.phaseKind === 'maintenance' ? 'MAINTENANCE' : 'SESSION') as Appointment['kind'],
      startsAt: new Date(s.startUtc),
      endsAt: new Date(s.endUtc),
      status: 'BOOKED' as const,
      createdBy: tenant.userId,
    }));
    try {
      await tx.em.insert(Appointment, rows);
    } catch (err) {
      throw clash(err, p, 'input');
    }
    const appointments = await tx.repo(Appointment).find({ where: { seriesId }, order: { sessionNumber: 'ASC' } });
    await tx.auditMany([
      { action: 'appointment.series_book', recordType: 'plan', recordId: plan.id, detail: { seriesId, sessions: rows.length } },
      ...appointments.map((a) => ({ action: 'appointment.book', recordType: 'appointment', recordId: a.id, detail: { seriesId, sessionNumber: a.sessionNumber } })),
    ]);
    await appointmentChanged(tx, appointments, 'booked');
    return { seriesId, planId: plan.id, timeZone: zone, appointments };
  });
}
