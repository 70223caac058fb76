import type { Clinic, TenantTx } from '@fascia/db';
import { localDateTimeOf, resolveLocalDateTime } from '@fascia/planning';
import { DateTime } from 'luxon';
import { badInput } from '../../../common/errors';
import { toMinutes } from '../../../common/validation';
import { availabilityAt, type Parties } from './shared';

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;
const LOCAL_FORMAT = "yyyy-MM-dd'T'HH:mm";

/** The wall time `YYYY-MM-DDTHH:mm` of an instant in a zone. */
export const localOf = localDateTimeOf;

/**
 * Reads a start time: an instant with an offset, or a local wall time in the clinic's zone.
 * A local time is read by the planning package's `resolveWallTime`: one the clocks skip
 * (spring forward) does not exist and is refused; an ambiguous one (fall back) is its first
 * occurrence.
 */
export function resolveStart(value: string, zone: string, field: string): DateTime {
  let dt: DateTime;
  if (LOCAL_DATE_TIME.test(value)) {
    if (value.length > 16 && value.slice(17) !== '00') throw badInput(field, `${field}: appointments start on a whole minute.`);
    const wall = resolveLocalDateTime(value.slice(0, 16), zone);
    if (wall.kind === 'invalid') throw badInput(field, `${field}: ${value} is not a real date and time.`);
    if (wall.kind === 'skipped') {
      throw badInput(
        field,
        `${field}: ${value.slice(0, 16)} does not exist in ${zone} — the clocks go forward then (daylight saving). Choose a time outside the change.`,
      );
    }
    dt = wall.at;
  } else if (INSTANT.test(value)) {
    dt = DateTime.fromISO(value, { setZone: true });
    if (!dt.isValid) throw badInput(field, `${field}: ${value} is not a real date and time.`);
  } else {
    throw badInput(
      field,
      `${field}: must be an ISO date-time with an offset (2026-03-10T09:00:00Z) or a local time in the clinic's zone (2026-03-10T09:00).`,
    );
  }
  if (dt.second !== 0 || dt.millisecond !== 0) throw badInput(field, `${field}: appointments start on a whole minute.`);
  return dt.toUTC();
}

/** The last local date (YYYY-MM-DD) on which the clinic takes a booking: today in its zone plus its booking horizon. */
export function latestBookableDate(clinic: Pick<Clinic, 'timeZone' | 'maxBookingHorizonDays'>, now: Date): string {
  return DateTime.fromJSDate(now, { zone: clinic.timeZone }).startOf('day').plus({ days: clinic.maxBookingHorizonDays }).toISODate()!;
}

/** BAD_USER_INPUT naming `field` when the local date `day` is past the clinic's booking horizon. */
export function assertWithinHorizon(clinic: Pick<Clinic, 'name' | 'timeZone' | 'maxBookingHorizonDays'>, day: string, now: Date, field: string): void {
  const latest = latestBookableDate(clinic, now);
  if (day > latest) {
    throw badInput(
      field,
      `${field}: ${day} is too far ahead — ${clinic.name} takes bookings up to ${clinic.maxBookingHorizonDays} days ahead, so the latest start date is ${latest} (${clinic.timeZone}).`,
      { latest, maxBookingHorizonDays: clinic.maxBookingHorizonDays },
    );
  }
}

const windowsText = (windows: { start: string; end: string }[]): string => windows.map((w) => `${w.start}–${w.end}`).join(', ');

/** Not in the past, within the booking horizon, one UTC offset throughout, inside opening hours and the practitioner's availability there. */
export async function assertBookable(tx: TenantTx, p: Parties, start: DateTime, minutes: number, field: string, now: Date): Promise<void> {
  const zone = p.clinic.timeZone;
  const local = start.setZone(zone);
  const end = local.plus({ minutes });
  const when = `${local.toFormat(LOCAL_FORMAT)}–${end.toFormat('HH:mm')} (${zone})`;
  if (start.toMillis() < now.getTime()) throw badInput(field, `${field}: ${when} is in the past.`);
  assertWithinHorizon(p.clinic, local.toISODate()!, now, field);
  if (end.offset !== local.offset) {
    throw badInput(field, `${field}: ${when} spans a daylight-saving change in ${zone}; choose a time that does not.`);
  }
  const from = local.hour * 60 + local.minute;
  const to = from + minutes;
  const dayName = local.setLocale('en').toFormat('cccc');
  const inside = (ws: { start: string; end: string }[]) => ws.some((w) => toMinutes(w.start) <= from && to <= toMinutes(w.end));
  const open = p.clinic.openingHours.filter((w) => w.weekday === local.weekday);
  if (!inside(open)) {
    const hours = open.length ? `is open ${windowsText(open)} on ${dayName}s` : `is closed on ${dayName}s`;
    throw badInput(field, `${field}: ${p.clinic.name} ${hours}; ${when} is outside its opening hours.`, { hours: open });
  }
  const avail = (await availabilityAt(tx, p)).filter((w) => w.weekday === local.weekday);
  if (!inside(avail)) {
    throw badInput(
      field,
      avail.length
        ? `${field}: ${p.practitioner.displayName} works ${windowsText(avail)} at ${p.clinic.name} on ${dayName}s; ${when} is outside that availability.`
        : `${field}: ${p.practitioner.displayName} does not work at ${p.clinic.name} on ${dayName}s.`,
      { hours: avail },
    );
  }
}
