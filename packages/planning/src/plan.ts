import { baselineFromIntake, Benchmark, buildBenchmarks, Measures } from './benchmarks';
import { EvidenceRef, practice, Range, Reasoned, reasoned, seed, study } from './evidence';
import { Chronicity, Condition, Intake, IntakeInput, validateIntake } from './intake';
import {
  defaultScreeningRules, Discipline, screen, ScreeningFinding, ScreeningRule, ScreeningSummary, summarizeScreening, Urgency,
} from './screening';
import { ExcludedTechnique, homeCare, HomeCareItem, selectTechniques, TechniqueChoice } from './techniques';
import { Instant, parseInstant } from './time';
import { applyLocalLimits, applyLocalLimitsToHomeCare } from './fragility';
import { frequencyForCommitment, reducedDoseNote, TAPER_EVIDENCE, taperFrequency } from './commitment';
import { collectSafeguards, limitFrequency, limitReassessment, limitSessionLength, Safeguard } from './safeguards';
import { isWellnessIntake, wellnessPhase, wellnessTechniques } from './wellness';

export type PhaseKind = 'initial' | 'tapering' | 'maintenance';

/** `sessions` visits every `perWeeks` weeks: {1,1} weekly, {2,1} twice weekly, {1,2} fortnightly, {1,6} every 6 weeks. */
export interface Frequency {
  sessions: number;
  perWeeks: number;
}

export const sessionsPerWeek = (f: Frequency): number => f.sessions / f.perWeeks;

export function describeFrequency(f: Frequency): string {
  const times = f.sessions === 1 ? 'once' : f.sessions === 2 ? 'twice' : `${f.sessions} times`;
  if (f.perWeeks === 1) return `${times} a week`;
  return f.sessions === 1 ? `every ${f.perWeeks} weeks` : `${times} every ${f.perWeeks} weeks`;
}

export interface ReassessmentCadence {
  /** Re-assess after this many sessions of the phase… */
  everySessions: number;
  /** …or after this many weeks, whichever comes first. */
  everyWeeks: number;
}

export interface PlanPhase {
  index: number;
  kind: PhaseKind;
  label: string;
  purpose: string;
  frequency: Reasoned<Frequency>;
  sessionLengthMinutes: Reasoned<number>;
  /** Sessions in the phase; for maintenance, visits per 12 months. */
  sessions: Reasoned<Range>;
  /** Weeks the phase lasts; absent for open-ended maintenance. */
  durationWeeks?: Reasoned<Range>;
  reassessment: Reasoned<ReassessmentCadence>;
  /** Sessions actually given, once the phase has ended. */
  completedSessions?: number;
  /** Set when a re-assessment raised the frequency above the previous phase's (plan version). */
  frequencyRaisedAtVersion?: number;
}

export type Severity = 'mild' | 'moderate' | 'severe';
/** The pathway of the leading protocol; `wellness` for a relaxation or maintenance-only client. */
export type Pathway = Chronicity | 'wellness';

export interface Adjustment {
  factor: string;
  /** Change applied to the initial phase's session range. */
  delta: Range;
  reason: string;
  evidence: EvidenceRef;
}

export interface PlanWarning {
  code: 'BUDGET_BELOW_LIKELY' | 'BUDGET_BELOW_MIN' | 'COMMITMENT_BELOW_RECOMMENDED' | 'CLEARANCE_REQUIRED' | 'AREA_AVOIDED' | 'SAFEGUARD_APPLIED';
  message: string;
}

/**
 * Screening's advice to refer the client to another discipline (kept in a plan body as
 * `referral`). Not the referral network's Referral (issue 12), which sends a client to a
 * practitioner; this is the advice that may start one.
 */
export interface ReferralAdvice {
  to: Discipline;
  reason: string;
  urgency: Urgency;
}

export type Decision = 'STEP_DOWN' | 'CONTINUE' | 'CHANGE_APPROACH' | 'REFER' | 'MOVE_TO_MAINTENANCE' | 'STOP_AND_REFER';

export interface PlanChange {
  version: number;
  at: string;
  by?: string;
  decision: Decision | 'PROPOSED' | 'BLOCKED';
  reason: string;
  changes: string[];
}

export type PlanStatus = 'proposed' | 'active' | 'on-hold-referral' | 'stopped';

