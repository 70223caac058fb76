import { DateTime } from 'luxon';
import type { AppointmentStatus } from '../../gql/graphql';

/*
 * Wall dates and times of the clinic's zone, for the calendar and the pages that borrow its
 * words (my day). The calendar's localizer is in ./localizer.ts, so that react-big-calendar
 * stays in the calendar's chunk.
 */

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

/** An API local time `2027-10-31T09:00` → "09:00" (days are written by lib/format's formatDate and formatDay). */
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
