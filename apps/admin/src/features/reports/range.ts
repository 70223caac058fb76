import { DateTime } from 'luxon';

/** The date-range picker's presets; `custom` takes the two dates typed. */
export const PRESETS = [
  { value: 'this-month', label: 'This month' },
  { value: 'last-month', label: 'Last month' },
  { value: 'last-3-months', label: 'Last 3 months' },
  { value: 'this-year', label: 'This year' },
  { value: 'custom', label: 'Custom range' },
] as const;
export type Preset = (typeof PRESETS)[number]['value'];

export const GROUPINGS = [
  { value: 'DAY', label: 'Day', time: true },
  { value: 'WEEK', label: 'Week', time: true },
  { value: 'MONTH', label: 'Month', time: true },
  { value: 'CLINIC', label: 'Clinic', time: false },
  { value: 'PRACTITIONER', label: 'Practitioner', time: false },
  { value: 'DISCIPLINE', label: 'Discipline', time: false },
  { value: 'CONDITION', label: 'Condition', time: false },
] as const;
export type Grouping = (typeof GROUPINGS)[number]['value'];

export const isPreset = (v: string | null): v is Preset => PRESETS.some((p) => p.value === v);
export const isGrouping = (v: string | null): v is Grouping => GROUPINGS.some((g) => g.value === v);
export const isTimeGrouping = (g: Grouping): boolean => GROUPINGS.find((x) => x.value === g)?.time ?? false;

export interface DateRange {
  from: string;
  to: string;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The dates of a preset, in the zone given (the clinic's own zone on a clinic dashboard, so
 * "this month" is that clinic's month). "This month" and "this year" run to today; "last 3
 * months" is the two whole months before this one and this one so far.
 */
export function presetRange(preset: Exclude<Preset, 'custom'>, today: DateTime): DateRange {
  const day = (d: DateTime) => d.toISODate() as string;
  switch (preset) {
    case 'this-month':
      return { from: day(today.startOf('month')), to: day(today) };
    case 'last-month': {
      const last = today.startOf('month').minus({ months: 1 });
      return { from: day(last), to: day(last.endOf('month')) };
    }
    case 'last-3-months':
      return { from: day(today.startOf('month').minus({ months: 2 })), to: day(today) };
    case 'this-year':
      return { from: day(today.startOf('year')), to: day(today) };
  }
}

/** Why a custom range cannot be asked for (the field and a sentence), or null when it can. */
export function rangeProblem(range: { from: string; to: string }): { field: 'from' | 'to'; message: string } | null {
  const from = ISO_DAY.test(range.from) ? DateTime.fromISO(range.from) : null;
  const to = ISO_DAY.test(range.to) ? DateTime.fromISO(range.to) : null;
  if (!from?.isValid) return { field: 'from', message: 'Enter the first day of the range.' };
  if (!to?.isValid) return { field: 'to', message: 'Enter the last day of the range.' };
  if (to < from) return { field: 'to', message: 'The last day must be on or after the first day.' };
  if (to > from.plus({ years: 3 })) return { field: 'to', message: 'A report covers at most 3 years: pick a later first day or an earlier last day.' };
  return null;
}

/** The number of days in the range, both ends included. */
export function rangeDays(range: DateRange): number {
  return Math.round(DateTime.fromISO(range.to).diff(DateTime.fromISO(range.from), 'days').days) + 1;
}

/** The grouping that suits a range when none was picked: days for a month, weeks for a quarter, else months. */
export function defaultGrouping(range: DateRange): Grouping {
  const days = rangeDays(range);
  if (days <= 31) return 'DAY';
  if (days <= 120) return 'WEEK';
  return 'MONTH';
}

/** "1 Nov – 29 Nov 2026" (the year once when both ends share it). */
export function rangeLabel(range: DateRange): string {
  const from = DateTime.fromISO(range.from).setLocale('en-GB');
  const to = DateTime.fromISO(range.to).setLocale('en-GB');
  if (range.from === range.to) return to.toFormat('d LLL yyyy');
  return from.year === to.year ? `${from.toFormat('d LLL')} – ${to.toFormat('d LLL yyyy')}` : `${from.toFormat('d LLL yyyy')} – ${to.toFormat('d LLL yyyy')}`;
}

/** The period the API compares with: the same number of days just before the range. */
export function previousRange(range: DateRange): DateRange {
  const days = rangeDays(range);
  const from = DateTime.fromISO(range.from);
  return { from: from.minus({ days }).toISODate() as string, to: from.minus({ days: 1 }).toISODate() as string };
}