export interface TreatmentPlan {
  blocked: false;
  version: number;
  createdAt: string;
  status: PlanStatus;
  pathway: Pathway;
  severity: Reasoned<Severity>;
  protocol: { id: ProtocolId; description: string };
  phases: PlanPhase[];
  currentPhaseIndex: number;
  /** Active-care sessions (all phases but maintenance). */
  expectedSessions: Reasoned<Range>;
  techniques: TechniqueChoice[];
  excludedTechniques: ExcludedTechnique[];
  homeCare: HomeCareItem[];
  benchmarks: Benchmark[];
  adjustments: Adjustment[];
  findings: ScreeningFinding[];
  restrictions: ScreeningSummary;
  warnings: PlanWarning[];
  referral?: ReferralAdvice;
  /**
   * Limits collected from every condition and complaint (not only the leading protocol's) and
   * applied on top of the leading protocol's rhythm; a re-assessment never lifts them.
   * Absent on plans proposed before safeguards existed.
   */
  safeguards?: Safeguard[];
  /** How many times a re-assessment changed the approach. */
  approachChanges: number;
  /** Sessions completed when the current approach started (0 at the start). */
  approachStartedAtSession: number;
  /** Sessions completed when the current phase started. */
  phaseStartedAtSession: number;
  changeLog: PlanChange[];
  intake: Intake;
  baseline: Measures;
}

export interface BlockedPlan {
  blocked: true;
  version: number;
  createdAt: string;
  status: 'blocked';
  findings: ScreeningFinding[];
  referral: ReferralAdvice;
  reason: string;
  changeLog: PlanChange[];
}

export type PlanProposal = TreatmentPlan | BlockedPlan;

// ---------- protocols ----------

export type ProtocolId =
  | 'acute' | 'sub-acute' | 'chronic-general' | 'chronic-neck' | 'chronic-low-back' | 'knee-osteoarthritis' | 'fibromyalgia' | 'wellness';

interface Dose {
  frequency: Frequency;
  sessions: Range;
}

interface Protocol {
  id: ProtocolId;
  pathway: Pathway;
  description: string;
  normal: Dose;
  severe: Dose;
  lengthMinutes: number;
  frequencyReason: (severe: boolean) => string;
  frequencyEvidence: (severe: boolean) => EvidenceRef;
  sessionsReason: string;
  sessionsEvidence: EvidenceRef;
  lengthReason: string;
  lengthEvidence: EvidenceRef;
}

const weekly: Frequency = { sessions: 1, perWeeks: 1 };
const twice: Frequency = { sessions: 2, perWeeks: 1 };
const thrice: Frequency = { sessions: 3, perWeeks: 1 };
const severeFreqEvidence = (normal: EvidenceRef) => (severe: boolean): EvidenceRef => (severe ? seed('frequencyBySeverity') : normal);
const sixtyByAnalogy = practice(
  'Sixty-minute sessions, by analogy with the massage dosing trials (Sherman 2014 for the neck, Perlman 2012 for the knee), which found 60 minutes better than 30; for this area no trial tested session length. Clinical practice; no trial backs this number.',
);

