import { DateTime, IANAZone } from 'luxon';
import { PlanningInputError } from './errors';

/**
 * `now` and other instants are passed in by the caller: an ISO-8601 string with an offset
 * (e.g. `2026-03-01T09:00:00Z`) or a `Date`. The library never reads the clock.
 */
export type Instant = string | Date;

export function parseInstant(value: unknown, field: string): DateTime {
  let dt: DateTime | undefined;
  if (value instanceof Date) dt = DateTime.fromJSDate(value, { zone: 'utc' });
  else if (typeof value === 'string') dt = DateTime.fromISO(value, { zone: 'utc', setZone: false });
  if (!dt || !dt.isValid) {
    throw new PlanningInputError([{ field, problem: 'must be an ISO-8601 date-time string or a valid Date' }]);
  }
  return dt.toUTC();
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a calendar date `YYYY-MM-DD` (as a UTC midnight) or returns undefined. */
export function parseDate(value: unknown): DateTime | undefined {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return undefined;
  const dt = DateTime.fromISO(value, { zone: 'utc' });
  return dt.isValid ? dt : undefined;
}

export function isValidZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
}

/**
 * A time of day `HH:mm`, 00:00–23:59 — the one rule for clinic-local times (opening hours,
 * availability, schedule preferences, quiet hours). Two zero-padded digits each.
 */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** A time of day, or `24:00` as the end of a window that runs to midnight. */
export const TIME_OF_DAY_OR_MIDNIGHT = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/**
 * Minutes after local midnight for `HH:mm`, or undefined when it is not a time of day.
 * `24:00` (1440) is accepted as the end of a window unless `endOfDay` is false.
 */
export function parseHhmm(value: unknown, options: { endOfDay?: boolean } = {}): number | undefined {
  const rule = options.endOfDay === false ? TIME_OF_DAY : TIME_OF_DAY_OR_MIDNIGHT;
  if (typeof value !== 'string' || !rule.test(value)) return undefined;
  const [h, m] = value.split(':').map(Number);
  return h * 60 + m;
}

/** `HH:mm` for minutes after local midnight (1440 is `24:00`). */
export function formatHhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
