import { type RenderedReminder, policyFromRow, renderReminder } from '@fascia/follow-up';
import { signLinkToken } from '@fascia/jobs';
import { DateTime } from 'luxon';
import { homeCareItems } from './eligibility';
import type { LoadedReminder } from './load';

const localTime = (d: Date, zone: string): string => DateTime.fromJSDate(d, { zone }).setLocale('en-GB').toFormat("cccc d LLLL yyyy 'at' HH:mm ZZZZ");
const localDate = (d: Date, zone: string): string => DateTime.fromJSDate(d, { zone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');

/**
 * The template variables of an eligible reminder (see skipReason): names, the clinic's
 * local times, the appointment's signed confirm/cancel links, the maintenance interval,
 * the day's home-care items.
 */
export function reminderVariables(c: LoadedReminder, links: { adminUrl: string; appSecret: string }): Record<string, string> {
  const clinic = c.clinic!;
  const client = c.client!;
  const vars: Record<string, string> = {
    clinicName: clinic.name,
    clinicPhone: clinic.phone ?? '',
    clientName: client.preferredName?.trim() || client.firstName,
    practitionerName: c.practitionerName ?? 'your practitioner',
  };
  const kind = c.reminder.kind;
  if (kind === 'APPOINTMENT') {
    const appt = c.appointment!;
    vars.appointmentTime = localTime(appt.startsAt, clinic.timeZone);
    const link = (purpose: 'appointment-confirm' | 'appointment-cancel', path: string) =>
      `${links.adminUrl}/appointment/${path}?token=${encodeURIComponent(signLinkToken(purpose, appt.id, appt.startsAt, links.appSecret))}`;
    vars.confirmLink = link('appointment-confirm', 'confirm');
    vars.cancelLink = link('appointment-cancel', 'cancel');
  } else if (kind === 'REASSESSMENT_DUE') {
    const next = c.nextBooked;
    vars.bookingHint = next ? `Your next visit is on ${localDate(next.startsAt, clinic.timeZone)}: ask for the re-assessment then.` : 'Please book a visit.';
  } else if (kind === 'MAINTENANCE_DUE' || kind === 'MAINTENANCE_FOLLOW_UP') {
    const body = c.plan!.body!;
    const f = body.phases[body.currentPhaseIndex]?.frequency.value;
    vars.interval = f ? (f.perWeeks / f.sessions === 1 ? 'every week' : `every ${f.perWeeks / f.sessions} weeks`) : 'regularly';
    vars.dueDate = localDate(c.reminder.dueAt, clinic.timeZone);
  } else {
    vars.items = homeCareItems(c)
      .map((i) => `- ${i.description}`)
      .join('\n');
  }
  return vars;
}

/** The message: the clinic's template for the kind and channel (or the default), filled in. Throws TemplateError for a bad template. */
export function renderReminderMessage(c: LoadedReminder, links: { adminUrl: string; appSecret: string }): RenderedReminder {
  const templates = policyFromRow(c.policy).templates;
  return renderReminder(c.reminder.kind, c.reminder.channel, reminderVariables(c, links), templates[c.reminder.kind]);
}