export const PROTOCOLS: Record<ProtocolId, Protocol> = {
  acute: {
    id: 'acute',
    pathway: 'acute',
    description: 'Recent injury or acute pain: a few sessions',
    normal: { frequency: weekly, sessions: { min: 2, likely: 3, max: 5 } },
    severe: { frequency: twice, sessions: { min: 3, likely: 4, max: 6 } },
    lengthMinutes: 45,
    frequencyReason: (s) => (s ? 'Twice a week at first because the pain is severe.' : 'Once a week while the injury settles.'),
    frequencyEvidence: severeFreqEvidence(seed('initialFrequent')),
    sessionsReason: 'Recent injuries and strains usually settle within a few sessions.',
    sessionsEvidence: seed('acuteFewSessions'),
    lengthReason: '45 minutes of focused work on the injured area, without over-working healing tissue.',
    lengthEvidence: practice('45 minutes for a single recently injured area. Clinical practice; no trial backs this number.', 'injury'),
  },
  'sub-acute': {
    id: 'sub-acute',
    pathway: 'sub-acute',
    description: 'Pain for 6–12 weeks: a short course',
    normal: { frequency: weekly, sessions: { min: 3, likely: 4, max: 6 } },
    severe: { frequency: twice, sessions: { min: 4, likely: 6, max: 8 } },
    lengthMinutes: 60,
    frequencyReason: (s) => (s ? 'Twice a week at first because the pain is severe.' : 'Once a week to build momentum.'),
    frequencyEvidence: severeFreqEvidence(seed('initialFrequent')),
    sessionsReason: 'Pain of a few weeks needs more than the few sessions of a fresh injury, and usually fewer than long-standing pain.',
    sessionsEvidence: practice(
      'Between the few sessions of acute pain and the weekly course for chronic pain. Clinical practice; no trial backs this number.',
      'underControl',
    ),
    lengthReason: 'An hour gives time to treat the painful area and the areas that feed it.',
    lengthEvidence: sixtyByAnalogy,
  },
  'chronic-general': {
    id: 'chronic-general',
    pathway: 'chronic',
    description: 'Chronic pain: weekly for 2–4 weeks, then taper',
    normal: { frequency: weekly, sessions: { min: 2, likely: 4, max: 6 } },
    severe: { frequency: twice, sessions: { min: 4, likely: 6, max: 8 } },
    lengthMinutes: 60,
    frequencyReason: (s) =>
      s ? 'Twice a week at first because the pain is severe.' : 'Once a week for the first weeks to establish momentum.',
    frequencyEvidence: severeFreqEvidence(seed('chronicWeekly2to4')),
    sessionsReason: 'Weekly sessions for about 2 to 4 weeks, a little longer if needed, before visits space out.',
    sessionsEvidence: seed('chronicWeekly2to4'),
    lengthReason: 'An hour gives time to release long-standing tension.',
    lengthEvidence: sixtyByAnalogy,
  },
  'chronic-neck': {
    id: 'chronic-neck',
    pathway: 'chronic',
    description: 'Chronic neck pain: 60 minutes two or three times a week for 4 weeks (Sherman 2014)',
    normal: { frequency: twice, sessions: { min: 6, likely: 8, max: 12 } },
    severe: { frequency: thrice, sessions: { min: 9, likely: 12, max: 12 } },
    lengthMinutes: 60,
    frequencyReason: (s) =>
      s ? 'Three times a week, the most effective dose in the neck-pain trial, because the pain is severe.' : 'Twice a week, as in the neck-pain dosing trial.',
    frequencyEvidence: () => study('sherman2014'),
    sessionsReason: 'About 4 weeks of sessions: the dose that worked in the neck-pain trial.',
    sessionsEvidence: study('sherman2014'),
    lengthReason: '60-minute sessions worked better than 30-minute ones for chronic neck pain.',
    lengthEvidence: study('sherman2014'),
  },
  'chronic-low-back': {
    id: 'chronic-low-back',
    pathway: 'chronic',
    description: 'Chronic low back pain: up to 10 weekly sessions (Cherkin 2011)',
    normal: { frequency: weekly, sessions: { min: 4, likely: 10, max: 10 } },
    severe: { frequency: twice, sessions: { min: 6, likely: 10, max: 12 } },
    lengthMinutes: 60,
    frequencyReason: (s) =>
      s ? 'Twice a week at first because the pain is severe, reaching the trial\'s ten sessions sooner.' : 'Once a week, as in the low-back-pain trial.',
    frequencyEvidence: severeFreqEvidence(study('cherkin2011')),
    sessionsReason: 'Ten weekly sessions helped chronic low back pain in a trial; we may step down after four if the benchmarks are met.',
    sessionsEvidence: study('cherkin2011'),
    lengthReason: 'An hour gives time to work the back, hips and buttocks.',
    lengthEvidence: sixtyByAnalogy,
  },
  'knee-osteoarthritis': {
    id: 'knee-osteoarthritis',
    pathway: 'chronic',
    description: 'Knee osteoarthritis: 60 minutes weekly for 8 weeks (Perlman 2012)',
    normal: { frequency: weekly, sessions: { min: 4, likely: 8, max: 8 } },
    severe: { frequency: twice, sessions: { min: 6, likely: 8, max: 10 } },
    lengthMinutes: 60,
    frequencyReason: (s) => (s ? 'Twice a week at first because the pain is severe.' : 'Once a week, the dose chosen in the knee-arthritis trial.'),
    frequencyEvidence: severeFreqEvidence(study('perlman2012')),
    sessionsReason: 'Eight weekly one-hour sessions was the dose that worked for knee arthritis.',
    sessionsEvidence: study('perlman2012'),
    lengthReason: 'One-hour sessions worked better than half-hour ones for knee arthritis.',
    lengthEvidence: study('perlman2012'),
  },
  fibromyalgia: {
    id: 'fibromyalgia',
    pathway: 'chronic',
    description: 'Fibromyalgia: weekly for at least 5 weeks (Li 2014)',
    normal: { frequency: weekly, sessions: { min: 5, likely: 6, max: 8 } },
    severe: { frequency: weekly, sessions: { min: 5, likely: 8, max: 10 } },
    lengthMinutes: 60,
    frequencyReason: (s) =>
      s
        ? 'Once a week even though the pain is severe: fibromyalgia can flare after intensive treatment, so we add sessions rather than frequency.'
        : 'Once a week, gently and steadily.',
    frequencyEvidence: (s) =>
      s
        ? practice('Keeping fibromyalgia at weekly sessions when severe avoids post-treatment flares. Clinical practice; no trial backs this number.', 'chronicExtended')
        : study('li2014'),
    sessionsReason: 'Massage given for five weeks or more helped fibromyalgia pain, anxiety and mood.',
    sessionsEvidence: study('li2014'),
    lengthReason: 'An hour at light-to-moderate pressure, to cover the widespread pain.',
    lengthEvidence: sixtyByAnalogy,
  },
  // Relaxation or maintenance only, no pain: built by wellness.ts (never chosen by applicableProtocols).
  wellness: {
    id: 'wellness',
    pathway: 'wellness',
    description: 'Wellness and relaxation: about monthly visits, no therapeutic benchmarks',
    normal: { frequency: { sessions: 1, perWeeks: 4 }, sessions: { min: 4, likely: 13, max: 13 } },
    severe: { frequency: { sessions: 1, perWeeks: 4 }, sessions: { min: 4, likely: 13, max: 13 } },
    lengthMinutes: 60,
    frequencyReason: () => 'About monthly.',
    frequencyEvidence: () => seed('lowerToMonthly'),
    sessionsReason: 'Open-ended wellness visits.',
    sessionsEvidence: seed('maintenance1to3'),
    lengthReason: 'An hour for a full-body session.',
    lengthEvidence: practice('Wellness session length. Clinical practice; no trial backs this number.'),
  },
};

