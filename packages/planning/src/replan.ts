import { DateTime } from 'luxon';
import { IssueCollector, PlanningInputError } from './errors';
import type { PhaseKind, TreatmentPlan } from './plan';
import { Instant, isValidZone, parseInstant } from './time';
import { expandSchedule, type BusyInterval, type ScheduledSlot, type WeeklyWindow } from './schedule';

/** A future booking of the plan, as the schedule holds it today. */
export interface PlanBooking {
  id: string;
  startUtc: string;
  endUtc: string;
  practitionerId: string;
  clinicId: string;
  /** Only BOOKED sessions are re-planned; any other status is left as it is (and not passed in). */
  status: 'BOOKED';
  sessionNumber?: number | null;
  phaseIndex?: number | null;
}

export interface ReplanInput {
  /** The plan's new version (after the accepted next step). */
  plan: TreatmentPlan;
  /** Sessions completed so far (the new rhythm starts after them). */
  sessionsCompleted: number;
  /** The clinic's IANA zone: every local time below is in it. */
  timeZone: string;
  /** The plan's BOOKED sessions that start after `now`, any order. */
  bookings: PlanBooking[];
  /** When the last session took place (the new rhythm is measured from it); absent: from `now`. */
  lastSessionAt?: Instant | null;
  now: Instant;
  /** The practitioner's weekly availability at the clinic, and the clinic's opening hours (local wall time). */
  availability: WeeklyWindow[];
  openingHours: WeeklyWindow[];
  /** Other appointments of the practitioner, room or client (not this plan's bookings). */
  busy?: BusyInterval[];
  /** Maintenance visits to lay out (default: the maintenance-phase bookings there are, or 2 when the plan is now in maintenance and none are). */
  maintenanceVisits?: number;
  avoidDates?: string[];
}

export interface ReplanTarget {
  sessionNumber: number;
  phaseIndex: number;
  phaseKind: PhaseKind;
}

export interface ReplanKeep extends ReplanTarget {
  bookingId: string;
  startUtc: string;
  endUtc: string;
  localStart: string;
  /** Set when the kept booking no longer lies in the practitioner's availability or the opening hours: it is kept, and flagged. */
  conflict: string | null;
}

export interface ReplanMove extends ReplanTarget {
  bookingId: string;
  fromStartUtc: string;
  fromLocalStart: string;
  startUtc: string;
  endUtc: string;
  localStart: string;
  conflict: string | null;
}

export interface ReplanCancel {
  bookingId: string;
  startUtc: string;
  localStart: string;
}

export interface ReplanAdd extends ReplanTarget {
  startUtc: string;
  endUtc: string;
  localStart: string;
  durationMinutes: number;
  conflict: string | null;
}

export interface ReplanProposal {
  timeZone: string;
  keep: ReplanKeep[];
  move: ReplanMove[];
  cancel: ReplanCancel[];
  add: ReplanAdd[];
  /** One line a person can read: "keeps 2, cancels 6, adds 1". */
  summary: string;
}

const localOf = (iso: string, zone: string): string => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat("yyyy-LL-dd'T'HH:mm");
const dayNumber = (iso: string, zone: string): number => {
  const d = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  return Math.round(Date.UTC(d.year, d.month - 1, d.day) / 86400000);
};
const minutesOfDay = (ms: number, zone: string): number => {
  const d = DateTime.fromMillis(ms, { zone });
  return d.hour * 60 + d.minute;
};

/** Days either side of the new rhythm's date within which an existing booking still fits it. */
export function keepTolerance(intervalDays: number): number {
  return Math.max(1, Math.min(3, Math.floor(intervalDays / 4)));
}

/**
 * Re-plans a plan's booked series for its new rhythm (an accepted next step: a step-down from
 * twice weekly to every two weeks, a step-up, a move to maintenance).
 *
 * 1. The new series is laid out by `expandSchedule` from the last session (its first session one
 *    new interval later), at the bookings' usual local time, within availability and opening
 *    hours, avoiding other appointments — in the clinic's zone, so 09:00 stays 09:00 across DST.
 * 2. Each new session takes the existing booking nearest to it when that booking lies within the
 *    tolerance of the new rhythm (1 day for weekly or faster, up to 3 for fortnightly and slower):
 *    the booking is **kept** at its own time.
 * 3. A new session with no booking in tolerance takes a left-over booking no more than 7 days away
 *    (the booking is **moved** to the new time); otherwise it is **added**.
 * 4. Every booking left over is **cancelled**.
 */
