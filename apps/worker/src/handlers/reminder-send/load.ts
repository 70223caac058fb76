import { Appointment, Client, isLivePlan, Clinic, PlanVersion, Practitioner, Reminder, ReminderPolicyRecord, TreatmentPlanRecord } from '@fascia/db';
import type { PlanBodyView, PlanView } from '@fascia/follow-up';
import type { EntityManager } from 'typeorm';
import type { ReminderCase } from './eligibility';

/** The case, plus what only the message needs: the practitioner's name and the clinic's policy row (templates). */
export type LoadedReminder = ReminderCase & { reminder: Reminder; practitionerName: string | null; policy: ReminderPolicyRecord | null };

export const loadReminder = (em: EntityManager, id: string): Promise<Reminder | null> => em.findOneBy(Reminder, { id });

/** Everything the decision and the message need about a live reminder, read in the caller's transaction. */
export async function loadReminderCase(em: EntityManager, reminder: Reminder, now: Date): Promise<LoadedReminder> {
  const clinic = await em.findOneBy(Clinic, { id: reminder.clinicId ?? '' });
  let appointment: ReminderCase['appointment'] = null;
  let plan: ReminderCase['plan'] = null;
  let nextBooked: ReminderCase['nextBooked'] = null;
  if (reminder.kind === 'APPOINTMENT') {
    appointment = await em.findOneBy(Appointment, { id: reminder.appointmentId ?? '' });
  } else {
    const record = await em.findOneBy(TreatmentPlanRecord, { id: reminder.planId ?? '' });
    if (record) plan = { id: record.id, status: record.status as PlanView['status'], practitionerId: record.practitionerId, body: null };
    if (record && plan && isLivePlan(record.status)) {
      const version = await em.findOneByOrFail(PlanVersion, { planId: record.id, version: record.currentVersion });
      plan.body = version.body as unknown as PlanBodyView;
      const [next] = (await em.query(`SELECT kind, starts_at FROM appointment WHERE plan_id = $1 AND status = 'BOOKED' AND starts_at > $2 ORDER BY starts_at LIMIT 1`, [record.id, now])) as {
        kind: Appointment['kind'];
        starts_at: Date;
      }[];
      nextBooked = next ? { kind: next.kind, startsAt: new Date(next.starts_at) } : null;
    }
  }
  const client = await em.findOneBy(Client, { id: reminder.clientId });
  const practitionerId = appointment?.practitionerId ?? plan?.practitionerId;
  const practitioner = practitionerId ? await em.findOneBy(Practitioner, { id: practitionerId }) : null;
  const policy = clinic ? await em.findOneBy(ReminderPolicyRecord, { clinicId: clinic.id }) : null;
  return { reminder, clinic, appointment, plan, nextBooked, client, practitionerName: practitioner?.displayName ?? null, policy };
}