const ARTHRITIS: readonly Condition[] = ['osteoarthritis', 'arthritis', 'rheumatoid-arthritis'];
const CHRONIC_CONDITIONS: readonly Condition[] = [
  'fibromyalgia', 'osteoarthritis', 'arthritis', 'rheumatoid-arthritis', 'chronic-low-back-pain', 'neck-pain', 'tension-headache', 'migraine',
];

/**
 * The leading protocol among the applicable ones: fibromyalgia, a condition widespread by nature,
 * leads whenever it is present, whatever regions are listed (or how many, or in which order);
 * otherwise the protocol with the most likely sessions (ties: the earlier in
 * `applicableProtocols`' fixed order, never the listing order).
 */
export function leadProtocol(options: readonly { id: ProtocolId; because: string }[], severe: boolean): { id: ProtocolId; because: string; p: Protocol } {
  const all = options.map((o) => ({ ...o, p: PROTOCOLS[o.id] }));
  const fibro = all.find((o) => o.id === 'fibromyalgia');
  if (fibro) return fibro;
  const likely = (o: { p: Protocol }): number => (severe ? o.p.severe : o.p.normal).sessions.likely;
  return all.reduce((best, o) => (likely(o) > likely(best) ? o : best));
}

/** The protocols that apply to an intake, in order of evidence strength. */
export function applicableProtocols(intake: Intake): { id: ProtocolId; because: string }[] {
  const out: { id: ProtocolId; because: string }[] = [];
  const chronic = (r: string): boolean => intake.complaints.some((c) => c.region === r && c.chronicity === 'chronic');
  if (chronic('neck') || intake.conditions.includes('neck-pain')) out.push({ id: 'chronic-neck', because: 'chronic neck pain' });
  if (chronic('lower-back') || intake.conditions.includes('chronic-low-back-pain')) out.push({ id: 'chronic-low-back', because: 'chronic low back pain' });
  if (intake.conditions.some((c) => ARTHRITIS.includes(c)) && intake.complaints.some((c) => c.region === 'knee')) {
    out.push({ id: 'knee-osteoarthritis', because: 'arthritis of the knee' });
  }
  if (intake.conditions.includes('fibromyalgia')) out.push({ id: 'fibromyalgia', because: 'fibromyalgia' });
  if (intake.complaints.some((c) => c.chronicity === 'chronic') || intake.conditions.some((c) => CHRONIC_CONDITIONS.includes(c))) {
    out.push({ id: 'chronic-general', because: 'long-standing pain' });
  }
  if (intake.complaints.some((c) => c.chronicity === 'sub-acute')) out.push({ id: 'sub-acute', because: 'pain of 6–12 weeks' });
  if (intake.complaints.some((c) => c.chronicity === 'acute')) out.push({ id: 'acute', because: 'recent pain or injury' });
  return out;
}

export function severityOf(painNow: number): Severity {
  if (painNow >= 7) return 'severe';
  if (painNow >= 5) return 'moderate';
  return 'mild';
}

const weeksFor = (sessions: number, f: Frequency): number => Math.ceil((sessions * f.perWeeks) / f.sessions);
/** Weeks needed for a range of sessions at a frequency (each bound rounded up to whole weeks). */
export const rangeWeeks = (r: Range, f: Frequency): Range => ({ min: weeksFor(r.min, f), likely: weeksFor(r.likely, f), max: weeksFor(r.max, f) });
const addRange = (a: Range, b: Range): Range => ({ min: a.min + b.min, likely: a.likely + b.likely, max: a.max + b.max });
export const fmtRange = (r: Range): string => (r.min === r.max ? `${r.likely}` : `${r.min}–${r.max}, most likely ${r.likely}`);

