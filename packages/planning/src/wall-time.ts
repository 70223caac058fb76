import { DateTime, IANAZone } from 'luxon';

/**
 * What a local wall time means in a time zone — the one rule, used by the API (a booking's
 * local start), the schedule expansion (a series' slots) and the reminders' quiet hours.
 *
 * - **exact**: the wall time happens once.
 * - **ambiguous** (autumn overlap, clocks go back): it happens twice; `at` is the **first**
 *   occurrence (the earlier instant, still on summer time), `later` the second.
 * - **skipped** (spring gap, clocks go forward): it never happens. Bookings and schedule slots
 *   refuse it; a caller that must have an instant (the edge of a quiet-hours window) uses
 *   `at`, the wall time read with the offset in force before the change — i.e. pushed forward
 *   by the length of the gap (01:30 in London on the spring-forward night is 02:30 BST).
 * - **invalid**: not a calendar date and time (2026-02-30, 25:00) or not a known zone.
 *
 * This is what JavaScript's Temporal calls the "compatible" disambiguation.
 */
export type WallTimeResolution =
  | { kind: 'exact'; at: DateTime }
  | { kind: 'ambiguous'; at: DateTime; later: DateTime }
  | { kind: 'skipped'; at: DateTime }
  | { kind: 'invalid' };

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const DAY_MS = 86_400_000;

export function resolveWallTime(wall: WallTime, zone: string): WallTimeResolution {
  if (!IANAZone.isValidZone(zone)) return { kind: 'invalid' };
  const naive = DateTime.fromObject(wall, { zone: 'utc' });
  if (!naive.isValid || wall.hour > 23) return { kind: 'invalid' };
  const tz = IANAZone.create(zone);
  const wallMs = naive.toMillis();
  // Real zones change offset at most once within a day either side, so the offsets a day
  // before and a day after are the only candidates.
  const before = tz.offset(wallMs - DAY_MS);
  const after = tz.offset(wallMs + DAY_MS);
  const hits = [...new Set([before, after])]
    .map((off) => wallMs - off * 60_000)
    .filter((ms) => tz.offset(ms) * 60_000 === wallMs - ms)
    .sort((a, b) => a - b)
    .map((ms) => DateTime.fromMillis(ms, { zone }));
  if (hits.length === 1) return { kind: 'exact', at: hits[0] };
  if (hits.length >= 2) return { kind: 'ambiguous', at: hits[0], later: hits[hits.length - 1] };
  return { kind: 'skipped', at: DateTime.fromMillis(wallMs - before * 60_000, { zone }) };
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Reads `YYYY-MM-DDTHH:mm` as a wall time in `zone` (see {@link resolveWallTime}); anything else is invalid. */
export function resolveLocalDateTime(value: string, zone: string): WallTimeResolution {
  const m = LOCAL_DATE_TIME.exec(value);
  if (!m) return { kind: 'invalid' };
  const [year, month, day, hour, minute] = m.slice(1).map(Number);
  return resolveWallTime({ year, month, day, hour, minute }, zone);
}

/** The wall time `YYYY-MM-DDTHH:mm` of an instant in a zone. */
export function localDateTimeOf(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}
