import { BenchmarkEvaluation, buildBenchmarks, evaluateBenchmarks, Measures, validateMeasures } from './benchmarks';
import { IssueCollector, PlanningInputError } from './errors';
import { practice, Range, reasoned, seed } from './evidence';
import { ComplaintInput, HealthScreen, validateHealth } from './intake';
import { applyLocalLimits, applyLocalLimitsToHomeCare } from './fragility';
import { judgePainChanges, PainChange, validateNewComplaints } from './new-pain';
import {
  buildMaintenancePhase, Decision, describeFrequency, expectedActiveSessions, fmtRange, PlanChange, PlanPhase, PROTOCOLS,
  rangeWeeks, ReferralAdvice, referralFor, sessionsPerWeek, TreatmentPlan,
} from './plan';
import { defaultScreeningRules, Discipline, screen, ScreeningRule, summarizeScreening } from './screening';
import { alternativeTechniques, homeCare, selectTechniques } from './techniques';
import { Instant, parseDate, parseInstant } from './time';
import { collectSafeguards, maxSessionsPerWeekAllowed } from './safeguards';
import { isWellnessPlan, wellnessReassessment } from './wellness';

/**
 * Progress "stalls" when a re-assessment shows no meaningful change over at least this many
 * sessions since the start or since the last change of approach. Matches the 4-session
 * re-assessment cadence. Clinical practice; no trial.
 */
export const STALL_SESSIONS = 4;

export interface Reassessment {
  measures: Measures;
  /** Health answers asked again at re-assessment; any red flag overrides everything. */
  health?: HealthScreen;
  /**
   * Complaints first reported at this re-assessment (not in the intake): validated like intake
   * complaints, judged (new-pain.ts), and, unless referred, added to the plan with their own benchmark.
   */
  newComplaints?: ComplaintInput[];
}

export interface ReassessmentRecord {
  sessionsCompleted: number;
  measures: Measures;
}

export interface NextStepInput {
  plan: TreatmentPlan;
  /** Sessions completed in the whole plan so far. */
  sessionsCompleted: number;
  /** Defaults to the plan's baseline (the intake's measures). */
  baseline?: Measures;
  reassessment: Reassessment;
  /** Earlier re-assessments, used to detect a plateau after early improvement. */
  history?: ReassessmentRecord[];
  now: Instant;
  rules?: readonly ScreeningRule[];
  by?: string;
}

export interface NextStep {
  decision: Decision;
  /** Why, in words the client can read. */
  reason: string;
  /** The new plan version (version + 1) carrying the change. */
  plan: TreatmentPlan;
  changes: string[];
  evaluation: BenchmarkEvaluation;
  referral?: ReferralAdvice;
  /** New or markedly worse pain found at this re-assessment, from any baseline (new-pain.ts). */
  painChanges: PainChange[];
}

const STALL_EVIDENCE = practice(
  `Judging a stall over ${STALL_SESSIONS} sessions, changing approach once, then referring. Clinical practice; no trial backs these numbers.`,
  'benchmarks',
);

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/**
 * Proposes the next step from a re-assessment: STOP_AND_REFER on any red flag; REFER when worse;
 * STEP_DOWN (or MOVE_TO_MAINTENANCE) when all benchmarks are met; CONTINUE when improving or too
 * early to judge; CHANGE_APPROACH on a first stall over STALL_SESSIONS sessions; REFER on a second.
 */
