import { DateTime, Settings } from 'luxon';
import { luxonLocalizer } from 'react-big-calendar';
import type { DateLocalizer } from 'react-big-calendar';
import type { AppointmentStatus } from '../../gql/graphql';

/**
 * The calendar draws in the clinic's time zone, not the browser's. react-big-calendar's luxon
 * localizer reads every Date through luxon's default zone, so the page sets it to the clinic's
 * (`useClinicZone`). Three of its methods are replaced so that positions follow the wall clock
 * of the clinic, whatever zone the browser is in:
 *
 * - the stock `getDstOffset` compares the *browser's* UTC offsets (Date#getTimezoneOffset): a
 *   browser in New York looking at a London clinic in the week the clocks go back in London
 *   would place a 09:00 appointment on the Sunday at 10:00. Here it is the clinic's offsets.
 * - `getTotalMin` and `getMinutesFromMidnight` count wall-clock minutes (a 25-hour day still
 *   has its 09:00 row where the gutter says 09:00).
 */
export function clinicLocalizer(): DateLocalizer {
  const localizer = luxonLocalizer(DateTime, { firstDayOfWeek: 1 });
  const dst = (start: Date, end: Date) => DateTime.fromJSDate(end).offset - DateTime.fromJSDate(start).offset;
  localizer.getDstOffset = dst;
  localizer.getTotalMin = (start: Date, end: Date) => Math.round(DateTime.fromJSDate(end).diff(DateTime.fromJSDate(start), 'minutes').minutes) + dst(start, end);
  localizer.getMinutesFromMidnight = (date: Date) => {
    const dt = DateTime.fromJSDate(date);
    return dt.hour * 60 + dt.minute;
  };
  return localizer;
}

/** Makes luxon's default zone the clinic's while the calendar is shown (render-time, so the first draw is right). */
export function setCalendarZone(zone: string): void {
  if (Settings.defaultZone.name !== zone) Settings.defaultZone = zone;
}

export function resetCalendarZone(): void {
  Settings.defaultZone = 'system';
}

/** Today's date in a zone, YYYY-MM-DD. */
export function todayIn(zone: string): string {
  return DateTime.now().setZone(zone).toISODate() ?? '';
}

/** The Monday of the week holding `date` (YYYY-MM-DD). */
export function mondayOf(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).startOf('week').toISODate() ?? date;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? date;
}

/** A JS Date for a wall time in the zone (`2027-10-31`, `09:00`). */
export function dateAt(zone: string, date: string, time = '00:00'): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone }).toJSDate();
}

/** The wall date and time of an instant in the zone: { date: YYYY-MM-DD, time: HH:mm }. */
export function wallOf(instant: Date, zone: string): { date: string; time: string } {
  const dt = DateTime.fromJSDate(instant).setZone(zone);
  return { date: dt.toISODate() ?? '', time: dt.toFormat('HH:mm') };
}

/** `2027-10-31` → "Sunday 31 October 2027" (`short`: "Sun 31 Oct"). */
export function dayLabel(date: string, short = false): string {
  const dt = DateTime.fromISO(date, { zone: 'UTC' }).setLocale('en-GB');
  return dt.toFormat(short ? 'ccc d LLL' : 'cccc d LLLL yyyy');
}

/** An API local time `2027-10-31T09:00` → "09:00". */
export function timeOf(local: string): string {
  return local.slice(11, 16);
}

/** The status as words, a glyph (so it is not colour alone) and a CSS modifier. */
export const STATUS: Record<AppointmentStatus, { label: string; glyph: string; tone: string }> = {
  BOOKED: { label: 'Booked', glyph: '○', tone: 'booked' },
  CHECKED_IN: { label: 'Checked in', glyph: '●', tone: 'checked-in' },
  COMPLETED: { label: 'Completed', glyph: '✓', tone: 'completed' },
  CANCELLED: { label: 'Cancelled', glyph: '✕', tone: 'cancelled' },
  LATE_CANCELLED: { label: 'Late cancellation', glyph: '✕', tone: 'late' },
  NO_SHOW: { label: 'No-show', glyph: '!', tone: 'no-show' },
};

/** A booked visit the client confirmed from their reminder's link says so wherever its status shows. */
export function statusLabel(status: AppointmentStatus, clientConfirmedAt?: string | null): string {
  return status === 'BOOKED' && clientConfirmedAt ? `${STATUS.BOOKED.label} · client confirmed` : STATUS[status].label;
}

export const KINDS = { SESSION: 'Session', INTAKE: 'First visit (intake)', REASSESSMENT: 'Re-assessment', MAINTENANCE: 'Maintenance' } as const;
