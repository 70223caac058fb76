import { resolveWallTime, type WeeklyWindow } from '@fascia/planning';
import { DateTime, IANAZone } from 'luxon';
import { parseHhMm } from './quiet-hours';

/**
 * When an unanswered referral is followed up (issue 12): the receiver's answer deadline
 * (`due_at`, a reminder to the receiver), the escalation (`escalate_at`, twice the
 * deadline, to the receiving clinic's managers) and the end of its validity
 * (`valid_until`, EXPIRED). Pure: the caller passes the moment the referral was sent and
 * the receiving clinic's zone (and opening hours, when it has them).
 *
 * The rule (docs/worker.md, "Referrals", carries the same words):
 * - EMERGENCY: 4 hours of elapsed time, whatever the day or hour (an emergency does not
 *   wait for Monday); escalation 8 hours after sending.
 * - URGENT: 1 business day, ROUTINE: 3 business days; escalation at 2 and 6.
 * - A **business day** is a Monday–Friday in the receiving clinic's time zone. When the
 *   clinic's opening hours are known, a weekday on which it has no opening window is not
 *   one (a clinic closed on Wednesdays), and weekend opening does not make a business
 *   day (the deadline is the same working week for every clinic). Public holidays are
 *   not known to Fascia and count as business days.
 * - The clock starts when the referral is sent if that is inside a business day (with
 *   opening hours: between the day's first opening and its last closing); otherwise at
 *   the start of the next business day (00:00, or the day's first opening with opening
 *   hours). A referral sent before opening on a business day counts from that day's
 *   opening.
 * - The deadline is the start's local wall time N business days later: sent Tuesday
 *   14:00, URGENT is due Wednesday 14:00, ROUTINE Friday 14:00. Sent Friday 19:00
 *   (without opening hours): URGENT due Monday 19:00, ROUTINE Wednesday 19:00. With
 *   opening hours 08:00–18:00, Friday 19:00 is after closing: the clock starts Monday
 *   08:00, URGENT due Tuesday 08:00, ROUTINE Thursday 08:00. Sent Saturday: counted from
 *   Monday's start. Either way the receiver has had N whole business days.
 * - Local wall times are resolved with the planning package's `resolveWallTime` (the rule
 *   bookings and quiet hours use): a time that does not exist (spring-forward gap) moves
 *   forward by the gap, one that happens twice (autumn) is its first occurrence. A deadline
 *   therefore stays at the same local time across a DST change (a 23- or 25-hour day).
 * - Validity: `validForDays` (default 30) calendar days after sending, at the same local
 *   wall time.
 * If the opening hours have no window on any Monday–Friday, they are ignored (plain
 * Monday–Friday), so a misconfigured clinic still gets deadlines.
 */

export type ReferralUrgency = 'ROUTINE' | 'URGENT' | 'EMERGENCY';

export type ReferralDeadline = { kind: 'hours'; hours: number } | { kind: 'businessDays'; days: number };

/** The first answer deadline per urgency; escalation is at twice it. */
export const REFERRAL_DEADLINES: Readonly<Record<ReferralUrgency, ReferralDeadline>> = {
  EMERGENCY: { kind: 'hours', hours: 4 },
  URGENT: { kind: 'businessDays', days: 1 },
  ROUTINE: { kind: 'businessDays', days: 3 },
};

export const DEFAULT_REFERRAL_VALID_DAYS = 30;
/** How long a referral may be valid for, in days (the API's `validForDays` range). */
export const MAX_REFERRAL_VALID_DAYS = 90;

export interface ReferralFollowUpInput {
  urgency: ReferralUrgency;
  sentAt: Date;
  /** The receiving clinic's IANA zone. */
  timeZone: string;
  /** The receiving clinic's opening hours (ISO weekday 1 = Monday, clinic-local `HH:mm`). */
  openingHours?: WeeklyWindow[];
  validForDays?: number;
}

export interface ReferralFollowUpTimes {
  dueAt: Date;
  escalateAt: Date;
  validUntil: Date;
}

const HOUR_MS = 3_600_000;

interface DayHours {
  open: number;
  close: number;
}

interface LocalStart {
  /** A local calendar date (luxon, at its start in the zone). */
  date: DateTime;
  minuteOfDay: number;
  /** Seconds and milliseconds past the minute, kept so a deadline is exact to the millisecond. */
  extraMs: number;
}

