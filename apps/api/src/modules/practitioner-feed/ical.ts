import { DateTime } from 'luxon';

/**
 * A minimal, exact RFC 5545 writer for the practitioners' feeds: CRLF line ends, lines folded at
 * 75 octets (never inside a UTF-8 character), TEXT escaped, and a VTIMEZONE per zone built from
 * the zone's real transitions (IANA data through luxon) over the feed's range — explicit
 * observances, no RRULE, so no parser has to guess the rule.
 */

export interface FeedEvent {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  zone: string;
  summary: string;
  location: string;
  description?: string;
  lastModified: Date;
}

export interface FeedCalendar {
  name: string;
  /** When the feed was made (DTSTAMP). */
  now: Date;
  /** The range the feed covers: the VTIMEZONEs cover it. */
  from: Date;
  to: Date;
  events: FeedEvent[];
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one content line at 75 octets (RFC 5545 §3.1); continuation lines start with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // the leading space counts
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utc = (d: Date): string => DateTime.fromJSDate(d, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");

const offsetText = (minutes: number): string => {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`;
};

const isUtcZone = (zone: string): boolean => ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Zulu'].includes(zone);

/**
 * `DTSTART`/`DTEND` with the zone's TZID and local wall time; in UTC when the zone is UTC, or
 * when the wall time is the second of a repeated hour (a TZID time means its first occurrence).
 */
function timeProperty(name: string, at: Date, zone: string): string {
  if (isUtcZone(zone)) return `${name}:${utc(at)}`;
  const local = DateTime.fromJSDate(at, { zone });
  const wall = local.toFormat("yyyyMMdd'T'HHmmss");
  const back = DateTime.fromObject({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second }, { zone });
  if (back.toMillis() !== at.getTime() - local.millisecond) return `${name}:${utc(at)}`;
  return `${name};TZID=${zone}:${wall}`;
}

/** Offsets in minutes east of UTC at an instant. */
const offsetAt = (zone: string, ms: number): number => DateTime.fromMillis(ms, { zone }).offset;

/**
 * Every offset change of `zone` in [from, to], to the minute. The search runs on whole minutes
 * (`from` rounded down): a change is found at its exact minute, not at the minute plus the
 * seconds of the moment the feed was read.
 */
export function transitions(zone: string, fromMs: number, to: number): { at: number; before: number; after: number }[] {
  const found: { at: number; before: number; after: number }[] = [];
  const step = 6 * 3600_000;
  const from = Math.floor(fromMs / 60_000) * 60_000;
  let prev = offsetAt(zone, from);
  for (let t = from + step; t <= to + step; t += step) {
    const cur = offsetAt(zone, t);
    if (cur !== prev) {
      let lo = t - step;
      let hi = t;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetAt(zone, mid) === prev) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, before: prev, after: cur });
      prev = cur;
    }
  }
  return found;
}

/** A VTIMEZONE for `zone` that covers [from, to]: the observance in force at `from` (from its own start), then each change. */
export function vtimezone(zone: string, from: Date, to: Date): string[] {
  // Whole minutes (the observances' DTSTARTs read 020000, not the request's seconds).
  const start = Math.floor((from.getTime() - 7 * 86_400_000) / 60_000) * 60_000;
  const end = to.getTime() + 7 * 86_400_000;
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const first = offsetAt(zone, start);
  const isDst = (ms: number) => DateTime.fromMillis(ms, { zone }).isInDST;
  const wallIn = (ms: number, offset: number) => DateTime.fromMillis(ms + offset * 60_000, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss");
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', at: number, fromOffset: number, toOffset: number) => {
    const abbr = DateTime.fromMillis(at, { zone }).toFormat('ZZZZ');
    lines.push(`BEGIN:${kind}`, `DTSTART:${wallIn(at, fromOffset)}`, `TZOFFSETFROM:${offsetText(fromOffset)}`, `TZOFFSETTO:${offsetText(toOffset)}`);
    if (abbr && !/^GMT[+-]/.test(abbr)) lines.push(`TZNAME:${escapeText(abbr)}`);
    lines.push(`END:${kind}`);
  };
  // The observance in force at `start` begins at the zone's last change before it (within a
  // year); a zone with none (Asia/Tokyo) has one observance from 1970, as calendar apps write it.
  const previous = transitions(zone, start - 366 * 86_400_000, start).at(-1);
  if (previous) observance(isDst(previous.at) ? 'DAYLIGHT' : 'STANDARD', previous.at, previous.before, previous.after);
  else lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offsetText(first)}`, `TZOFFSETTO:${offsetText(first)}`, 'END:STANDARD');
  for (const t of transitions(zone, start, end)) observance(isDst(t.at) ? 'DAYLIGHT' : 'STANDARD', t.at, t.before, t.after);
  lines.push('END:VTIMEZONE');
  return lines;
}

/** The whole calendar, CRLF-terminated. */
export function renderCalendar(cal: FeedCalendar): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Fascia//Practitioner feed//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT15M',
    'X-PUBLISHED-TTL:PT15M',
  ];
  const zones = [...new Set(cal.events.map((e) => e.zone))].filter((z) => !isUtcZone(z)).sort();
  for (const zone of zones) lines.push(...vtimezone(zone, cal.from, cal.to));
  const stamp = utc(cal.now);
  for (const e of cal.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTAMP:${stamp}`,
      `LAST-MODIFIED:${utc(e.lastModified)}`,
      timeProperty('DTSTART', e.start, e.zone),
      timeProperty('DTEND', e.end, e.zone),
      `SUMMARY:${escapeText(e.summary)}`,
      `LOCATION:${escapeText(e.location)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      'STATUS:CONFIRMED',
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
