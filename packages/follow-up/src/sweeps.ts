import { reassessmentAnchor, reassessmentDue as reassessmentDueBy, type HomeCareItem, type PlanPhase, type TreatmentPlan } from '@fascia/planning';
import type { AppointmentKind, AppointmentStatus } from './vocabulary';

/**
 * The decisions behind the periodic sweeps, as pure functions of a plan, its
 * appointments and `now`. The worker loads the rows and writes what these return,
 * under dedupe keys, so a sweep that runs twice decides the same thing twice and
 * writes it once.
 */

type PhaseView = Pick<PlanPhase, 'index' | 'kind' | 'label'> & {
  frequency: Pick<PlanPhase['frequency'], 'value'>;
  reassessment: Pick<PlanPhase['reassessment'], 'value'>;
};
type HomeCareView = Pick<HomeCareItem, 'kind' | 'description'> & { daysPerWeek: Pick<HomeCareItem['daysPerWeek'], 'value'> };

/** The parts of a `TreatmentPlan` body the sweeps read, derived from @fascia/planning's types (a stored body is one). */
export interface PlanBodyView extends Pick<TreatmentPlan, 'currentPhaseIndex' | 'phaseStartedAtSession'> {
  phases: PhaseView[];
  homeCare: HomeCareView[];
}

export interface AppointmentView {
  id: string;
  startsAt: Date;
  status: AppointmentStatus;
  kind: AppointmentKind;
  phaseIndex: number | null;
}

export interface PlanView {
  planId: string;
  status: 'PROPOSED' | 'ACTIVE' | 'MAINTENANCE' | 'COMPLETED' | 'DISCONTINUED';
  body: PlanBodyView;
  /**
   * When the plan last changed course: its latest version that is not an EDITED one (the
   * acceptance, a re-assessment's decision, a status). Editing a plan's details neither
   * postpones nor repeats its re-assessment.
   */
  versionChangedAt: Date;
  appointments: AppointmentView[];
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const ATTENDED: readonly AppointmentStatus[] = ['COMPLETED', 'CHECKED_IN'];
const MISSED: readonly AppointmentStatus[] = ['NO_SHOW', 'LATE_CANCELLED'];

export const isLivePlan = (p: Pick<PlanView, 'status'>): boolean => p.status === 'ACTIVE' || p.status === 'MAINTENANCE';

function currentPhase(body: PlanBodyView) {
  const phase = body.phases[body.currentPhaseIndex] ?? body.phases.find((ph) => ph.index === body.currentPhaseIndex);
  if (!phase) throw new Error(`plan body has no phase ${body.currentPhaseIndex}`);
  return phase;
}

/** When the current phase started: its first appointment, or the plan version that began it. */
export function phaseStartedAt(plan: PlanView): Date {
  const idx = plan.body.currentPhaseIndex;
  const first = plan.appointments.filter((a) => a.phaseIndex === idx).reduce<Date | null>((m, a) => (!m || a.startsAt < m ? a.startsAt : m), null);
  return first && first < plan.versionChangedAt ? first : plan.versionChangedAt;
}

const nextBooked = (plan: PlanView, now: Date): AppointmentView | undefined =>
  plan.appointments.filter((a) => a.status === 'BOOKED' && a.startsAt > now).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];

export interface ReassessmentDue {
  dedupeKey: string;
  reason: string;
  /** False when the next booked appointment is already the re-assessment: no client reminder. */
  remindClient: boolean;
}

/** The plan's last re-assessment that was not dismissed. */
export interface LastReassessment {
  id: string;
  assessedAt: Date;
  /** Sessions completed when it was recorded. */
  sessionsCompleted: number;
}

/**
 * The sweep's side of a re-assessment falling due. *When* it falls due is the planning
 * package's rule (`reassessmentDue`, which the API's `nextReassessment` also calls), from
 * the same inputs the API gives it: the sessions COMPLETED on the plan, anchored at the
 * later of the last re-assessment and the last change of course, the anchor's session
 * count being the larger of the re-assessment's and the phase's start. This adds what
 * the sweep writes: a reason for the practitioner, a dedupe key (one per anchor) and
 * whether to remind the client.
 */