export function replanSeries(input: ReplanInput): ReplanProposal {
  const c = new IssueCollector();
  if (!isValidZone(input.timeZone)) c.add('timeZone', `is not a known IANA time zone: ${JSON.stringify(input.timeZone)}`);
  if (!Array.isArray(input.bookings)) c.add('bookings', 'must be a list');
  c.throwIfAny();
  const zone = input.timeZone;
  const now = parseInstant(input.now, 'now');
  const bookings = input.bookings
    .map((b, k) => {
      const s = parseInstant(b.startUtc, `bookings[${k}].startUtc`);
      const e = parseInstant(b.endUtc, `bookings[${k}].endUtc`);
      if (e <= s) throw new PlanningInputError([{ field: `bookings[${k}].endUtc`, problem: 'must be after startUtc' }]);
      return { ...b, startUtc: s.toUTC().toISO()!, endUtc: e.toUTC().toISO()!, sMs: s.toMillis(), eMs: e.toMillis() };
    })
    .sort((a, b) => a.sMs - b.sMs);

  const phase = input.plan.phases[input.plan.currentPhaseIndex];
  if (!phase) throw new PlanningInputError([{ field: 'plan.currentPhaseIndex', problem: 'names no phase of the plan' }]);
  const interval = (7 * phase.frequency.value.perWeeks) / phase.frequency.value.sessions;
  const maintenanceIndex = input.plan.phases.findIndex((p) => p.kind === 'maintenance');
  const bookedMaintenance = bookings.filter((b) => maintenanceIndex >= 0 && b.phaseIndex === maintenanceIndex).length;
  const maintenanceVisits = input.maintenanceVisits ?? (bookedMaintenance > 0 ? bookedMaintenance : phase.kind === 'maintenance' ? 2 : 0);

  // The usual local time of the booked series (the most frequent start), kept by the new series.
  const times = new Map<number, number>();
  for (const b of bookings) {
    const m = minutesOfDay(b.sMs, zone);
    times.set(m, (times.get(m) ?? 0) + 1);
  }
  const usual = [...times.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  const length = phase.sessionLengthMinutes.value;
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const preferTimes = usual !== undefined && usual + length <= 1440 ? [{ start: hhmm(usual), end: hhmm(usual + length) }] : undefined;

  // Where the new rhythm starts: one new interval after the last session, never before now.
  const last = input.lastSessionAt ? parseInstant(input.lastSessionAt, 'lastSessionAt') : now;
  const startLocal = last.setZone(zone).startOf('day').plus({ days: Math.round(interval) });
  const startFrom = startLocal <= now.setZone(zone) ? now.toUTC().toISO()! : startLocal.toISODate()!;

  let slots: ScheduledSlot[] = [];
  const remaining = input.plan.phases.slice(input.plan.currentPhaseIndex).some((p, i) =>
    p.kind === 'maintenance' ? maintenanceVisits > 0 : p.sessions.value.likely - (i === 0 ? input.sessionsCompleted - input.plan.phaseStartedAtSession : 0) > 0,
  );
  if (input.plan.status !== 'stopped' && input.plan.status !== 'on-hold-referral' && !input.plan.blocked && remaining) {
    slots = expandSchedule({
      plan: input.plan,
      timeZone: zone,
      availability: input.availability,
      openingHours: input.openingHours,
      startFrom,
      existing: input.busy ?? [],
      sessionsCompleted: Math.max(input.sessionsCompleted, input.plan.phaseStartedAtSession),
      maintenanceVisits,
      avoidDates: input.avoidDates,
      preferences: preferTimes ? { times: preferTimes } : undefined,
    }).slots;
  }

  const used = new Set<string>();
  const keep: ReplanKeep[] = [];
  const unmatched: ScheduledSlot[] = [];
  for (const slot of slots) {
    const gap = slot.phaseIndex === input.plan.currentPhaseIndex ? interval : (7 * input.plan.phases[slot.phaseIndex].frequency.value.perWeeks) / input.plan.phases[slot.phaseIndex].frequency.value.sessions;
    const tol = keepTolerance(gap);
    const target = dayNumber(slot.startUtc, zone);
    const lastKept = keep.length ? keep[keep.length - 1].startUtc : undefined;
    const best = bookings
      .filter((b) => !used.has(b.id) && Math.abs(dayNumber(b.startUtc, zone) - target) <= tol && (!lastKept || b.sMs > Date.parse(lastKept)))
      .sort((a, b) => Math.abs(dayNumber(a.startUtc, zone) - target) - Math.abs(dayNumber(b.startUtc, zone) - target) || a.sMs - b.sMs)[0];
    if (best) {
      used.add(best.id);
      keep.push({
        bookingId: best.id,
        sessionNumber: slot.sessionNumber,
        phaseIndex: slot.phaseIndex,
        phaseKind: slot.phaseKind,
        startUtc: best.startUtc,
        endUtc: best.endUtc,
        localStart: localOf(best.startUtc, zone),
        conflict: null,
      });
    } else unmatched.push(slot);
  }

  const move: ReplanMove[] = [];
  const add: ReplanAdd[] = [];
  for (const slot of unmatched) {
    const target = dayNumber(slot.startUtc, zone);
    const near = bookings
      .filter((b) => !used.has(b.id) && Math.abs(dayNumber(b.startUtc, zone) - target) <= 7)
      .sort((a, b) => Math.abs(dayNumber(a.startUtc, zone) - target) - Math.abs(dayNumber(b.startUtc, zone) - target) || a.sMs - b.sMs)[0];
    const at = { sessionNumber: slot.sessionNumber, phaseIndex: slot.phaseIndex, phaseKind: slot.phaseKind, startUtc: slot.startUtc, endUtc: slot.endUtc, localStart: slot.localStart, conflict: null };
    if (near) {
      used.add(near.id);
      move.push({ ...at, bookingId: near.id, fromStartUtc: near.startUtc, fromLocalStart: localOf(near.startUtc, zone) });
    } else add.push({ ...at, durationMinutes: slot.durationMinutes });
  }
  const cancel: ReplanCancel[] = bookings.filter((b) => !used.has(b.id)).map((b) => ({ bookingId: b.id, startUtc: b.startUtc, localStart: localOf(b.startUtc, zone) }));

  // Flags: a kept booking outside today's availability; a new time overlapping a kept booking.
  const windows = (list: WeeklyWindow[], weekday: number) => list.filter((w) => w.weekday === weekday);
  const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const inside = (startIso: string, endIso: string) => {
    const s = DateTime.fromISO(startIso, { zone: 'utc' }).setZone(zone);
    const e = DateTime.fromISO(endIso, { zone: 'utc' }).setZone(zone);
    const sm = s.hour * 60 + s.minute;
    const em = e.hasSame(s, 'day') ? e.hour * 60 + e.minute : 1440;
    const fits = (list: WeeklyWindow[]) => windows(list, s.weekday).some((w) => toMin(w.start) <= sm && em <= toMin(w.end));
    return fits(input.availability) && fits(input.openingHours);
  };
  for (const k of keep) if (!inside(k.startUtc, k.endUtc)) k.conflict = 'outside the practitioner’s availability or the opening hours';
  const keptIntervals = keep.map((k) => ({ s: Date.parse(k.startUtc), e: Date.parse(k.endUtc) }));
  for (const x of [...move, ...add]) {
    const s = Date.parse(x.startUtc);
    const e = Date.parse(x.endUtc);
    if (keptIntervals.some((k) => k.s < e && s < k.e)) x.conflict = 'overlaps a session that is kept';
  }

  const n = (count: number, word: string) => `${word} ${count}`;
  const summary = [n(keep.length, 'keeps'), n(move.length, 'moves'), n(cancel.length, 'cancels'), n(add.length, 'adds')].join(', ');
  return { timeZone: zone, keep, move, cancel, add, summary };
}
