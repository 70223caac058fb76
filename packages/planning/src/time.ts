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

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Minutes after local midnight for `HH:mm` (`24:00` allowed as an end), or undefined. */
export function parseHhmm(value: unknown): number | undefined {
  if (typeof value !== 'string' || !HHMM.test(value)) return undefined;
  const [h, m] = value.split(':').map(Number);
  return h * 60 + m;
}