/** Individual factors that move the initial phase's session count. */
export function individualAdjustments(intake: Intake): Adjustment[] {
  const out: Adjustment[] = [];
  const add = (factor: string, delta: Range, reason: string, evidence: EvidenceRef): void => {
    out.push({ factor, delta, reason, evidence });
  };
  if (intake.age >= 65) {
    add('age', { min: 0, likely: 1, max: 1 }, `At ${intake.age}, tissues recover more slowly: one more session is likely.`, seed('individualDifferences'));
  }
  if (intake.generalHealth === 'poor') {
    add('general-health', { min: 0, likely: 1, max: 2 }, 'With poorer general health, progress is usually slower: one or two more sessions.', seed('individualDifferences'));
  } else if (intake.generalHealth === 'fair') {
    add('general-health', { min: 0, likely: 0, max: 1 }, 'Fair general health may need one more session.', seed('individualDifferences'));
  }
  if (intake.pressureTolerance === 'light') {
    add('pressure-tolerance', { min: 0, likely: 1, max: 1 }, 'Lighter pressure works more gradually: one more session is likely.', seed('individualDifferences'));
  }
  if (intake.selfCareWillingness === 'high') {
    add('self-care', { min: 0, likely: -1, max: 0 }, 'Doing your stretches and self-massage at home should save a session.', seed('selfCare'));
  } else if (intake.selfCareWillingness === 'none') {
    add('self-care', { min: 0, likely: 1, max: 1 }, 'Without home exercises, the benefit of each session lasts less: one more session is likely.', seed('selfCare'));
  }
  const l = intake.lifestyle;
  if (l.stress >= 7 || l.sleep === 'poor' || (l.activity === 'sedentary' && (l.workPosture === 'desk' || l.workPosture === 'driving'))) {
    add('lifestyle', { min: 0, likely: 0, max: 1 }, 'Stress, poor sleep or long hours sitting can slow progress: we allow one more session.', seed('lifestyle'));
  }
  const regions = new Set(intake.complaints.map((c) => c.region));
  if (intake.complaints.some((c) => c.widespread)) {
    // Widespread pain counts as several areas, however many regions are also listed.
    add('several-areas', { min: 0, likely: 1, max: 1 }, 'Widespread pain: several areas to treat rather than one, so one more session is likely.', seed('underControl'));
  } else if (regions.size >= 2) {
    add('several-areas', { min: 0, likely: 1, max: 1 }, `${regions.size} areas to treat rather than one: one more session is likely.`, seed('underControl'));
  }
  return out;
}

function applyAdjustments(base: Range, adjustments: readonly Adjustment[]): Range {
  const r = adjustments.reduce((acc, a) => addRange(acc, a.delta), base);
  const min = Math.max(1, r.min);
  const likely = Math.max(min, r.likely);
  return { min, likely, max: Math.max(likely, r.max) };
}

export interface ProposeOptions {
  now: Instant;
  rules?: readonly ScreeningRule[];
  /** Who proposes the plan (kept in the change log). */
  by?: string;
}

const URGENCY_ORDER: readonly Urgency[] = ['emergency', 'urgent', 'routine'];

/**
 * The referral advice for one or more do-not-treat findings: to the discipline and with the urgency of
 * the most urgent finding (a finding without an urgency counts as urgent), giving every finding as
 * the reason. Used when a plan is blocked and when a re-assessment stops treatment.
 */
export function referralFor(stops: readonly ScreeningFinding[]): ReferralAdvice {
  const rank = (f: ScreeningFinding): number => URGENCY_ORDER.indexOf(f.urgency ?? 'urgent');
  const first = [...stops].sort((a, b) => rank(a) - rank(b))[0];
  return { to: first.referTo ?? 'physician', urgency: first.urgency ?? 'urgent', reason: stops.map((f) => f.finding).join(' ') };
}

/**
 * Proposes a plan from an intake (validated here; bad input throws PlanningInputError).
 * A do-not-treat screening finding yields a BlockedPlan with a referral and no phases.
 */
