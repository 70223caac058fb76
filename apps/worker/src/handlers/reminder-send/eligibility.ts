import type { AppointmentKind, AppointmentStatus, Channel, ReminderKind, ReminderStatus } from '@fascia/db';
import { type PlanBodyView, type PlanView, homeCareForDay } from '@fascia/follow-up';
import { DateTime } from 'luxon';

/** The reminder row, as far as deciding about it goes. */
export interface ReminderFacts {
  id: string;
  organizationId: string;
  status: ReminderStatus;
  kind: ReminderKind;
  channel: Channel;
  dueAt: Date;
  appointmentStartsAt: Date | null;
}

/** What a `reminder.send` job found, loaded once (see load.ts); every field is what the database holds now. */
export interface ReminderCase {
  reminder: ReminderFacts;
  clinic: { id: string; name: string; phone: string | null; timeZone: string } | null;
  /** For an APPOINTMENT reminder: its appointment (null when it no longer exists). */
  appointment: { id: string; status: AppointmentStatus; startsAt: Date; practitionerId: string } | null;
  /** For a plan's reminder: the plan and its current version's body (null when the plan no longer exists). */
  plan: { id: string; status: PlanView['status']; practitionerId: string; body: PlanBodyView | null } | null;
  /** For a plan's reminder: the plan's next BOOKED appointment after now, if any. */
  nextBooked: { kind: AppointmentKind; startsAt: Date } | null;
  client: { firstName: string; preferredName: string | null; archivedAt: Date | null; reminderConsent: boolean; email: string | null; phone: string | null } | null;
}

export const contactFor = (client: { email: string | null; phone: string | null }, channel: Channel): string | null =>
  (channel === 'EMAIL' ? client.email : client.phone)?.trim() || null;

/** Before anything else is loaded: is this reminder still this job's to send? */
export type ReminderGate = { proceed: true } | { done: string } | { mismatch: string };

export function reminderGate(reminder: Pick<ReminderFacts, 'organizationId' | 'status'> | null, organizationId: string): ReminderGate {
  if (!reminder) return { done: 'reminder-not-found' };
  if (reminder.organizationId !== organizationId) return { mismatch: reminder.organizationId };
  if (reminder.status !== 'SCHEDULED' && reminder.status !== 'FAILED') return { done: `reminder-${reminder.status.toLowerCase()}` };
  return { proceed: true };
}

const statusWords = (status: string): string => status.toLowerCase().replace('_', ' ');

/**
 * Why an appointment's reminder no longer holds (gone, no longer BOOKED, moved since the
 * reminder was computed), or null. Checked when the case is loaded and again under the
 * delivery's lock.
 */
export function appointmentSkipReason(appt: { status: string; startsAt: Date } | null | undefined, reminder: { appointmentStartsAt: Date | null }): string | null {
  if (!appt) return 'the appointment no longer exists';
  if (appt.status !== 'BOOKED') return `the appointment is ${statusWords(appt.status)}`;
  if (appt.startsAt.getTime() !== reminder.appointmentStartsAt?.getTime()) return 'the appointment was moved';
  return null;
}

/**
 * Whether the reminder's cause still holds at `now`, as a reason to skip it or null to send.
 * For an appointment: it exists, is BOOKED, still starts when the reminder was computed
 * for, and has not started. For a plan: it is ACTIVE or in MAINTENANCE; a re-assessment
 * reminder is not sent once the re-assessment is booked, a maintenance one once any visit
 * is, a home-care one on a day with nothing prescribed. Then the client: not archived,
 * consent, an address for the channel. Pure: the caller loads the case and passes now.
 */
export function skipReason(c: ReminderCase, now: Date): string | null {
  const { reminder } = c;
  if (!c.clinic) return 'clinic not found';
  if (reminder.kind === 'APPOINTMENT') {
    const gone = appointmentSkipReason(c.appointment, reminder);
    if (gone) return gone;
    if (c.appointment!.startsAt.getTime() <= now.getTime()) return 'the appointment has started';
  } else {
    const plan = c.plan;
    if (!plan || (plan.status !== 'ACTIVE' && plan.status !== 'MAINTENANCE')) return plan ? `the plan is ${plan.status.toLowerCase()}` : 'the plan no longer exists';
    if (reminder.kind === 'REASSESSMENT_DUE') {
      if (c.nextBooked?.kind === 'REASSESSMENT') return 'the re-assessment is booked';
    } else if (reminder.kind === 'MAINTENANCE_DUE' || reminder.kind === 'MAINTENANCE_FOLLOW_UP') {
      if (c.nextBooked) return 'a visit is booked';
    } else if (homeCareItems(c).length === 0) return 'nothing prescribed for the day';
  }
  const client = c.client;
  if (!client || client.archivedAt) return 'the client is archived';
  if (!client.reminderConsent) return 'the client has not agreed to reminders';
  if (!contactFor(client, reminder.channel)) return reminder.channel === 'EMAIL' ? 'the client has no email address' : 'the client has no phone number';
  return null;
}

/** A home-care reminder's items: those prescribed for its clinic-local day. */
export function homeCareItems(c: Pick<ReminderCase, 'reminder' | 'clinic' | 'plan'>): PlanBodyView['homeCare'] {
  if (!c.plan?.body || !c.clinic) return [];
  const weekday = DateTime.fromJSDate(c.reminder.dueAt, { zone: c.clinic.timeZone }).weekday;
  return homeCareForDay({ status: c.plan.status, body: c.plan.body }, weekday);
}
