import { DateTime, IANAZone } from 'luxon';
import { IssueCollector, PlanningInputError } from './errors';
import { PhaseKind, TreatmentPlan } from './plan';
import { Instant, isValidZone, parseDate, parseHhmm, parseInstant } from './time';
import { resolveWallTime } from './wall-time';

/** A weekly window in the clinic's local time: ISO weekday 1 (Monday) – 7 (Sunday), `HH:mm`–`HH:mm`. */
export interface WeeklyWindow {
  weekday: number;
  start: string;
  end: string;
}

export interface SchedulePreferences {
  /** Preferred ISO weekdays; a preferred day within a week of the earliest date wins over an earlier other day. */
  weekdays?: number[];
  /** Preferred local time windows (any weekday), tried before other times. */
  times?: { start: string; end: string }[];
}

export interface MissedSession {
  /** The plan-wide number of the session that did not happen. */
  sessionNumber: number;
  /** When it was booked (instant). It is rebooked after that day, and the rest of its phase shifts. */
  at: Instant;
}

export interface BusyInterval {
  startUtc: string;
  endUtc: string;
}

export interface ExpandScheduleInput {
  plan: TreatmentPlan;
  /** The clinic's IANA time zone, e.g. `Europe/London`. */
  timeZone: string;
  availability: WeeklyWindow[];
  openingHours: WeeklyWindow[];
  /** Local calendar dates `YYYY-MM-DD` with no sessions (holidays, leave). */
  avoidDates?: string[];
  preferences?: SchedulePreferences;
  /** First possible session: a local date `YYYY-MM-DD` or an instant. */
  startFrom: Instant;
  missed?: MissedSession[];
  /** Existing bookings of the practitioner or room that slots must not overlap. */
  existing?: BusyInterval[];
  /** Sessions completed so far (default: the start of the plan's current phase). */
  sessionsCompleted?: number;
  /** Maintenance visits to lay out after the active phases (default 0). */
  maintenanceVisits?: number;
  /** Start-time granularity in minutes (default 15). */
  stepMinutes?: number;
  /** How far to look for a free day for one session before giving up (default 366). */
  searchDays?: number;
}

export interface ScheduledSlot {
  sessionNumber: number;
  phaseIndex: number;
  phaseKind: PhaseKind;
  /** 1-based position within the phase. */
  indexInPhase: number;
  startUtc: string;
  endUtc: string;
  /** Local wall time `YYYY-MM-DDTHH:mm` in `timeZone`. */
  localStart: string;
  localEnd: string;
  weekday: number;
  timeZone: string;
  utcOffsetMinutes: number;
  durationMinutes: number;
  /** Set when this session replaces a missed booking. */
  rescheduledFrom?: string;
}

export interface Schedule {
  timeZone: string;
  slots: ScheduledSlot[];
  missed: { sessionNumber: number; at: string }[];
}

interface Win {
  start: number;
  end: number;
}

function parseWindows(c: IssueCollector, field: string, v: unknown): Map<number, Win[]> {
  const out = new Map<number, Win[]>();
  if (!Array.isArray(v) || v.length === 0) {
    c.add(field, 'must list at least one weekly window { weekday, start, end }');
    return out;
  }
  v.forEach((w: unknown, k) => {
    const f = `${field}[${k}]`;
    const o = (w ?? {}) as Record<string, unknown>;
    const wd = o.weekday;
    if (typeof wd !== 'number' || !Number.isInteger(wd) || wd < 1 || wd > 7) return c.add(`${f}.weekday`, `must be an ISO weekday 1 (Monday) to 7 (Sunday); got ${JSON.stringify(wd)}`);
    const s = parseHhmm(o.start);
    const e = parseHhmm(o.end);
    if (s === undefined || s === 1440) return c.add(`${f}.start`, `must be a local time HH:mm; got ${JSON.stringify(o.start)}`);
    if (e === undefined) return c.add(`${f}.end`, `must be a local time HH:mm; got ${JSON.stringify(o.end)}`);
    if (e <= s) return c.add(`${f}.end`, `must be after start (${String(o.start)}–${String(o.end)})`);
    out.set(wd, [...(out.get(wd) ?? []), { start: s, end: e }]);
  });
  return out;
}

function intersect(a: readonly Win[], b: readonly Win[]): Win[] {
  const out: Win[] = [];
  for (const x of a) for (const y of b) {
    const s = Math.max(x.start, y.start);
    const e = Math.min(x.end, y.end);
    if (e > s) out.push({ start: s, end: e });
  }
  return out.sort((p, q) => p.start - q.start);
}

