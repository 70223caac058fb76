import type { Discipline, Modality, Role } from '../gql/graphql';

export const WEEKDAYS: { value: number; label: string; short: string }[] = [
  { value: 1, label: 'Monday', short: 'Mon' },
  { value: 2, label: 'Tuesday', short: 'Tue' },
  { value: 3, label: 'Wednesday', short: 'Wed' },
  { value: 4, label: 'Thursday', short: 'Thu' },
  { value: 5, label: 'Friday', short: 'Fri' },
  { value: 6, label: 'Saturday', short: 'Sat' },
  { value: 7, label: 'Sunday', short: 'Sun' },
];

export function weekdayLabel(weekday: number, short = false): string {
  const d = WEEKDAYS.find((w) => w.value === weekday);
  return d ? (short ? d.short : d.label) : `Day ${weekday}`;
}

export const DISCIPLINES: Record<Discipline, string> = {
  MASSAGE_THERAPIST: 'Massage therapist',
  PHYSIOTHERAPIST: 'Physiotherapist',
  PAIN_SPECIALIST: 'Pain specialist',
  ACUPUNCTURIST: 'Acupuncturist',
  PHYSICIAN: 'Physician',
};

export const MODALITIES: Record<Modality, string> = {
  SWEDISH: 'Swedish',
  DEEP_TISSUE: 'Deep tissue',
  TRIGGER_POINT: 'Trigger point',
  MYOFASCIAL_RELEASE: 'Myofascial release',
  ASSISTED_STRETCHING: 'Assisted stretching',
  HOT_COLD: 'Hot & cold therapy',
  CUPPING: 'Cupping',
  SCRAPING: 'Scraping (IASTM)',
  PHYSIOTHERAPY: 'Physiotherapy',
  ACUPUNCTURE: 'Acupuncture',
  MEDICAL_ASSESSMENT: 'Medical assessment',
  PAIN_MANAGEMENT: 'Pain management',
};

export const ROLES: Record<Role, { label: string; description: string }> = {
  ORG_ADMIN: { label: 'Organization admin', description: 'Sets up clinics, staff and roles across every location.' },
  CLINIC_MANAGER: { label: 'Clinic manager', description: 'Runs the clinics they are assigned to.' },
  FRONT_DESK: { label: 'Front desk', description: 'Books and moves appointments for their clinics.' },
  PRACTITIONER: { label: 'Practitioner', description: 'Sees their own clients, plans and sessions.' },
};

export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/** ISO 3166-1 alpha-2 codes the browser can name, sorted by name. */
export function countries(): { code: string; name: string }[] {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const notCountries = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ', 'AC', 'CP', 'DG', 'EA', 'IC', 'TA', 'XK']);
  const out: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (notCountries.has(code)) continue;
      let name: string | undefined;
      try {
        name = names.of(code);
      } catch {
        name = undefined;
      }
      if (name && name !== code) out.push({ code, name });
    }
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

export function browserCountry(): string {
  try {
    return new Intl.Locale(navigator.language).maximize().region ?? 'US';
  } catch {
    return 'US';
  }
}

export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/*
 * Dates and times: one family of formatters for every page, in the clinic's time zone.
 *
 *   formatDate      "Mon 30 Nov 2026"     (a day; { weekday: false } for a birth date: "2 Mar 1985")
 *   formatDay       "Mon 30 Nov"          (a day in a list that shows its week or month; "30 Nov" on a chart's axis)
 *   formatTime      "09:00"               (24-hour)
 *   formatDateTime  "Mon 30 Nov, 09:00"   (the year added when it is not this year: "Fri 4 Dec 2025, 14:30")
 *
 * Each takes what the API sends: a wall date (YYYY-MM-DD: a birth date, a consent's last day),
 * a clinic's wall time (YYYY-MM-DDTHH:mm, an appointment's localStart), both written as they
 * are, or an instant (ISO 8601 with Z or an offset), shown in the display zone: the clinic
 * picked in the header (ClinicProvider sets it), or the one zone every clinic shares, else the
 * browser's. English day and month names whatever the browser's language, like the rest of the app.
 */
const WEEKDAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/;

let displayZone: string | null = null;

/** The zone instants are shown in (null: the browser's). Set by ClinicProvider. */
export function setDisplayZone(zone: string | null): void {
  displayZone = zone;
}

export function getDisplayZone(): string {
  return displayZone ?? browserTimeZone();
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(zone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      f = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone });
    } catch {
      f = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
    }
    partsFormatters.set(zone, f);
  }
  return f;
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  time: string | null;
}

/** A value's wall date (and time) in the zone; null when it is not a date. */
export function wallParts(value: string, zone = getDisplayZone()): WallParts | null {
  const m = WALL.exec(value);
  if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), time: m[4] ? `${m[4]}:${m[5]}` : null };
  const t = Date.parse(value);
  if (Number.isNaN(t)) return null;
  const parts = partsIn(zone).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: get('year'), month: get('month'), day: get('day'), time: `${String(get('hour')).padStart(2, '0')}:${String(get('minute')).padStart(2, '0')}` };
}

function dayWords(w: WallParts, opts: { weekday: boolean; year: boolean }): string {
  const weekday = WEEKDAY_SHORT[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()];
  return `${opts.weekday ? `${weekday} ` : ''}${w.day} ${MONTH_SHORT[w.month - 1]}${opts.year ? ` ${w.year}` : ''}`;
}

/** "Mon 30 Nov 2026"; `{ weekday: false }`: "30 Nov 2026" (a birth date). What is not a date is returned as it is. */
export function formatDate(value: string, opts: { weekday?: boolean; zone?: string } = {}): string {
  const w = wallParts(value, opts.zone);
  return w ? dayWords(w, { weekday: opts.weekday ?? true, year: true }) : value;
}

/** "Mon 30 Nov": a day where the year goes without saying (a week's rows); `{ weekday: false }`: "30 Nov" (a chart's axis). */
export function formatDay(value: string, opts: { zone?: string; weekday?: boolean } = {}): string {
  const w = wallParts(value, opts.zone);
  return w ? dayWords(w, { weekday: opts.weekday ?? true, year: false }) : value;
}

/** "09:00" (24-hour, in the zone; a wall time as written). */
export function formatTime(value: string, opts: { zone?: string } = {}): string {
  return wallParts(value, opts.zone)?.time ?? value;
}

/** "Mon 30 Nov, 09:00", with the year when it is not this year in the zone: "Fri 4 Dec 2025, 14:30". */
export function formatDateTime(value: string, opts: { zone?: string; now?: Date } = {}): string {
  const zone = opts.zone ?? getDisplayZone();
  const w = wallParts(value, zone);
  if (!w) return value;
  const thisYear = wallParts((opts.now ?? new Date()).toISOString(), zone)?.year;
  return `${dayWords(w, { weekday: true, year: w.year !== thisYear })}${w.time ? `, ${w.time}` : ''}`;
}

/** Now in a clinic's zone: its ISO weekday and HH:mm, for "open now". */
export function clinicNow(timeZone: string, now = new Date()): { weekday: number; time: string; label: string } {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    const weekday = WEEKDAYS.find((w) => w.short === get('weekday'))?.value ?? 1;
    const time = `${get('hour')}:${get('minute')}`;
    return { weekday, time, label: `${weekdayLabel(weekday)} ${time}` };
  } catch {
    return { weekday: 1, time: '00:00', label: '' };
  }
}

export function summarizeHours(windows: { weekday: number; start: string; end: string }[]): string {
  if (windows.length === 0) return 'No opening hours';
  const byDay = [...windows].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  return byDay.map((w) => `${weekdayLabel(w.weekday, true)} ${w.start}–${w.end}`).join(', ');
}