export function proposePlan(input: IntakeInput | Intake, options: ProposeOptions): PlanProposal {
  const now = parseInstant(options.now, 'now');
  const intake = validateIntake(input, { now: now.toISO()! });
  const findings = screen(intake, options.rules ?? defaultScreeningRules);
  const at = now.toISO()!;
  const restrictions = summarizeScreening(findings);
  if (restrictions.blocked) {
    const referral = referralFor(findings.filter((f) => f.outcome === 'REFER_DO_NOT_TREAT'));
    const reason = `Massage is not started: ${referral.reason} Please see a ${referral.to} first.`;
    return {
      blocked: true,
      version: 1,
      createdAt: at,
      status: 'blocked',
      findings,
      referral,
      reason,
      changeLog: [{ version: 1, at, ...(options.by ? { by: options.by } : {}), decision: 'BLOCKED', reason, changes: ['No treatment schedule: referral proposed.'] }],
    };
  }

  const safeguards = collectSafeguards(intake);
  if (isWellnessIntake(intake)) return proposeWellnessPlan(intake, { at, by: options.by, findings, restrictions, safeguards });

  // Lead protocol: fibromyalgia if present, else the applicable protocol with the most likely sessions.
  const maxPain = Math.max(0, ...intake.complaints.map((c) => c.painNow));
  const sev = severityOf(maxPain);
  const severe = sev === 'severe';
  const lead = leadProtocol(applicableProtocols(intake), severe);
  const p = lead.p;
  const dose = severe ? p.severe : p.normal;

  const warnings: PlanWarning[] = [];
  // Frequency: the leading protocol's, then every safeguard (from any condition), then what the client can attend.
  const guarded = limitFrequency(reasoned(dose.frequency, p.frequencyReason(severe), p.frequencyEvidence(severe)), safeguards);
  let initialFreq = guarded.frequency;
  if (sessionsPerWeek(initialFreq.value) > intake.commitment.sessionsPerWeek) {
    const f = frequencyForCommitment(intake.commitment.sessionsPerWeek);
    const note = reducedDoseNote(p.id, describeFrequency(initialFreq.value), describeFrequency(f));
    initialFreq = reasoned(f, note.text, note.evidence);
    warnings.push({
      code: 'COMMITMENT_BELOW_RECOMMENDED',
      message: `Recommended ${describeFrequency(guarded.frequency.value)} at first; you can attend ${describeFrequency(f)}. The plan takes longer and the effect may be smaller.`,
    });
  }

  const adjustments = individualAdjustments(intake);
  const initialSessions = applyAdjustments(dose.sessions, adjustments);
  const adjText = adjustments.length
    ? ` Adjusted for you: ${adjustments.map((a) => a.reason).join(' ')}`
    : '';

  const length = limitSessionLength(reasoned(p.lengthMinutes, p.lengthReason, p.lengthEvidence), safeguards);

  const cadenceProtocol =
    p.pathway === 'acute'
      ? reasoned<ReassessmentCadence>(
          { everySessions: Math.min(3, initialSessions.likely), everyWeeks: weeksFor(Math.min(3, initialSessions.likely), initialFreq.value) },
          'We re-check your pain and movement after the first few sessions.',
          practice('Re-assessment at the end of a short acute course. Clinical practice; no trial backs this number.', 'reassessmentsKey'),
        )
      : reasoned<ReassessmentCadence>(
          { everySessions: Math.min(4, initialSessions.likely), everyWeeks: 4 },
          'Every 4 sessions or 4 weeks, whichever comes first, we measure again and compare with your starting point.',
          practice('A 4-session / 4-week re-assessment cadence. Clinical practice; no trial backs this number.', 'reassessmentsKey'),
        );
  const cadenceInitial = limitReassessment(cadenceProtocol, safeguards, initialFreq.value);

  const phases: PlanPhase[] = [
    {
      index: 0,
      kind: 'initial',
      label: 'Initial phase',
      purpose: `Build momentum on ${lead.because}.`,
      frequency: initialFreq,
      sessionLengthMinutes: length,
      sessions: reasoned(initialSessions, `${p.sessionsReason}${adjText}`, p.sessionsEvidence),
      durationWeeks: reasoned(
        rangeWeeks(initialSessions, initialFreq.value),
        `${fmtRange(rangeWeeks(initialSessions, initialFreq.value))} weeks, ${describeFrequency(initialFreq.value)}.`,
        p.sessionsEvidence,
      ),
      reassessment: cadenceInitial,
    },
  ];

  if (p.pathway !== 'acute') {
    // Taper from the rhythm actually kept (every 2 weeks → every 3), so tapering always spaces visits out.
    const taperFreq: Frequency = taperFrequency(initialFreq.value);
    const taperSessions: Range = p.pathway === 'chronic' ? { min: 2, likely: 3, max: 4 } : { min: 1, likely: 2, max: 3 };
    phases.push({
      index: 1,
      kind: 'tapering',
      label: 'Tapering phase',
      purpose: 'Space visits out while you keep the gains with home care.',
      frequency: reasoned(
        taperFreq,
        `${describeFrequency(taperFreq)[0].toUpperCase()}${describeFrequency(taperFreq).slice(1)} as you improve (spaced out from ${describeFrequency(initialFreq.value)}).`,
        TAPER_EVIDENCE,
      ),
      sessionLengthMinutes: reasoned(length.value, 'Same length as the initial sessions.', length.evidence),
      sessions: reasoned(
        taperSessions,
        `${fmtRange(taperSessions)} spaced-out sessions to check the improvement holds.`,
        practice('Tapering session count. Clinical practice; no trial backs this number.', 'frequencyDecreases'),
      ),
      durationWeeks: reasoned(
        rangeWeeks(taperSessions, taperFreq),
        `${fmtRange(rangeWeeks(taperSessions, taperFreq))} weeks, ${describeFrequency(taperFreq)}.`,
        practice('Follows from the tapering count and frequency. Clinical practice; no trial backs this number.', 'frequencyDecreases'),
      ),
      reassessment: reasoned(
        { everySessions: taperSessions.likely, everyWeeks: weeksFor(taperSessions.likely, taperFreq) },
        'At the end of tapering we measure again before moving to maintenance.',
        practice('Re-assessment at the end of tapering. Clinical practice; no trial backs this number.', 'benchmarks'),
      ),
    });
  }

  const chronicCondition = intake.conditions.some((c) => CHRONIC_CONDITIONS.includes(c));
  const wantsMaintenance = intake.goals.includes('maintenance') || intake.goals.includes('sport');
  if (p.pathway === 'chronic' || chronicCondition || wantsMaintenance) {
    phases.push(buildMaintenancePhase(intake, phases[phases.length - 1].frequency.value, phases.length));
  }
  if (guarded.applied) warnings.push({ code: 'SAFEGUARD_APPLIED', message: `${guarded.applied.reason} (${guarded.applied.source})` });

  const expectedSessions = expectedActiveSessions(phases, p.sessionsEvidence);
  const total = expectedSessions.value;

  const budget = intake.commitment.budgetSessions;
  if (budget !== undefined && budget < total.min) {
    warnings.push({ code: 'BUDGET_BELOW_MIN', message: `Your budget of ${budget} sessions is below the minimum of ${total.min}; discuss priorities with your therapist.` });
  } else if (budget !== undefined && budget < total.likely) {
    warnings.push({ code: 'BUDGET_BELOW_LIKELY', message: `Your budget of ${budget} sessions is below the likely ${total.likely}; home care matters even more.` });
  }
  for (const d of restrictions.clearances) {
    warnings.push({ code: 'CLEARANCE_REQUIRED', message: `Treatment starts once a ${d} has cleared it.` });
  }
  for (const a of restrictions.avoidAreas) {
    warnings.push({ code: 'AREA_AVOIDED', message: `The ${a.side} ${a.region} is not massaged.` });
  }

  // Avoided areas get no massage and fresh injuries no firm pressure (fragility.ts).
  const techniques = applyLocalLimits(selectTechniques(intake, restrictions), intake, restrictions.avoidAreas);
  const baseline = baselineFromIntake(intake);
  const reason = `Proposed from the intake: ${lead.because}, ${sev} pain.`;
  return {
    blocked: false,
    version: 1,
    createdAt: at,
    status: 'proposed',
    pathway: p.pathway,
    severity: reasoned(sev, `Pain now ${maxPain}/10 is ${sev} (1–4 mild, 5–6 moderate, 7–10 severe).`, study('serlin1995')),
    protocol: { id: p.id, description: p.description },
    phases,
    currentPhaseIndex: 0,
    expectedSessions,
    techniques: techniques.chosen,
    excludedTechniques: techniques.excluded,
    homeCare: applyLocalLimitsToHomeCare(homeCare(intake), intake, restrictions.avoidAreas),
    benchmarks: buildBenchmarks(baseline),
    adjustments,
    findings,
    restrictions,
    warnings,
    safeguards,
    approachChanges: 0,
    approachStartedAtSession: 0,
    phaseStartedAtSession: 0,
    changeLog: [{ version: 1, at, ...(options.by ? { by: options.by } : {}), decision: 'PROPOSED', reason, changes: [`Protocol: ${p.description}.`] }],
    intake,
    baseline,
  };
}

