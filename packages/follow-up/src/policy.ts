import { CHANNELS, type Channel, REMINDER_KINDS, type ReminderKind, type ReminderTemplates } from './vocabulary';
import { z } from 'zod';
import { TIME_OF_DAY } from '@fascia/planning';
import { type QuietHours, isValidTimeZone, sendTimeFor } from './quiet-hours';
import { TEMPLATE_VARIABLES, TemplateError, validateTemplate } from './templates';

/** A clinic's reminder policy, as the worker uses it. */
export interface ReminderPolicy {
  /** Minutes before the appointment, longest first after parsing (e.g. [2880, 120]). */
  leadMinutes: number[];
  channels: Channel[];
  /** Clinic-local; null = none. */
  quietHours: QuietHours | null;
  templates: Partial<Record<ReminderKind, ReminderTemplates>>;
}

/** The policy of a clinic that has none: 48 h and 2 h before, email and SMS, quiet 21:00–08:00. */
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  leadMinutes: [48 * 60, 2 * 60],
  channels: ['EMAIL', 'SMS'] as Channel[],
  quietHours: { start: '21:00', end: '08:00' },
  templates: {},
});

/** Two weeks: the longest lead time. Sub-hour lead times are allowed (same-day clinics, tests). */
export const MAX_LEAD_MINUTES = 14 * 24 * 60;

const HHMM = z.string().regex(TIME_OF_DAY, 'must be HH:mm (00:00–23:59)');
const TemplatesSchema = z
  .partialRecord(
    z.enum(REMINDER_KINDS),
    z.object({ EMAIL: z.object({ subject: z.string(), text: z.string() }).strict().optional(), SMS: z.object({ text: z.string() }).strict().optional() }).strict(),
  )
  .superRefine((templates, ctx) => {
    for (const [kind, byChannel] of Object.entries(templates) as [ReminderKind, ReminderTemplates][]) {
      const allowed = TEMPLATE_VARIABLES[kind];
      const check = (path: (string | number)[], text: string, where: string) => {
        try {
          validateTemplate(text, allowed, where);
        } catch (err) {
          if (!(err instanceof TemplateError)) throw err;
          ctx.addIssue({ code: 'custom', path, message: err.message });
        }
      };
      if (byChannel.EMAIL) {
        check([kind, 'EMAIL', 'subject'], byChannel.EMAIL.subject, `${kind} email subject`);
        check([kind, 'EMAIL', 'text'], byChannel.EMAIL.text, `${kind} email text`);
      }
      if (byChannel.SMS) check([kind, 'SMS', 'text'], byChannel.SMS.text, `${kind} SMS text`);
    }
  });

export const ReminderPolicySchema = z
  .object({
    leadMinutes: z
      .array(z.number().int().min(1).max(MAX_LEAD_MINUTES))
      .min(1)
      .max(6)
      .refine((a) => new Set(a).size === a.length, 'lead times must differ'),
    channels: z
      .array(z.enum(CHANNELS))
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'channels must differ'),
    quietHours: z.object({ start: HHMM, end: HHMM }).strict().nullable(),
    templates: TemplatesSchema.default({}),
  })
  .strict();

export class ReminderPolicyError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`Invalid reminder policy: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ReminderPolicyError';
  }
}

/** Validates a policy (API input or a stored row); lead times come back longest first. */
export function parseReminderPolicy(input: unknown): ReminderPolicy {
  const r = ReminderPolicySchema.safeParse(input);
  if (!r.success) throw new ReminderPolicyError(r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return { ...r.data, leadMinutes: [...r.data.leadMinutes].sort((a, b) => b - a), templates: r.data.templates as ReminderPolicy['templates'] };
}

/**
 * A stored `reminder_policy` row (or none) → the policy in force. Templates are taken
 * as stored and checked when a reminder is rendered: a bad template then fails that
 * reminder (DEAD, the placeholder named) instead of stopping every reminder of the clinic.
 */
export function policyFromRow(row: { leadMinutes: number[]; channels: Channel[]; quietStart: string; quietEnd: string; templates: unknown } | null): ReminderPolicy {
  if (!row) return DEFAULT_REMINDER_POLICY;
  const policy = parseReminderPolicy({
    leadMinutes: row.leadMinutes,
    channels: row.channels,
    quietHours: row.quietStart === row.quietEnd ? null : { start: row.quietStart, end: row.quietEnd },
  });
  const templates = row.templates && typeof row.templates === 'object' && !Array.isArray(row.templates) ? (row.templates as ReminderPolicy['templates']) : {};
  return { ...policy, templates };
}

/** Which of the policy's channels to use for a client: those the client prefers, or all when they state none (or none overlap). */
export function channelsFor(policy: ReminderPolicy, preferred: readonly Channel[]): Channel[] {
  const both = policy.channels.filter((c) => preferred.includes(c));
  return both.length > 0 ? both : [...policy.channels];
}

export interface PlannedReminder {
  channel: Channel;
  leadMinutes: number;
  /** startsAt − lead */
  dueAt: Date;
  /** dueAt moved out of quiet hours */
  sendAt: Date;
  deliveryKey: string;
}

export interface OmittedReminder {
  channel: Channel;
  leadMinutes: number;
  reason: string;
}

export const appointmentReminderKey = (appointmentId: string, startsAt: Date, leadMinutes: number, channel: Channel): string =>
  `appointment:${appointmentId}:${Math.floor(startsAt.getTime() / 1000)}:${leadMinutes}m:${channel}`;

/**
 * The reminders of one appointment under a policy. `bookedAt` is when the booking (or
 * the reschedule) was made: a lead time that had already passed then is not planned
 * (someone who books for this afternoon gets no "in 48 hours" message), nor is one that
 * quiet hours would push to before the booking. Two lead times that quiet hours move to
 * the same moment are sent once (the longer lead's). A reminder whose time has passed
 * while the worker was down is still planned: it goes out late, but before the appointment.
 */
export function planAppointmentReminders(input: {
  appointmentId: string;
  startsAt: Date;
  bookedAt: Date;
  policy: ReminderPolicy;
  timeZone: string;
  channels: readonly Channel[];
}): { planned: PlannedReminder[]; omitted: OmittedReminder[] } {
  if (!isValidTimeZone(input.timeZone)) throw new Error(`Unknown time zone "${input.timeZone}"`);
  const planned: PlannedReminder[] = [];
  const omitted: OmittedReminder[] = [];
  const leads = [...input.policy.leadMinutes].sort((a, b) => b - a);
  for (const channel of input.channels) {
    const seen = new Set<number>();
    for (const leadMinutes of leads) {
      const dueAt = new Date(input.startsAt.getTime() - leadMinutes * 60_000);
      if (dueAt.getTime() < input.bookedAt.getTime()) {
        omitted.push({ channel, leadMinutes, reason: 'booked inside the lead time' });
        continue;
      }
      const sendAt = sendTimeFor(dueAt, input.startsAt, input.policy.quietHours, input.timeZone);
      if (sendAt.getTime() < input.bookedAt.getTime()) {
        omitted.push({ channel, leadMinutes, reason: 'no time outside quiet hours between the booking and the appointment' });
        continue;
      }
      if (seen.has(sendAt.getTime())) {
        omitted.push({ channel, leadMinutes, reason: 'quiet hours move it to the same time as a longer lead' });
        continue;
      }
      seen.add(sendAt.getTime());
      planned.push({ channel, leadMinutes, dueAt, sendAt, deliveryKey: appointmentReminderKey(input.appointmentId, input.startsAt, leadMinutes, channel) });
    }
  }
  return { planned, omitted };
}
