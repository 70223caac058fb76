import { DateTime } from 'luxon';
import type { DateTimeJSOptions } from 'luxon';
import { luxonLocalizer } from 'react-big-calendar';
import type { DateLocalizer } from 'react-big-calendar';

/**
 * The part of luxon's `DateTime` that react-big-calendar's luxon localizer uses, with every
 * instant read in `zone`. The stock localizer reads Dates through luxon's *default* zone;
 * handing it this instead draws the clinic's wall clock without touching luxon's global
 * `Settings.defaultZone` (two calendars in two zones, one after the other or side by side,
 * each draw their own).
 */
function zonedDateTime(zone: string) {
  return {
    fromJSDate: (date: Date, options?: DateTimeJSOptions) => DateTime.fromJSDate(date, { ...options, zone }),
    local: () => DateTime.local({ zone }),
    now: () => DateTime.now().setZone(zone),
    min: DateTime.min.bind(DateTime),
    max: DateTime.max.bind(DateTime),
  };
}

/**
 * The calendar's localizer for a clinic's time zone, whatever zone the browser is in. Three
 * of its methods are replaced so that positions follow the wall clock of the clinic:
 *
 * - the stock `getDstOffset` compares the *browser's* UTC offsets (Date#getTimezoneOffset): a
 *   browser in New York looking at a London clinic in the week the clocks go back in London
 *   would place a 09:00 appointment on the Sunday at 10:00. Here it is the clinic's offsets.
 * - `getTotalMin` and `getMinutesFromMidnight` count wall-clock minutes (a 25-hour day still
 *   has its 09:00 row where the gutter says 09:00).
 */
export function clinicLocalizer(zone: string): DateLocalizer {
  const zoned = zonedDateTime(zone);
  const localizer = luxonLocalizer(zoned as unknown as typeof DateTime, { firstDayOfWeek: 1 });
  const at = (date: Date) => zoned.fromJSDate(date);
  const dst = (start: Date, end: Date) => at(end).offset - at(start).offset;
  localizer.getDstOffset = dst;
  localizer.getTotalMin = (start: Date, end: Date) => Math.round(at(end).diff(at(start), 'minutes').minutes) + dst(start, end);
  localizer.getMinutesFromMidnight = (date: Date) => {
    const dt = at(date);
    return dt.hour * 60 + dt.minute;
  };
  return localizer;
}