export function nextStep(input: NextStepInput): NextStep {
  const now = parseInstant(input.now, 'now');
  const c = new IssueCollector();
  const plan0 = input.plan as TreatmentPlan | { blocked: true };
  if (!plan0 || plan0.blocked) throw new PlanningInputError([{ field: 'plan', problem: 'a blocked plan has no next step: follow its referral' }]);
  if (input.plan.status === 'stopped') c.add('plan.status', 'the plan is stopped; propose a new plan');
  const done = input.sessionsCompleted;
  if (typeof done !== 'number' || !Number.isInteger(done) || done < 0) c.add('sessionsCompleted', `must be a whole number ≥ 0; got ${JSON.stringify(done)}`);
  else if (done < input.plan.phaseStartedAtSession) {
    c.add('sessionsCompleted', `is ${done}, fewer than the ${input.plan.phaseStartedAtSession} already counted when the current phase began`);
  }
  c.throwIfAny();

  const ids = input.plan.intake.complaints.map((x) => x.id);
  const measures = validateMeasures(input.reassessment?.measures, 'reassessment.measures', ids);
  const baseline = input.baseline ? validateMeasures(input.baseline, 'baseline', ids) : input.plan.baseline;
  const history = (input.history ?? []).map((h, k) => ({
    sessionsCompleted: h.sessionsCompleted,
    measures: validateMeasures(h.measures, `history[${k}].measures`, ids),
  }));

  const at = now.toISO()!;
  const added = validateNewComplaints(input.reassessment?.newComplaints, { field: 'reassessment.newComplaints', now: at, intake: input.plan.intake });
  const painChanges = judgePainChanges(input.plan.intake.complaints, baseline, measures, added);

  const plan = clone(input.plan);
  plan.version += 1;
  plan.status = 'active';
  const changes: string[] = [];

  // Re-screen with the health answers given at re-assessment.
  let healthChanged = false;
  if (input.reassessment.health !== undefined) {
    // Only the health block is validated: the complaints (and any stated chronicity) were judged
    // against the intake's date and stay as recorded; their age is brought up to `now`.
    const health = validateHealth({ ...plan.intake.health, ...input.reassessment.health }, { now: at, age: plan.intake.age });
    const complaints = plan.intake.complaints.map((x) => {
      const onset = parseDate(x.onsetDate);
      return onset ? { ...x, onsetDays: Math.floor(now.startOf('day').diff(onset, 'days').days) } : x;
    });
    plan.intake = { ...plan.intake, complaints, health, assessedAt: at };
    healthChanged = true;
  }
  if (added.length > 0) {
    // New complaints join the intake (so screening sees them: e.g. new back pain after cancer) with
    // their pain now as their baseline and a benchmark of their own.
    const complaints = plan.intake.complaints.map((x) => {
      const onset = parseDate(x.onsetDate);
      return onset ? { ...x, onsetDays: Math.floor(now.startOf('day').diff(onset, 'days').days) } : x;
    });
    plan.intake = { ...plan.intake, complaints: [...complaints, ...added], assessedAt: at };
    const addedBaseline = added.map((x) => ({ complaintId: x.id, score: x.painNow }));
    plan.baseline = { ...plan.baseline, pain: [...plan.baseline.pain, ...addedBaseline] };
    plan.benchmarks = [...plan.benchmarks, ...buildBenchmarks({ pain: addedBaseline })];
    plan.homeCare = homeCare(plan.intake);
    changes.push(`New complaint(s) added: ${added.map((x) => `${x.side} ${x.region} (${x.id})`).join(', ')}.`);
    healthChanged = true;
  }
  const findings = screen(plan.intake, input.rules ?? defaultScreeningRules);
  const restrictions = summarizeScreening(findings);
  const evaluation = evaluateBenchmarks(baseline, measures, plan.benchmarks);

  const finish = (decision: Decision, reason: string, referral?: ReferralAdvice): NextStep => {
    const entry: PlanChange = { version: plan.version, at, ...(input.by ? { by: input.by } : {}), decision, reason, changes };
    plan.changeLog.push(entry);
    if (referral) plan.referral = referral;
    plan.expectedSessions = expectedActiveSessions(plan.phases, plan.expectedSessions.evidence);
    return { decision, reason, plan, changes, evaluation, painChanges, ...(referral ? { referral } : {}) };
  };

  if (restrictions.blocked) {
    const stops = findings.filter((f) => f.outcome === 'REFER_DO_NOT_TREAT');
    plan.findings = findings;
    plan.restrictions = restrictions;
    plan.status = 'stopped';
    changes.push(`Treatment stopped: ${stops.map((f) => f.ruleId).join(', ')}.`);
    const referral = referralFor(stops);
    return finish('STOP_AND_REFER', `A warning sign was found at re-assessment: ${referral.reason} Massage stops until a ${referral.to} has seen you.`, referral);
  }
  if (healthChanged) {
    const newTech = applyLocalLimits(selectTechniques(plan.intake, restrictions), plan.intake, restrictions.avoidAreas);
    if (JSON.stringify(newTech.chosen) !== JSON.stringify(plan.techniques)) changes.push('Techniques and pressure revised for new health findings.');
    plan.findings = findings;
    plan.restrictions = restrictions;
    plan.techniques = newTech.chosen;
    plan.excludedTechniques = newTech.excluded;
    plan.homeCare = applyLocalLimitsToHomeCare(plan.homeCare, plan.intake, restrictions.avoidAreas);
  }

  const phase = plan.phases[plan.currentPhaseIndex];
  const inPhase = done - plan.phaseStartedAtSession;
  const sinceApproach = done - plan.approachStartedAtSession;
  const chronic = plan.pathway === 'chronic';
  const worse = evaluation.results.filter((r) => r.status === 'worse');

  if (evaluation.overall === 'worse') {
    const painWorse = worse.some((r) => r.measure === 'pain-nrs');
    const to: Discipline = painWorse ? 'physician' : 'physiotherapist';
    plan.status = 'on-hold-referral';
    changes.push(`Referral to a ${to}; sessions paused until they have seen you.`);
    return finish(
      'REFER',
      `${painWorse ? 'Your pain' : 'Your function'} is worse than at the start (${worse.map((r) => r.benchmarkId).join(', ')}), so we ask a ${to} to look at it before going on.`,
      { to, urgency: 'urgent', reason: `Worse since baseline under massage care: ${worse.map((r) => `${r.benchmarkId} ${r.baseline} → ${r.current}`).join('; ')}.` },
    );
  }

  // New or markedly worse pain from any baseline (0 included), or a new complaint: refer when severe or unexplained.
  const referPain = painChanges.filter((x) => x.refer);
  if (referPain.length > 0) {
    plan.status = 'on-hold-referral';
    const urgency = referPain.some((x) => x.urgency === 'urgent') ? 'urgent' : 'routine';
    changes.push('Referral to a physician; sessions paused until they have seen you.');
    return finish(
      'REFER',
      `New or worse pain needs a doctor's opinion before massage goes on: ${referPain.map((x) => x.finding).join(' ')}`,
      { to: 'physician', urgency, reason: `New or worse pain under massage care: ${referPain.map((x) => x.finding).join(' ')}` },
    );
  }

  if (isWellnessPlan(plan)) {
    // No therapeutic benchmarks: a wellness plan never escalates for lack of pain change.
    const w = wellnessReassessment(measures);
    changes.push(...w.changes);
    if (w.decision === 'REFER') plan.status = 'on-hold-referral';
    return finish(w.decision, w.reason, w.referral);
  }

  // Nor while a complaint's pain was not measured: it may be the one that got worse.
  const unmeasured = input.plan.intake.complaints.filter((x) => !measures.pain.some((p) => p.complaintId === x.id));
  if (evaluation.overall === 'all-met' && phase.kind !== 'maintenance' && unmeasured.length > 0) {
    changes.push('No step-down until every complaint is measured.');
    return finish(
      'CONTINUE',
      `${evaluation.summary} But pain was not measured for ${unmeasured.map((x) => `the ${x.side} ${x.region} (${x.id})`).join(', ')}; every complaint is measured before visits space out.`,
    );
  }

  if (evaluation.overall === 'all-met' && painChanges.length > 0) {
    // Never step down while another complaint is new: it is measured first.
    changes.push('No step-down while a new complaint is being judged.');
    return finish(
      'CONTINUE',
      `${evaluation.summary} But ${painChanges.map((x) => x.finding).join(' ')} Visits stay ${describeFrequency(phase.frequency.value)} until the next re-assessment.`,
    );
  }

  if (evaluation.overall === 'all-met') {
    const planned = phase.sessions.value.likely;
    const early = phase.kind !== 'maintenance' && inPhase < planned;
    if (phase.kind === 'maintenance') {
      changes.push('Maintenance continues at the same interval.');
      return finish('CONTINUE', 'All benchmarks are still met: maintenance continues as planned.');
    }
    phase.completedSessions = inPhase;
    let next = plan.phases[plan.currentPhaseIndex + 1];
    if (!next) {
      next = buildMaintenancePhase(plan.intake, phase.frequency.value, plan.phases.length);
      next.frequency = reasoned(next.frequency.value, `${next.frequency.reason} Visits as needed are also fine.`, next.frequency.evidence);
      plan.phases.push(next);
      changes.push('Maintenance phase added.');
    }
    plan.currentPhaseIndex += 1;
    plan.phaseStartedAtSession = done;
    changes.push(`${phase.label} ended after ${inPhase} session(s)${early ? ` instead of the planned ${planned}` : ''}; now ${next.label.toLowerCase()}, ${describeFrequency(next.frequency.value)}.`);
    const decision: Decision = next.kind === 'maintenance' ? 'MOVE_TO_MAINTENANCE' : 'STEP_DOWN';
    return finish(
      decision,
      `All benchmarks met${early ? ` early, after ${inPhase} of ${planned} planned sessions` : ''}. Visits space out to ${describeFrequency(next.frequency.value)}.`,
    );
  }

  // Plateau: improved against baseline but nothing changed since a re-assessment at least STALL_SESSIONS ago.
  let stalled = evaluation.overall === 'stalled';
  let plateauNote = '';
  if (!stalled) {
    const ref = [...history].filter((h) => h.sessionsCompleted <= done - STALL_SESSIONS && h.sessionsCompleted >= plan.approachStartedAtSession).pop();
    if (ref) {
      const since = evaluateBenchmarks(ref.measures, measures, plan.benchmarks);
      if (since.overall === 'stalled') {
        stalled = true;
        plateauNote = ` No further change since the re-assessment after session ${ref.sessionsCompleted}.`;
      }
    }
  }

  if (!stalled) {
    // Improving: continue; extend the phase if its planned sessions are used up.
    if (phase.kind !== 'maintenance' && inPhase >= phase.sessions.value.likely) {
      const extra = phase.reassessment.value.everySessions;
      const r = extendPhase(phase, inPhase + extra, `improving, benchmarks not yet met; room for ${extra} more session(s)`);
      changes.push(r.text);
    } else changes.push('No change to the plan.');
    return finish('CONTINUE', `${evaluation.summary} We continue ${describeFrequency(phase.frequency.value)}.`);
  }

  if (sinceApproach < STALL_SESSIONS) {
    changes.push('No change to the plan.');
    return finish(
      'CONTINUE',
      `No clear change yet, but only ${sinceApproach} session(s) since ${plan.approachChanges ? 'the change of approach' : 'the start'}; we judge after ${STALL_SESSIONS}.`,
    );
  }

  if (plan.approachChanges === 0) {
    plan.approachChanges = 1;
    plan.approachStartedAtSession = done;
    plan.techniques = applyLocalLimits(
      { chosen: alternativeTechniques(plan.techniques, plan.intake, plan.restrictions), excluded: [] },
      plan.intake,
      plan.restrictions.avoidAreas,
    ).chosen;
    changes.push(`Techniques changed to: ${[...new Set(plan.techniques.map((t) => t.technique))].join(', ')}.`);
    if (phase.kind !== 'maintenance') {
      const r = extendPhase(phase, inPhase + STALL_SESSIONS, `room for ${STALL_SESSIONS} more sessions to try the changed approach`);
      changes.push(r.text);
      const cap = plan.intake.commitment.sessionsPerWeek;
      // Safeguards from every condition (e.g. fibromyalgia: weekly at most) hold at re-assessment too.
      const guard = maxSessionsPerWeekAllowed(collectSafeguards(plan.intake));
      const maxPain = Math.max(0, ...measures.pain.map((p) => p.score));
      if (phase.kind === 'initial' && cap >= 2 && sessionsPerWeek(phase.frequency.value) < 2 && maxPain >= 5 && guard < 2) {
        const sg = collectSafeguards(plan.intake).find((x) => (x.maxSessionsPerWeek ?? Infinity) < 2)!;
        changes.push(`Frequency stays ${describeFrequency(phase.frequency.value)}: ${sg.reason}`);
      } else if (phase.kind === 'initial' && cap >= 2 && sessionsPerWeek(phase.frequency.value) < 2 && maxPain >= 5) {
        const before = describeFrequency(phase.frequency.value);
        phase.frequency = reasoned(
          { sessions: 2, perWeeks: 1 },
          `Raised from ${before} to twice a week by the re-assessment: pain is still ${maxPain}/10 after ${inPhase} sessions.`,
          seed('frequencyBySeverity'),
        );
        phase.frequencyRaisedAtVersion = plan.version;
        phase.durationWeeks = reasoned(weeksRange(phase), `About ${fmtRange(weeksRange(phase))} weeks in all at the new rhythm.`, phase.frequency.evidence);
        changes.push(`Frequency raised from ${before} to twice a week.`);
      }
    }
    return finish(
      'CHANGE_APPROACH',
      `Progress has stalled over ${sinceApproach} sessions (${evaluation.summary}${plateauNote}), so we change the approach: more release and movement work, and we keep your home care going.`,
    );
  }

  const to: Discipline = chronic || PROTOCOLS[plan.protocol.id].pathway === 'chronic' ? 'pain-specialist' : 'physiotherapist';
  plan.status = 'on-hold-referral';
  changes.push(`Referral to a ${to}.`);
  return finish(
    'REFER',
    `Progress stalled again over ${sinceApproach} sessions after changing the approach${plateauNote}; a ${to === 'pain-specialist' ? 'pain specialist' : 'physiotherapist'} can add what massage alone has not.`,
    {
      to,
      urgency: 'routine',
      reason: `No meaningful change after ${done} sessions and one change of approach (${evaluation.summary}).`,
    },
  );
}

