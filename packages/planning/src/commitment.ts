import { EvidenceRef, practice, seed, study } from './evidence';
import type { Frequency, ProtocolId } from './plan';

/**
 * The rhythm a client's commitment allows, never above it.
 *
 * - One session a week or more: whole sessions per **2 weeks**, rounded down — 1.5 a week is
 *   "3 times every 2 weeks" (one visit every 4–5 days, laid out evenly by `expandSchedule`), not
 *   weekly; 2.5 a week is 5 every 2 weeks; 1.25 a week is weekly. We chose 3-in-2-weeks over
 *   alternating weeks of 1 and 2 visits because it keeps the gaps even (4–5 days instead of
 *   2–3 then 7), and the schedule spaces sessions by the average interval anyway.
 * - Under one a week: one visit every ⌈1 ÷ rate⌉ weeks (0.5 → every 2 weeks, 0.25 → every 4).
 */
export function frequencyForCommitment(perWeek: number): Frequency {
  if (perWeek >= 1) {
    const perTwoWeeks = Math.floor(perWeek * 2 + 1e-9);
    return perTwoWeeks % 2 === 0 ? { sessions: perTwoWeeks / 2, perWeeks: 1 } : { sessions: perTwoWeeks, perWeeks: 2 };
  }
  return { sessions: 1, perWeeks: Math.ceil(1 / perWeek - 1e-9) };
}

/** Weeks between visits at a frequency (0.5 for twice weekly, 2 for fortnightly). */
export const intervalWeeks = (f: Frequency): number => f.perWeeks / f.sessions;

/**
 * The tapering rhythm: visits space out from the rhythm actually kept in the initial phase.
 * From weekly or more often: every 2 weeks. From every 2 weeks or less often: half as far apart
 * again, rounded up (every 2 → every 3 weeks, every 3 → every 5, every 4 → every 6), so tapering
 * always spaces visits out. Clinical practice; no trial.
 */
export function taperFrequency(initial: Frequency): Frequency {
  const gap = intervalWeeks(initial);
  if (gap < 2) return { sessions: 1, perWeeks: 2 };
  return { sessions: 1, perWeeks: Math.ceil(gap * 1.5) };
}

export const TAPER_EVIDENCE = practice(
  'Tapering spaces visits out from the rhythm kept in the initial phase: every 2 weeks after weekly or more, otherwise half as far apart again (every 2 → every 3 weeks). Clinical practice; no trial backs this number.',
  'frequencyDecreases',
);

/**
 * What to tell a client who can come less often than the protocol recommends: the same number of
 * sessions takes longer, and the effect may be smaller. For chronic neck pain the dosing trial
 * (Sherman 2014) found fewer weekly sessions less effective; elsewhere no trial compares
 * frequencies, so the seed's adherence sentence is the source.
 */
export function reducedDoseNote(protocol: ProtocolId, recommended: string, actual: string): { text: string; evidence: EvidenceRef } {
  if (protocol === 'chronic-neck') {
    return {
      text: `${cap(actual)}: the most you can attend (recommended: ${recommended}). The same number of sessions takes longer, and the effect may be smaller: in the neck-pain dosing trial, one session a week helped less than two or three.`,
      evidence: study('sherman2014'),
    };
  }
  return {
    text: `${cap(actual)}: the most you can attend (recommended: ${recommended}). The same number of sessions takes longer, and the effect may be smaller than at the recommended rhythm.`,
    evidence: seed('adherence'),
  };
}

const cap = (s: string): string => `${s[0].toUpperCase()}${s.slice(1)}`;