function businessHours(openingHours: WeeklyWindow[] | undefined): Map<number, DayHours> | null {
  if (!openingHours) return null;
  const byDay = new Map<number, DayHours>();
  for (const w of openingHours) {
    if (!Number.isInteger(w.weekday) || w.weekday < 1 || w.weekday > 7) throw new Error(`opening hours: weekday ${w.weekday} is not an ISO weekday (1–7)`);
    const s = parseHhMm(w.start);
    const e = parseHhMm(w.end);
    const open = s.hour * 60 + s.minute;
    const close = e.hour * 60 + e.minute;
    if (close <= open) continue; // an empty window opens nothing
    if (w.weekday > 5) continue; // weekend opening is not a business day
    const day = byDay.get(w.weekday);
    byDay.set(w.weekday, day ? { open: Math.min(day.open, open), close: Math.max(day.close, close) } : { open, close });
  }
  return byDay.size > 0 ? byDay : null;
}

function isBusinessDay(weekday: number, hours: Map<number, DayHours> | null): boolean {
  return weekday <= 5 && (hours ? hours.has(weekday) : true);
}

function nextBusinessDay(date: DateTime, hours: Map<number, DayHours> | null): DateTime {
  let d = date.plus({ days: 1 });
  while (!isBusinessDay(d.weekday, hours)) d = d.plus({ days: 1 });
  return d;
}

function openingOf(date: DateTime, hours: Map<number, DayHours> | null): number {
  return hours?.get(date.weekday)?.open ?? 0;
}

/** When the business-day clock starts for a referral sent at `local`. */
function clockStart(local: DateTime, hours: Map<number, DayHours> | null): LocalStart {
  const date = local.startOf('day');
  const minuteOfDay = local.hour * 60 + local.minute;
  if (isBusinessDay(local.weekday, hours)) {
    const day = hours?.get(local.weekday);
    if (!day) return { date, minuteOfDay, extraMs: local.second * 1000 + local.millisecond };
    if (minuteOfDay < day.open) return { date, minuteOfDay: day.open, extraMs: 0 };
    if (minuteOfDay < day.close) return { date, minuteOfDay, extraMs: local.second * 1000 + local.millisecond };
  }
  const next = nextBusinessDay(date, hours);
  return { date: next, minuteOfDay: openingOf(next, hours), extraMs: 0 };
}

/** A clinic-local wall time on `date` as an instant (gap → forward, overlap → first occurrence). */
function wallInstant(date: DateTime, minuteOfDay: number, extraMs: number, zone: string): Date {
  const wall = resolveWallTime({ year: date.year, month: date.month, day: date.day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 }, zone);
  if (wall.kind === 'invalid') throw new Error(`Unknown time zone "${zone}"`);
  return new Date(wall.at.toMillis() + extraMs);
}

function afterBusinessDays(start: LocalStart, days: number, hours: Map<number, DayHours> | null, zone: string): Date {
  let date = start.date;
  for (let i = 0; i < days; i++) date = nextBusinessDay(date, hours);
  return wallInstant(date, start.minuteOfDay, start.extraMs, zone);
}

export function referralFollowUpTimes(input: ReferralFollowUpInput): ReferralFollowUpTimes {
  const { urgency, sentAt, timeZone } = input;
  if (!IANAZone.isValidZone(timeZone)) throw new Error(`Unknown time zone "${timeZone}"`);
  if (Number.isNaN(sentAt.getTime())) throw new Error('sentAt is not a valid date');
  const validForDays = input.validForDays ?? DEFAULT_REFERRAL_VALID_DAYS;
  if (!Number.isInteger(validForDays) || validForDays < 1 || validForDays > MAX_REFERRAL_VALID_DAYS) {
    throw new Error(`validForDays must be a whole number of days from 1 to ${MAX_REFERRAL_VALID_DAYS}, not ${validForDays}`);
  }
  const deadline = REFERRAL_DEADLINES[urgency];
  if (!deadline) throw new Error(`Unknown urgency "${String(urgency)}"`);

  const local = DateTime.fromJSDate(sentAt, { zone: timeZone });
  let dueAt: Date;
  let escalateAt: Date;
  if (deadline.kind === 'hours') {
    dueAt = new Date(sentAt.getTime() + deadline.hours * HOUR_MS);
    escalateAt = new Date(sentAt.getTime() + 2 * deadline.hours * HOUR_MS);
  } else {
    const hours = businessHours(input.openingHours);
    const start = clockStart(local, hours);
    dueAt = afterBusinessDays(start, deadline.days, hours, timeZone);
    escalateAt = afterBusinessDays(start, 2 * deadline.days, hours, timeZone);
  }
  const validUntil = wallInstant(local.startOf('day').plus({ days: validForDays }), local.hour * 60 + local.minute, local.second * 1000 + local.millisecond, timeZone);
  return { dueAt, escalateAt, validUntil };
}