interface Placed {
  sMs: number;
  eMs: number;
  offStart: number;
  offEnd: number;
  minutes: number;
}

/** A local calendar date; `n` counts days from 1970-01-01. Pure arithmetic, no clock. */
interface CalDate {
  n: number;
  year: number;
  month: number;
  day: number;
  /** ISO weekday 1 (Monday) – 7 (Sunday). */
  weekday: number;
}

const DAY_MS = 86400000;
function cal(n: number): CalDate {
  const d = new Date(n * DAY_MS);
  const wd = d.getUTCDay();
  return { n, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: wd === 0 ? 7 : wd };
}
const calOf = (year: number, month: number, day: number): CalDate => cal(Math.round(Date.UTC(year, month - 1, day) / DAY_MS));
const pad = (x: number, w = 2): string => String(x).padStart(w, '0');
const isoOf = (c: CalDate): string => `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;


/**
 * Turns a plan into concrete session slots in the clinic's time zone.
 * Rules: every slot lies within both the practitioner's availability and the opening hours
 * (local wall time); spacing follows each phase's frequency (weekly 7 days, twice weekly 3–4 days,
 * fortnightly 14…) measured from the previous session actually placed, so a delay or a missed
 * session shifts the rest of the phase instead of shrinking it; a session keeps the previous
 * session's local time when it can (09:00 stays 09:00 across a DST change, its UTC moves);
 * local times that do not exist (spring-forward gap) or sessions spanning a DST change are never
 * produced; ambiguous fall-back times resolve to their first occurrence.
 */
export function expandSchedule(input: ExpandScheduleInput): Schedule {
  const c = new IssueCollector();
  const plan = input.plan as TreatmentPlan | { blocked: true } | undefined;
  if (!plan || plan.blocked) throw new PlanningInputError([{ field: 'plan', problem: 'a blocked plan has no schedule: follow its referral' }]);
  if (input.plan.status === 'stopped' || input.plan.status === 'on-hold-referral') c.add('plan.status', `is ${input.plan.status}: no sessions to schedule`);
  const zone = input.timeZone;
  if (!isValidZone(zone)) c.add('timeZone', `is not a known IANA time zone: ${JSON.stringify(zone)}`);
  const avail = parseWindows(c, 'availability', input.availability);
  const open = parseWindows(c, 'openingHours', input.openingHours);
  const avoid = new Set<string>();
  (input.avoidDates ?? []).forEach((d, k) => {
    if (!parseDate(d)) c.add(`avoidDates[${k}]`, `must be a calendar date YYYY-MM-DD; got ${JSON.stringify(d)}`);
    else avoid.add(d);
  });
  const prefDays = new Set<number>();
  (input.preferences?.weekdays ?? []).forEach((d, k) => {
    if (!Number.isInteger(d) || d < 1 || d > 7) c.add(`preferences.weekdays[${k}]`, `must be an ISO weekday 1–7; got ${JSON.stringify(d)}`);
    else prefDays.add(d);
  });
  const prefTimes: Win[] = [];
  (input.preferences?.times ?? []).forEach((t, k) => {
    const s = parseHhmm(t?.start);
    const e = parseHhmm(t?.end);
    if (s === undefined || e === undefined || e <= s) c.add(`preferences.times[${k}]`, 'must be { start: HH:mm, end: HH:mm } with end after start');
    else prefTimes.push({ start: s, end: e });
  });
  const step = input.stepMinutes ?? 15;
  if (!Number.isInteger(step) || step < 5 || step > 120) c.add('stepMinutes', `must be a whole number of minutes from 5 to 120; got ${step}`);
  const searchDays = input.searchDays ?? 366;
  if (!Number.isInteger(searchDays) || searchDays < 7 || searchDays > 3660) c.add('searchDays', `must be a whole number from 7 to 3660; got ${searchDays}`);
  const maintenanceVisits = input.maintenanceVisits ?? 0;
  if (!Number.isInteger(maintenanceVisits) || maintenanceVisits < 0 || maintenanceVisits > 52) c.add('maintenanceVisits', `must be a whole number from 0 to 52; got ${maintenanceVisits}`);
  const done = input.sessionsCompleted ?? input.plan.phaseStartedAtSession;
  if (!Number.isInteger(done) || done < input.plan.phaseStartedAtSession) {
    c.add('sessionsCompleted', `must be a whole number ≥ ${input.plan.phaseStartedAtSession} (sessions before the current phase); got ${JSON.stringify(done)}`);
  }
  c.throwIfAny();

  // Start: a local date or an instant.
  let startDate: CalDate;
  let earliestMs: number;
  const sd = parseDate(input.startFrom);
  if (sd) {
    startDate = calOf(sd.year, sd.month, sd.day);
    earliestMs = -Infinity;
  } else {
    const inst = parseInstant(input.startFrom, 'startFrom');
    const local = inst.setZone(zone);
    startDate = calOf(local.year, local.month, local.day);
    earliestMs = inst.toMillis();
  }

  const daily = new Map<number, Win[]>();
  for (let wd = 1; wd <= 7; wd++) daily.set(wd, intersect(avail.get(wd) ?? [], open.get(wd) ?? []));
  if ([...daily.values()].every((w) => w.length === 0)) {
    throw new PlanningInputError([{ field: 'availability', problem: 'does not overlap the opening hours on any weekday' }]);
  }

  // Missed sessions: latest booking per session number.
  const missedBy = new Map<number, DateTime>();
  const missedOut: Schedule['missed'] = [];
  (input.missed ?? []).forEach((m, k) => {
    if (!Number.isInteger(m?.sessionNumber) || m.sessionNumber <= done) {
      throw new PlanningInputError([{ field: `missed[${k}].sessionNumber`, problem: `must be a session after the ${done} completed; got ${JSON.stringify(m?.sessionNumber)}` }]);
    }
    const at = parseInstant(m.at, `missed[${k}].at`);
    const prev = missedBy.get(m.sessionNumber);
    if (!prev || at > prev) missedBy.set(m.sessionNumber, at);
    missedOut.push({ sessionNumber: m.sessionNumber, at: at.toISO()! });
  });

  const busy = (input.existing ?? []).map((b, k) => {
    const s = parseInstant(b.startUtc, `existing[${k}].startUtc`).toMillis();
    const e = parseInstant(b.endUtc, `existing[${k}].endUtc`).toMillis();
    if (e <= s) throw new PlanningInputError([{ field: `existing[${k}].endUtc`, problem: 'must be after startUtc' }]);
    return { s, e };
  });

  // Sessions to lay out, phase by phase from the current one.
  const phases = input.plan.phases;
  const work: { phaseIndex: number; kind: PhaseKind; count: number; firstIndex: number; length: number; sessions: number; perWeeks: number }[] = [];
  for (let i = input.plan.currentPhaseIndex; i < phases.length; i++) {
    const ph = phases[i];
    const doneInPhase = i === input.plan.currentPhaseIndex ? done - input.plan.phaseStartedAtSession : 0;
    const count = ph.kind === 'maintenance' ? maintenanceVisits : Math.max(0, ph.sessions.value.likely - doneInPhase);
    if (count > 0) {
      work.push({ phaseIndex: i, kind: ph.kind, count, firstIndex: doneInPhase, length: ph.sessionLengthMinutes.value, ...ph.frequency.value });
    }
  }
  const longest = Math.max(...[...daily.values()].flat().map((w) => w.end - w.start));
  const needed = Math.max(0, ...work.map((w) => w.length));
  if (needed > longest) {
    throw new PlanningInputError([{ field: 'availability', problem: `no window where availability and opening hours overlap is long enough for a ${needed}-minute session` }]);
  }

  const slots: ScheduledSlot[] = [];
  const taken: { s: number; e: number }[] = [];
  let prevDate: CalDate | undefined;
  let prevMinutes: number | undefined;
  let number = done;

  const tz = IANAZone.create(zone);
  const tryDay = (date: CalDate, length: number, notBefore: number): Placed | undefined => {
    if (avoid.size > 0 && avoid.has(isoOf(date))) return undefined;
    const windows = daily.get(date.weekday) ?? [];
    const cands: { m: number; key: number }[] = [];
    for (const w of windows) {
      for (let m = w.start; m + length <= w.end; m += step) {
        const preferred = prefTimes.length === 0 || prefTimes.some((p) => m >= p.start && m + length <= p.end);
        cands.push({ m, key: (preferred ? 0 : 2) + (m === prevMinutes ? 0 : 1) });
      }
    }
    if (cands.length === 0) return undefined;
    cands.sort((a, b) => a.key - b.key || a.m - b.m);
    // Fast path: on a day whose UTC offset does not change, wall time maps to UTC by one offset.
    const wallMs = Date.UTC(date.year, date.month - 1, date.day);
    const off = tz.offset(wallMs - tz.offset(wallMs) * 60000);
    const dayStartMs = wallMs - off * 60000;
    const steady = tz.offset(dayStartMs - 1) === off && tz.offset(dayStartMs + DAY_MS) === off;
    for (const { m } of cands) {
      if (steady && m + length <= 1440) {
        const sMs = dayStartMs + m * 60000;
        const eMs = sMs + length * 60000;
        if (sMs < notBefore) continue;
        if (busy.some((b) => b.s < eMs && sMs < b.e) || taken.some((b) => b.s < eMs && sMs < b.e)) continue;
        return { sMs, eMs, offStart: off, offEnd: off, minutes: m };
      }
      const h = Math.floor(m / 60);
      const mi = m % 60;
      const wall = resolveWallTime({ year: date.year, month: date.month, day: date.day, hour: h, minute: mi }, zone);
      if (wall.kind !== 'exact' && wall.kind !== 'ambiguous') continue; // spring-forward gap: that time does not exist
      const start = wall.at; // an autumn overlap is its first occurrence
      const end = start.plus({ minutes: length });
      const endWall = m + length;
      const endLocal = end.hour * 60 + end.minute + (end.day !== date.day ? 1440 : 0);
      if (endLocal !== endWall) continue; // spans a DST change
      const sMs = start.toMillis();
      const eMs = end.toMillis();
      if (sMs < notBefore) continue;
      if (busy.some((b) => b.s < eMs && sMs < b.e) || taken.some((b) => b.s < eMs && sMs < b.e)) continue;
      return { sMs, eMs, offStart: start.offset, offEnd: end.offset, minutes: m };
    }
    return undefined;
  };

  for (const w of work) {
    const interval = (7 * w.perWeeks) / w.sessions;
    for (let k = 0; k < w.count; k++) {
      const idx = w.firstIndex + k; // 0-based index within the phase
      number += 1;
      let earliest: CalDate;
      if (!prevDate) earliest = startDate;
      else {
        const gap = k === 0 && w.firstIndex === 0 ? Math.round(interval) : Math.max(1, Math.round(idx * interval) - Math.round((idx - 1) * interval));
        earliest = cal(prevDate.n + gap);
      }
      if (earliest.n < startDate.n) earliest = startDate;
      let notBefore = earliestMs;
      const missedAt = missedBy.get(number);
      if (missedAt) {
        const ml = missedAt.setZone(zone);
        const after = cal(calOf(ml.year, ml.month, ml.day).n + 1);
        if (after.n > earliest.n) earliest = after;
        notBefore = Math.max(notBefore, missedAt.toMillis());
      }
      let placed: Placed | undefined;
      for (let off = 0; off < searchDays && !placed; off += 7) {
        const days = Array.from({ length: 7 }, (_, j) => cal(earliest.n + off + j));
        const ordered = prefDays.size ? [...days.filter((d) => prefDays.has(d.weekday)), ...days.filter((d) => !prefDays.has(d.weekday))] : days;
        for (const d of ordered) {
          placed = tryDay(d, w.length, notBefore);
          if (placed) break;
        }
      }
      if (!placed) {
        throw new PlanningInputError([
          { field: 'availability', problem: `no free slot for session ${number} within ${searchDays} days of ${isoOf(earliest)} (availability, opening hours, avoided dates and existing bookings)` },
        ]);
      }
      const { sMs, eMs, offStart, offEnd, minutes } = placed;
      taken.push({ s: sMs, e: eMs });
      const localStart = new Date(sMs + offStart * 60000).toISOString().slice(0, 16);
      prevDate = calOf(Number(localStart.slice(0, 4)), Number(localStart.slice(5, 7)), Number(localStart.slice(8, 10)));
      prevMinutes = minutes;
      slots.push({
        sessionNumber: number,
        phaseIndex: w.phaseIndex,
        phaseKind: w.kind,
        indexInPhase: idx + 1,
        startUtc: new Date(sMs).toISOString(),
        endUtc: new Date(eMs).toISOString(),
        localStart,
        localEnd: new Date(eMs + offEnd * 60000).toISOString().slice(0, 16),
        weekday: prevDate.weekday,
        timeZone: zone,
        utcOffsetMinutes: offStart,
        durationMinutes: w.length,
        ...(missedAt ? { rescheduledFrom: missedAt.toISO()! } : {}),
      });
    }
  }
  return { timeZone: zone, slots, missed: missedOut };
}