export function reassessmentDue(plan: PlanView, lastReassessment: LastReassessment | null, now: Date): ReassessmentDue | null {
  if (!isLivePlan(plan)) return null;
  const phase = currentPhase(plan.body);
  const cadence = phase.reassessment.value;
  const sessionsCompleted = plan.appointments.filter((a) => a.status === 'COMPLETED').length;
  // The anchor is planning's rule too. The worker's query already kept only what counts: the last
  // re-assessment not dismissed, and the last version that changed course (not an EDITED one).
  const anchor = reassessmentAnchor({
    reassessments: lastReassessment ? [{ status: 'RECORDED', assessedAt: lastReassessment.assessedAt, sessionsCompleted: lastReassessment.sessionsCompleted }] : [],
    versions: [{ changeKind: 'COURSE', changedAt: plan.versionChangedAt }],
    phaseStartedAtSession: plan.body.phaseStartedAtSession,
  });
  if (!anchor) return null;
  const { anchorSession, anchorAt } = anchor;
  const due = reassessmentDueBy({ cadence, sessionsCompleted, anchorSession, anchorAt, now });
  if (!due.isDue) return null;
  const since = lastReassessment ? 'last re-assessment' : 'start of the phase';
  const reason =
    due.by === 'SESSIONS'
      ? `${sessionsCompleted - anchorSession} session(s) attended since the ${since}; the ${phase.label.toLowerCase()} phase re-assesses every ${cadence.everySessions}.`
      : `${Math.floor((now.getTime() - anchorAt.getTime()) / WEEK)} week(s) since the ${since}; the ${phase.label.toLowerCase()} phase re-assesses every ${cadence.everyWeeks} weeks.`;
  return {
    dedupeKey: `reassessment-due:${plan.planId}:${lastReassessment?.id ?? `v-${plan.versionChangedAt.getTime()}`}`,
    reason,
    remindClient: nextBooked(plan, now)?.kind !== 'REASSESSMENT',
  };
}

/** A maintenance reminder goes out this long before the interval comes round… */
export const MAINTENANCE_REMIND_BEFORE_DAYS = 7;
/** …and a follow-up this long after it, when still nothing is booked. */
export const MAINTENANCE_FOLLOW_UP_AFTER_DAYS = 14;

export interface MaintenanceDue {
  kind: 'MAINTENANCE_DUE' | 'MAINTENANCE_FOLLOW_UP';
  dedupeKey: string;
  dueDate: Date;
  intervalWeeks: number;
}

/**
 * After the active phases (current phase = maintenance): each interval after the last
 * visit, a reminder to book (a week before it comes round) and, two weeks after, a
 * follow-up — both only when nothing is booked. Keys carry the due date, so each
 * interval reminds once.
 */
export function maintenanceDue(plan: PlanView, now: Date): MaintenanceDue[] {
  if (!isLivePlan(plan)) return [];
  const phase = currentPhase(plan.body);
  if (phase.kind !== 'maintenance') return [];
  if (nextBooked(plan, now)) return [];
  const f = phase.frequency.value;
  const intervalWeeks = f.perWeeks / f.sessions;
  const lastVisit = plan.appointments.filter((a) => ATTENDED.includes(a.status) && a.startsAt <= now).reduce<Date | null>((m, a) => (!m || a.startsAt > m ? a.startsAt : m), null);
  const from = lastVisit ?? plan.versionChangedAt;
  const dueDate = new Date(from.getTime() + Math.round(intervalWeeks * WEEK));
  const day = dueDate.toISOString().slice(0, 10);
  const out: MaintenanceDue[] = [];
  if (now.getTime() >= dueDate.getTime() - MAINTENANCE_REMIND_BEFORE_DAYS * DAY) out.push({ kind: 'MAINTENANCE_DUE', dedupeKey: `maintenance-due:${plan.planId}:${day}`, dueDate, intervalWeeks });
  if (now.getTime() >= dueDate.getTime() + MAINTENANCE_FOLLOW_UP_AFTER_DAYS * DAY)
    out.push({ kind: 'MAINTENANCE_FOLLOW_UP', dedupeKey: `maintenance-follow-up:${plan.planId}:${day}`, dueDate, intervalWeeks });
  return out;
}

