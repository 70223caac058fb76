import { EvidenceRef, practice, Reasoned, reasoned } from './evidence';
import type { Intake } from './intake';
import type { Frequency, ReassessmentCadence } from './plan';

/**
 * A safeguard: a limit that one of the client's conditions, complaints or circumstances puts on
 * the plan, whichever protocol leads. The leading protocol sets the rhythm; then every safeguard
 * collected from the whole intake is applied on top of it (and again whenever a re-assessment
 * would change the rhythm), so a safeguard is never lost because another protocol leads.
 */
export interface Safeguard {
  id: SafeguardId;
  /** What it comes from, in words (a condition, a complaint, the client's age or health). */
  source: string;
  /** At most this many sessions a week, in every phase and after any re-assessment. */
  maxSessionsPerWeek?: number;
  /** Sessions no longer than this, in every phase (maintenance included). */
  maxSessionMinutes?: number;
  /** The initial phase is re-assessed after at most this many sessions. */
  reassessWithinSessions?: number;
  reason: string;
  evidence: EvidenceRef;
}

export type SafeguardId = 'fibromyalgia.weekly-at-most' | 'frailty.shorter-sessions' | 'fresh-injury.early-reassessment';

/** Sessions of at most this length for clients aged 80 or more or in poor general health. */
export const FRAIL_SESSION_MINUTES = 45;
export const FRAIL_AGE = 80;
/** A complaint under 6 weeks old is re-checked after at most this many sessions. */
export const FRESH_INJURY_REASSESS_SESSIONS = 3;

const FIBRO_WEEKLY = practice(
  'Fibromyalgia is treated at most once a week, even when the pain is severe or another complaint would call for more: it can flare after intensive treatment, so sessions are added rather than frequency. Clinical practice; no trial backs this number.',
  'chronicExtended',
);

/** Every safeguard the intake calls for, from all its conditions and complaints (not only the leading protocol's). */
export function collectSafeguards(intake: Pick<Intake, 'conditions' | 'complaints' | 'age' | 'generalHealth'>): Safeguard[] {
  const out: Safeguard[] = [];
  if (intake.conditions.includes('fibromyalgia')) {
    out.push({
      id: 'fibromyalgia.weekly-at-most',
      source: 'fibromyalgia',
      maxSessionsPerWeek: 1,
      reason: 'Once a week at most because of the fibromyalgia: it can flare after intensive treatment, so we add sessions rather than frequency.',
      evidence: FIBRO_WEEKLY,
    });
  }
  if (intake.age >= FRAIL_AGE || intake.generalHealth === 'poor') {
    out.push({
      id: 'frailty.shorter-sessions',
      source: intake.generalHealth === 'poor' ? 'poor general health' : `age ${intake.age}`,
      maxSessionMinutes: FRAIL_SESSION_MINUTES,
      reason: 'Shorter, 45-minute sessions are easier to tolerate with your age or health.',
      evidence: practice('Shorter sessions for frail clients, in every phase including maintenance. Clinical practice; no trial backs this number.', 'individualDifferences'),
    });
  }
  const fresh = intake.complaints.filter((c) => c.chronicity === 'acute');
  if (fresh.length > 0) {
    out.push({
      id: 'fresh-injury.early-reassessment',
      source: `recent complaint ${fresh.map((c) => c.id).join(', ')}`,
      reassessWithinSessions: FRESH_INJURY_REASSESS_SESSIONS,
      reason: `A recent injury or pain is re-checked after at most ${FRESH_INJURY_REASSESS_SESSIONS} sessions, whatever else is being treated.`,
      evidence: practice(
        'Re-checking a fresh injury after a few sessions, as on the acute pathway, even when a longer protocol leads. Clinical practice; no trial backs this number.',
        'reassessmentsKey',
      ),
    });
  }
  return out;
}

/** The most sessions a week the safeguards allow (Infinity when none limits it). */
export function maxSessionsPerWeekAllowed(safeguards: readonly Safeguard[]): number {
  return Math.min(Infinity, ...safeguards.map((s) => s.maxSessionsPerWeek ?? Infinity));
}

const spw = (f: Frequency): number => f.sessions / f.perWeeks;

/** The frequency, lowered to the strictest safeguard when it is above it; the reason says which safeguard. */
export function limitFrequency(frequency: Reasoned<Frequency>, safeguards: readonly Safeguard[]): { frequency: Reasoned<Frequency>; applied?: Safeguard } {
  const limiting = safeguards
    .filter((s) => s.maxSessionsPerWeek !== undefined && spw(frequency.value) > s.maxSessionsPerWeek)
    .sort((a, b) => a.maxSessionsPerWeek! - b.maxSessionsPerWeek!)[0];
  if (!limiting) return { frequency };
  const max = limiting.maxSessionsPerWeek!;
  const value: Frequency = max >= 1 ? { sessions: Math.floor(max), perWeeks: 1 } : { sessions: 1, perWeeks: Math.ceil(1 / max) };
  return { frequency: reasoned(value, limiting.reason, limiting.evidence), applied: limiting };
}

/** The session length, shortened to the strictest safeguard when it is longer. */
export function limitSessionLength(length: Reasoned<number>, safeguards: readonly Safeguard[]): Reasoned<number> {
  const limiting = safeguards
    .filter((s) => s.maxSessionMinutes !== undefined && length.value > s.maxSessionMinutes)
    .sort((a, b) => a.maxSessionMinutes! - b.maxSessionMinutes!)[0];
  return limiting ? reasoned(limiting.maxSessionMinutes!, limiting.reason, limiting.evidence) : length;
}

/** The initial phase's re-assessment cadence, brought forward to the strictest safeguard. */
export function limitReassessment(
  cadence: Reasoned<ReassessmentCadence>,
  safeguards: readonly Safeguard[],
  frequency: Frequency,
): Reasoned<ReassessmentCadence> {
  const limiting = safeguards
    .filter((s) => s.reassessWithinSessions !== undefined && cadence.value.everySessions > s.reassessWithinSessions)
    .sort((a, b) => a.reassessWithinSessions! - b.reassessWithinSessions!)[0];
  if (!limiting) return cadence;
  const n = limiting.reassessWithinSessions!;
  const weeks = Math.ceil((n * frequency.perWeeks) / frequency.sessions);
  return reasoned({ everySessions: n, everyWeeks: Math.min(cadence.value.everyWeeks, weeks) }, limiting.reason, limiting.evidence);
}
