import { resolveWallTime, TIME_OF_DAY } from '@fascia/planning';
import { DateTime } from 'luxon';

/** Clinic-local quiet hours, 'HH:mm'. `start === end` means none. A window may wrap midnight (21:00–08:00). */
export interface QuietHours {
  start: string;
  end: string;
}

export function parseHhMm(value: string): { hour: number; minute: number } {
  const m = TIME_OF_DAY.exec(value);
  if (!m) throw new Error(`"${value}" is not a time of day (HH:mm, 00:00–23:59)`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** How far before quiet hours a reminder goes out when it cannot wait until they end. */
export const BEFORE_QUIET_MARGIN_MINUTES = 1;

export function isValidTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/**
 * The quiet window that contains `at` in `zone`, as UTC instants, or null when `at` is
 * outside quiet hours. A window edge at a wall time that does not exist (the spring-forward
 * gap) moves forward by the gap, one that happens twice (the autumn overlap) is its first
 * occurrence — the planning package's `resolveWallTime`, the rule bookings use too; the
 * window's ends are computed on their own local dates, so a night that is 23 or 25 hours
 * long is handled.
 */
export function quietWindowAt(at: Date, quiet: QuietHours, zone: string): { start: Date; end: Date } | null {
  if (quiet.start === quiet.end) return null;
  const s = parseHhMm(quiet.start);
  const e = parseHhMm(quiet.end);
  const local = DateTime.fromJSDate(at, { zone });
  if (!local.isValid) throw new Error(`Unknown time zone "${zone}"`);
  const minuteOfDay = local.hour * 60 + local.minute;
  const startMin = s.hour * 60 + s.minute;
  const endMin = e.hour * 60 + e.minute;
  const day = local.startOf('day');
  const at_ = (d: DateTime, t: { hour: number; minute: number }): Date => {
    const wall = resolveWallTime({ year: d.year, month: d.month, day: d.day, hour: t.hour, minute: t.minute }, zone);
    if (wall.kind === 'invalid') throw new Error(`Unknown time zone "${zone}"`);
    return wall.at.toJSDate();
  };

  let startDay: DateTime;
  let endDay: DateTime;
  if (startMin < endMin) {
    if (minuteOfDay < startMin || minuteOfDay >= endMin) return null;
    startDay = day;
    endDay = day;
  } else if (minuteOfDay >= startMin) {
    startDay = day;
    endDay = day.plus({ days: 1 });
  } else if (minuteOfDay < endMin) {
    startDay = day.minus({ days: 1 });
    endDay = day;
  } else {
    return null;
  }
  const window = { start: at_(startDay, s), end: at_(endDay, e) };
  // A local time in a DST gap can land `at` just outside the computed window; trust the instants.
  if (at.getTime() < window.start.getTime() || at.getTime() >= window.end.getTime()) return null;
  return window;
}

/**
 * When a reminder due at `dueUtc` goes out, given the clinic's quiet hours:
 *  - outside quiet hours: at `dueUtc`;
 *  - inside: when quiet hours end, if that is still before the appointment;
 *  - otherwise just before quiet hours began (earlier than due, never later than the appointment).
 * `appointmentStartUtc` null means there is no appointment to be early for (sweep reminders):
 * they always wait for the end of quiet hours.
 */
export function sendTimeFor(dueUtc: Date, appointmentStartUtc: Date | null, quiet: QuietHours | null, timeZone: string): Date {
  if (!quiet) return dueUtc;
  const window = quietWindowAt(dueUtc, quiet, timeZone);
  if (!window) return dueUtc;
  if (!appointmentStartUtc || window.end.getTime() < appointmentStartUtc.getTime()) return window.end;
  return new Date(window.start.getTime() - BEFORE_QUIET_MARGIN_MINUTES * 60_000);
}