/** ISO weekdays (1 = Monday) on which an item done `daysPerWeek` days a week is nudged, spread over the week. */
export function homeCareWeekdays(daysPerWeek: number): number[] {
  const d = Math.max(0, Math.min(7, Math.round(daysPerWeek)));
  const days = new Set<number>();
  for (let i = 0; i < d; i++) days.add(Math.floor((i * 7) / d) + 1);
  return [...days].sort((a, b) => a - b);
}

/** The home-care items to nudge on a clinic-local date (ISO weekday given), for a live plan only. */
export function homeCareForDay(plan: Pick<PlanView, 'status' | 'body'>, isoWeekday: number): PlanBodyView['homeCare'] {
  if (!isLivePlan(plan)) return [];
  return plan.body.homeCare.filter((item) => homeCareWeekdays(item.daysPerWeek.value).includes(isoWeekday));
}

export interface PlanReviewAlert {
  dedupeKey: string;
  reason: string;
}

/** Attendance is judged over this window (or since the phase began, if later)… */
export const ATTENDANCE_WINDOW_DAYS = 28;
/** …once at least this much of it has passed… */
export const ATTENDANCE_MIN_DAYS = 14;
/** …and is "below the rhythm" under this share of the sessions the frequency implies. */
export const ATTENDANCE_MIN_SHARE = 0.5;

const fmtDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Plan-review alerts for the practitioner, each with its reason: two missed sessions
 * (no-show or late cancel) in the current phase; attendance below half the phase's
 * rhythm over the last four weeks. One alert per phase and cause.
 */
export function planReviewAlerts(plan: PlanView, now: Date): PlanReviewAlert[] {
  if (!isLivePlan(plan)) return [];
  const phase = currentPhase(plan.body);
  const idx = plan.body.currentPhaseIndex;
  const out: PlanReviewAlert[] = [];
  const missed = plan.appointments.filter((a) => a.phaseIndex === idx && MISSED.includes(a.status) && a.startsAt <= now).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (missed.length >= 2) {
    const list = missed.map((a) => `${a.status === 'NO_SHOW' ? 'no-show' : 'late cancel'} ${fmtDate(a.startsAt)}`).join(', ');
    out.push({ dedupeKey: `plan-review:missed:${plan.planId}:p${idx}`, reason: `${missed.length} missed sessions in the ${phase.label.toLowerCase()} phase (${list}).` });
  }
  if (phase.kind !== 'maintenance') {
    const start = new Date(Math.max(phaseStartedAt(plan).getTime(), now.getTime() - ATTENDANCE_WINDOW_DAYS * DAY));
    const days = (now.getTime() - start.getTime()) / DAY;
    if (days >= ATTENDANCE_MIN_DAYS) {
      const f = phase.frequency.value;
      const expected = (f.sessions / f.perWeeks) * (days / 7);
      const attended = plan.appointments.filter((a) => ATTENDED.includes(a.status) && a.startsAt >= start && a.startsAt <= now).length;
      if (attended < expected * ATTENDANCE_MIN_SHARE) {
        const rhythm = f.perWeeks === 1 ? `${f.sessions} a week` : `${f.sessions} every ${f.perWeeks} weeks`;
        out.push({
          dedupeKey: `plan-review:attendance:${plan.planId}:p${idx}`,
          reason: `Attendance below the plan's rhythm: ${attended} session(s) in the last ${Math.round(days)} days against ${rhythm} (about ${Math.round(expected)} expected).`,
        });
      }
    }
  }
  return out;
}