const weeksRange = (phase: PlanPhase): Range => rangeWeeks(phase.sessions.value, phase.frequency.value);

/**
 * Makes room in a phase for at least `needed` sessions: the likely count becomes the larger of the
 * existing count and `needed` (never smaller), min stays, max grows to match. Returns the real
 * result in words — "extended from 6 to 8 sessions", or "kept at 10 sessions (already room for …)"
 * when the existing count was enough.
 */
export function extendPhase(phase: PlanPhase, needed: number, why: string): { extended: boolean; from: number; to: number; text: string } {
  const r = phase.sessions.value;
  const likely = Math.max(r.likely, needed);
  const extended = likely > r.likely;
  const text = extended
    ? `${phase.label} extended from ${r.likely} to ${likely} sessions (${why}).`
    : `${phase.label} kept at ${r.likely} sessions, which already leaves ${why.replace(/^room for /, '')} (${needed} needed).`;
  if (!extended) return { extended, from: r.likely, to: likely, text };
  const value: Range = { min: r.min, likely, max: Math.max(r.max, likely) };
  phase.sessions = reasoned(value, `${phase.sessions.reason} Extended from ${r.likely} to ${likely} sessions at re-assessment: ${why}.`, STALL_EVIDENCE);
  if (phase.durationWeeks) {
    phase.durationWeeks = reasoned(weeksRange(phase), `About ${fmtRange(weeksRange(phase))} weeks in all.`, STALL_EVIDENCE);
  }
  return { extended, from: r.likely, to: likely, text };
}
