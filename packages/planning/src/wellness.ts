import { practice, reasoned, seed } from './evidence';
import type { Intake, PressureTolerance } from './intake';
import { PRESSURE_TOLERANCES } from './intake';
import type { PlanPhase } from './plan';
import { limitSessionLength, type Safeguard } from './safeguards';
import type { ExcludedTechnique, Technique, TechniqueChoice } from './techniques';
import { TECHNIQUE_MIN_PRESSURE } from './techniques';
import { WELLNESS_GOALS } from './wellness-goals';

/**
 * Wellness, relaxation and maintenance-only clients: no complaint (or only complaints with no
 * pain at all) and a relaxation or maintenance goal. They get a wellness rhythm — visits every
 * 4 weeks, re-checked every third visit — with no therapeutic benchmarks, no acute or
 * trigger-point protocol, and re-assessments that never escalate for lack of pain change.
 */
export { allowsNoComplaint, WELLNESS_GOALS } from './wellness-goals';

/** Complaint id used for a wellness plan's techniques when the intake has no complaint. */
export const GENERAL_AREA = 'general';

/** Visits every this many weeks on a wellness plan. */
export const WELLNESS_INTERVAL_WEEKS = 4;

/** No pain anywhere (no complaint, or every complaint at 0 now and at worst) and a relaxation or maintenance goal. */
export function isWellnessIntake(intake: Pick<Intake, 'complaints' | 'goals'>): boolean {
  return (
    intake.goals.some((g) => WELLNESS_GOALS.includes(g)) && intake.complaints.every((c) => c.painNow === 0 && c.painWorst === 0)
  );
}

export function isWellnessPlan(plan: { protocol: { id: string } }): boolean {
  return plan.protocol.id === 'wellness';
}

const WELLNESS_EVIDENCE = practice(
  'A wellness or relaxation client is seen about monthly, within the 1–3 months the seed documents give for maintenance; no trial has tested wellness intervals. Clinical practice; no trial backs this number.',
  'lowerToMonthly',
);

/** The one open-ended phase of a wellness plan (a maintenance-kind phase: no benchmarks, no end). */
export function wellnessPhase(intake: Intake, safeguards: readonly Safeguard[]): PlanPhase {
  // Never more often than the client can come (the commitment is at least one visit every 4 weeks).
  const interval = Math.max(WELLNESS_INTERVAL_WEEKS, Math.ceil(1 / intake.commitment.sessionsPerWeek - 1e-9));
  const perYear = { min: 4, likely: Math.min(13, Math.round(52 / interval)), max: 13 };
  const length = limitSessionLength(
    reasoned(60, 'An hour for a full-body session.', practice('Wellness session length. Clinical practice; no trial backs this number.', 'swedish')),
    safeguards,
  );
  return {
    index: 0,
    kind: 'maintenance',
    label: 'Wellness visits',
    purpose: intake.goals.includes('relaxation') ? 'Relaxation and stress relief.' : 'Keep well and moving.',
    frequency: reasoned(
      { sessions: 1, perWeeks: interval },
      `Every ${interval} weeks (about monthly) for ${intake.goals.includes('relaxation') ? 'relaxation' : 'maintenance'}; can move between 1 and 3 months as you like.`,
      WELLNESS_EVIDENCE,
    ),
    sessionLengthMinutes: length,
    sessions: reasoned(perYear, `${perYear.min}–${perYear.max} visits a year, most likely ${perYear.likely}.`, WELLNESS_EVIDENCE),
    reassessment: reasoned(
      { everySessions: 3, everyWeeks: 3 * interval },
      'Every third visit we ask the health questions again and check the visits still suit you; there is no pain score to chase.',
      practice('Periodic check-in during wellness care. Clinical practice; no trial backs this number.', 'ongoingAssessments'),
    ),
  };
}

const pIdx = (p: PressureTolerance): number => PRESSURE_TOLERANCES.indexOf(p);

