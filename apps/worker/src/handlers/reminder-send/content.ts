import { type RenderedReminder, policyFromRow, renderReminder } from '@fascia/follow-up';
import { signLinkToken } from '@fascia/jobs';
import { DateTime } from 'luxon';
import { homeCareItems } from './eligibility';
import type { LoadedReminder } from './load';

/**
 * The clinic's local time and date, as luxon's en-GB `cccc d LLLL yyyy 'at' HH:mm ZZZZ` and
 * `cccc d LLLL yyyy` write them, from one Intl.DateTimeFormat per zone kept for the process
 * (luxon builds a DateTime and looks its formatter up on every call: ~0.4 ms against ~0.02 ms;
 * content.test.ts holds them to luxon's output). A zone Intl does not know falls back to luxon.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      });
    } catch {
      return null;
    }
    if (formatters.size < 1000) formatters.set(zone, f);
  }
  return f;
}
/**
 * A clinic's reminders go out in waves for the same few start times (a morning's slots), so the
 * parts of the last 1,000 (zone, instant) pairs are kept: formatToParts was ~2 % of a reminder's
 * worker CPU. Read-only once stored.
 */
const partsCache = new Map<string, Record<string, string>>();
function localParts(d: Date, zone: string): Record<string, string> | null {
  const key = `${zone} ${d.getTime()}`;
  const hit = partsCache.get(key);
  if (hit) return hit;
  const f = formatterFor(zone);
  if (!f) return null;
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(d)) parts[p.type] = p.value;
  if (partsCache.size >= 1000) partsCache.clear();
  partsCache.set(key, parts);
  return parts;
}
export const localTime = (d: Date, zone: string): string => {
  const p = localParts(d, zone);
  return p
    ? `${p.weekday} ${p.day} ${p.month} ${p.year} at ${p.hour}:${p.minute} ${p.timeZoneName}`
    : DateTime.fromJSDate(d, { zone }).setLocale('en-GB').toFormat("cccc d LLLL yyyy 'at' HH:mm ZZZZ");
};
export const localDate = (d: Date, zone: string): string => {
  const p = localParts(d, zone);
  return p ? `${p.weekday} ${p.day} ${p.month} ${p.year}` : DateTime.fromJSDate(d, { zone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
};

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

/**
 * The policy of a stored row, validated once per distinct row per process (zod's parse was
 * ~0.2 ms of every reminder): keyed by the row's JSON, at most 1,000 kept. Read-only.
 */
const policies = new Map<string, ReturnType<typeof policyFromRow>>();
function policyOf(row: LoadedReminder['policy']): ReturnType<typeof policyFromRow> {
  if (!row) return policyFromRow(null);
  const key = JSON.stringify(row);
  let policy = policies.get(key);
  if (!policy) {
    policy = policyFromRow(row);
    if (policies.size >= 1000) policies.clear();
    policies.set(key, policy);
  }
  return policy;
}

/** The message: the clinic's template for the kind and channel (or the default), filled in. Throws TemplateError for a bad template. */
export function renderReminderMessage(c: LoadedReminder, links: { adminUrl: string; appSecret: string }): RenderedReminder {
  const templates = policyOf(c.policy).templates;
  return renderReminder(c.reminder.kind, c.reminder.channel, reminderVariables(c, links), templates[c.reminder.kind]);
}