/** Sum of the active (non-maintenance) phases; ended phases count their actual sessions. */
export function expectedActiveSessions(phases: readonly PlanPhase[], evidence: EvidenceRef): Reasoned<Range> {
  const active = phases.filter((ph) => ph.kind !== 'maintenance');
  if (active.length === 0) {
    // A wellness plan: no course of treatment, only open-ended visits.
    return reasoned({ min: 0, likely: 0, max: 0 }, 'No course of treatment: visits are open-ended and counted per year.', evidence);
  }
  const fixed = (ph: PlanPhase): Range =>
    ph.completedSessions !== undefined ? { min: ph.completedSessions, likely: ph.completedSessions, max: ph.completedSessions } : ph.sessions.value;
  const total = active.reduce((acc, ph) => addRange(acc, fixed(ph)), { min: 0, likely: 0, max: 0 });
  const totalWeeks = active.reduce(
    (acc, ph) => addRange(acc, ph.completedSessions !== undefined ? rangeWeeks(fixed(ph), ph.frequency.value) : ph.durationWeeks!.value),
    { min: 0, likely: 0, max: 0 },
  );
  return reasoned(
    total,
    `${fmtRange(total)} sessions over about ${fmtRange(totalWeeks)} weeks before ${phases.some((ph) => ph.kind === 'maintenance') ? 'maintenance' : 'visits as needed'}.`,
    evidence,
  );
}