/**
 * Techniques for a wellness plan: relaxation and movement work only — no trigger point, deep
 * tissue, cupping or scraping (therapeutic techniques for a problem area, seed 003) — at up to the
 * client's pressure cap. One set per pain-free complaint listed, or one for the whole body.
 */
export function wellnessTechniques(
  intake: Intake,
  restrictions: { maxPressure: PressureTolerance; excludedTechniques: readonly Technique[] },
): { chosen: TechniqueChoice[]; excluded: ExcludedTechnique[] } {
  let cap = Math.min(pIdx(intake.pressureTolerance), pIdx(restrictions.maxPressure));
  if (intake.conditions.includes('fibromyalgia')) cap = Math.min(cap, pIdx('moderate'));
  const capName = PRESSURE_TOLERANCES[cap];
  const wants: { technique: Technique; why: string; evidence: ReturnType<typeof seed> }[] = [
    { technique: 'swedish', why: 'Long, gliding strokes for relaxation and circulation.', evidence: seed('swedish') },
    { technique: 'hot-cold', why: 'Warmth to help the muscles let go.', evidence: seed('hotCold') },
  ];
  if (intake.goals.some((g) => g === 'mobility' || g === 'flexibility' || g === 'sport' || g === 'maintenance')) {
    wants.push({ technique: 'assisted-stretching', why: 'Assisted stretching keeps you flexible.', evidence: seed('stretching') });
  }
  const areas = intake.complaints.length > 0 ? intake.complaints.map((c) => c.id) : [GENERAL_AREA];
  const chosen: TechniqueChoice[] = [];
  const excluded: ExcludedTechnique[] = [];
  for (const complaintId of areas) {
    for (const w of wants) {
      if (restrictions.excludedTechniques.includes(w.technique)) {
        excluded.push({ complaintId, technique: w.technique, reason: 'Ruled out by a health finding at screening.' });
      } else if (pIdx(TECHNIQUE_MIN_PRESSURE[w.technique]) > cap) {
        excluded.push({ complaintId, technique: w.technique, reason: `Needs at least ${TECHNIQUE_MIN_PRESSURE[w.technique]} pressure; the limit is ${capName}.` });
      } else {
        chosen.push({ complaintId, technique: w.technique, pressure: capName, reason: `${w.why} Pressure up to ${capName}, as you prefer on the day.`, evidence: w.evidence });
      }
    }
  }
  return { chosen, excluded };
}

/** Pain at or above this (severe, Serlin 1995) in a wellness client is referred to a physician. */
export const WELLNESS_REFER_PAIN = 7;

/**
 * The next step for a wellness plan. There are no benchmarks, so the absence of pain change is
 * never a stall: the visits continue. Pain reported at the check-in is not a wellness matter —
 * severe pain (≥ 7) is referred to a physician; milder pain asks for a new intake so a
 * therapeutic plan can be proposed.
 */
export function wellnessReassessment(measures: { pain: { complaintId: string; score: number }[] }): {
  decision: 'CONTINUE' | 'REFER';
  reason: string;
  changes: string[];
  referral?: { to: 'physician'; urgency: 'urgent'; reason: string };
} {
  const worst = Math.max(0, ...measures.pain.map((p) => p.score));
  if (worst >= WELLNESS_REFER_PAIN) {
    return {
      decision: 'REFER',
      reason: `Pain of ${worst}/10 reported at a wellness check-in: a physician should see it before more massage.`,
      changes: ['Referral to a physician; wellness visits paused until they have seen you.'],
      referral: { to: 'physician', urgency: 'urgent', reason: `New severe pain (${worst}/10) in a client on a wellness plan.` },
    };
  }
  if (worst > 0) {
    return {
      decision: 'CONTINUE',
      reason: `Pain of ${worst}/10 reported: record a new intake for it so a treatment plan with benchmarks can be proposed; wellness visits continue meanwhile.`,
      changes: ['New pain reported: a new intake is needed to plan treatment for it.'],
    };
  }
  return {
    decision: 'CONTINUE',
    reason: 'Wellness visits continue: there are no pain benchmarks to judge, and no change in pain is expected.',
    changes: ['No change to the plan.'],
  };
}
