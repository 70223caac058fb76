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

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { dateStyle: 'medium' });
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
