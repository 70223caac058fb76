import { DateTime } from 'luxon';

/** Time groupings of a report; the others group by a dimension. */
export type TimeGrouping = 'DAY' | 'WEEK' | 'MONTH';
export type Grouping = TimeGrouping | 'CLINIC' | 'PRACTITIONER' | 'DISCIPLINE' | 'CONDITION';

export const MAX_RANGE_YEARS = 3;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The clinic-local calendar day (YYYY-MM-DD) of an instant in a zone (IANA). */
export function localDay(instant: Date, zone: string): string {
  const d = DateTime.fromJSDate(instant, { zone });
  if (!d.isValid) throw new Error(`"${zone}" is not a time zone`);
  return d.toISODate() as string;
}

/** Minutes between two instants (booked time is measured on the clock, so a DST night's hour is real). */
export const minutesBetween = (start: Date, end: Date): number => Math.round((end.getTime() - start.getTime()) / 60_000);

/** A valid calendar date in YYYY-MM-DD, or null. */
export function parseDay(value: string): DateTime | null {
  if (!DATE_RE.test(value)) return null;
  const d = DateTime.fromISO(value, { zone: 'UTC' });
  return d.isValid ? d : null;
}

export interface RangeProblem {
  field: 'from' | 'to';
  message: string;
}

/** Checks a report's date range; the first problem, naming its field, or null. */
export function checkRange(from: string, to: string): RangeProblem | null {
  const f = parseDay(from);
  if (!f) return { field: 'from', message: `"${from}" is not a date; use YYYY-MM-DD, e.g. 2026-03-01.` };
  const t = parseDay(to);
  if (!t) return { field: 'to', message: `"${to}" is not a date; use YYYY-MM-DD, e.g. 2026-03-31.` };
  if (t < f) return { field: 'to', message: `The range ends (${to}) before it starts (${from}); pick an end on or after the start.` };
  if (t > f.plus({ years: MAX_RANGE_YEARS })) return { field: 'to', message: `A report covers at most ${MAX_RANGE_YEARS} years; pick an end on or before ${f.plus({ years: MAX_RANGE_YEARS }).toISODate()}.` };
  return null;
}

/** Days in an inclusive range. */
export function dayCount(from: string, to: string): number {
  const f = parseDay(from);
  const t = parseDay(to);
  if (!f || !t) throw new Error('dayCount: not dates');
  return Math.round(t.diff(f, 'days').days) + 1;
}

/** The period of equal length just before [from, to] (both inclusive). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const n = dayCount(from, to);
  const f = parseDay(from) as DateTime;
  return { from: f.minus({ days: n }).toISODate() as string, to: f.minus({ days: 1 }).toISODate() as string };
}

/** The bucket of a clinic-local day: DAY `YYYY-MM-DD`, WEEK `YYYY-Www` (ISO week-year), MONTH `YYYY-MM`. */
export function bucketKey(day: string, grouping: TimeGrouping): string {
  const d = parseDay(day);
  if (!d) throw new Error(`bucketKey: "${day}" is not a date`);
  if (grouping === 'DAY') return day;
  if (grouping === 'MONTH') return day.slice(0, 7);
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

/** Every bucket of a range, in time order (so a report shows empty days, weeks and months too). */
export function bucketsOf(from: string, to: string, grouping: TimeGrouping): string[] {
  const out: string[] = [];
  let d = parseDay(from) as DateTime;
  const end = parseDay(to) as DateTime;
  while (d <= end) {
    const k = bucketKey(d.toISODate() as string, grouping);
    if (out[out.length - 1] !== k) out.push(k);
    d = d.plus({ days: 1 });
  }
  return out;
}

/** A bucket's label people read: "Mon 2 Mar 2026", "Week 10, 2026", "March 2026". */
export function bucketLabel(key: string, grouping: TimeGrouping): string {
  if (grouping === 'DAY') return (parseDay(key) as DateTime).setLocale('en-GB').toFormat('ccc d LLL yyyy');
  if (grouping === 'MONTH') return (DateTime.fromISO(`${key}-01`, { zone: 'UTC' })).setLocale('en-GB').toFormat('LLLL yyyy');
  const [y, w] = key.split('-W');
  return `Week ${Number(w)}, ${y}`;
}

export const isTimeGrouping = (g: Grouping): g is TimeGrouping => g === 'DAY' || g === 'WEEK' || g === 'MONTH';