/** Maintenance every 1–3 months: monthly for long-term conditions, sport or high stress, else every 8 weeks. */
export function buildMaintenancePhase(intake: Intake, prev: Frequency, index: number): PlanPhase {
  const chronicCondition = intake.conditions.some((c) => CHRONIC_CONDITIONS.includes(c));
  const monthly = chronicCondition || intake.goals.includes('sport') || intake.lifestyle.stress >= 7;
  const interval = Math.max(monthly ? 4 : 8, Math.ceil(prev.perWeeks / prev.sessions));
  const perYear: Range = { min: 4, likely: Math.min(13, Math.max(4, Math.round(52 / interval))), max: 13 };
  const maintEvidence = practice(
    'Maintenance every 1 to 3 months is clinical practice described by the seed documents; no trial has tested maintenance intervals, so this is not trial evidence.',
    'maintenance1to3',
  );
  return {
    index,
    kind: 'maintenance',
    label: 'Maintenance',
    purpose: 'Keep the gains and prevent the pain coming back.',
    frequency: reasoned(
      { sessions: 1, perWeeks: interval },
      monthly
        ? `Every ${interval} weeks (about monthly), because a long-term condition, sport or high stress keeps loading the tissues.`
        : `Every ${interval} weeks (about every 2 months) to keep the gains; can move between 1 and 3 months as you need.`,
      maintEvidence,
    ),
    // Follows the shortened active-session length (age, health): the same safeguards apply.
    sessionLengthMinutes: limitSessionLength(
      reasoned(60, 'An hour, to go over all the areas treated.', practice('Maintenance session length. Clinical practice; no trial backs this number.', 'preventRecurrence')),
      collectSafeguards(intake),
    ),
    sessions: reasoned(perYear, `${fmtRange(perYear)} visits a year (every 1 to 3 months).`, maintEvidence),
    reassessment: reasoned(
      { everySessions: 3, everyWeeks: 3 * interval },
      'Every third maintenance visit we measure again to make sure the gains hold.',
      practice('Periodic re-assessment during maintenance. Clinical practice; no trial backs this number.', 'ongoingAssessments'),
    ),
  };
}

/** A relaxation or maintenance-only intake: one open-ended wellness phase, no benchmarks, no acute or trigger-point work. */
function proposeWellnessPlan(
  intake: Intake,
  ctx: { at: string; by?: string; findings: ScreeningFinding[]; restrictions: ScreeningSummary; safeguards: Safeguard[] },
): TreatmentPlan {
  const { at, by, findings, restrictions, safeguards } = ctx;
  const phase = wellnessPhase(intake, safeguards);
  const p = PROTOCOLS.wellness;
  const warnings: PlanWarning[] = [];
  for (const d of restrictions.clearances) warnings.push({ code: 'CLEARANCE_REQUIRED', message: `Treatment starts once a ${d} has cleared it.` });
  for (const a of restrictions.avoidAreas) warnings.push({ code: 'AREA_AVOIDED', message: `The ${a.side} ${a.region} is not massaged.` });
  // The same local limits as a treatment plan: avoided areas and fresh-injury caps (fragility.ts).
  const techniques = applyLocalLimits(wellnessTechniques(intake, restrictions), intake, restrictions.avoidAreas);
  const reason = `Proposed from the intake: ${intake.goals.filter((g) => g === 'relaxation' || g === 'maintenance').join(' and ')}, no pain to treat.`;
  return {
    blocked: false,
    version: 1,
    createdAt: at,
    status: 'proposed',
    pathway: 'wellness',
    severity: reasoned('mild', 'No pain reported (0/10).', study('serlin1995')),
    protocol: { id: p.id, description: p.description },
    phases: [phase],
    currentPhaseIndex: 0,
    expectedSessions: reasoned(
      { min: 0, likely: 0, max: 0 },
      'No course of treatment: wellness visits are open-ended and counted per year.',
      practice('A wellness plan has no active course. Clinical practice; no trial backs this number.', 'maintenance1to3'),
    ),
    techniques: techniques.chosen,
    excludedTechniques: techniques.excluded,
    homeCare: applyLocalLimitsToHomeCare(homeCare(intake), intake, restrictions.avoidAreas),
    // No therapeutic benchmarks: there is no pain or function deficit to improve.
    benchmarks: [],
    adjustments: [],
    findings,
    restrictions,
    warnings,
    safeguards,
    approachChanges: 0,
    approachStartedAtSession: 0,
    phaseStartedAtSession: 0,
    changeLog: [{ version: 1, at, ...(by ? { by } : {}), decision: 'PROPOSED', reason, changes: [`Protocol: ${p.description}.`] }],
    intake,
    baseline: baselineFromIntake(intake),
  };
}
