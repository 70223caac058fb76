import { defaultScreeningRules, proposePlan, screen, ScreeningRule, validateIntake } from './index';
import type { HealthScreen, IntakeInput } from './index';
import { baseIntake, NOW } from './testing/fixtures';

const v = (o: Partial<IntakeInput>) => validateIntake(baseIntake(o), { now: NOW });
const h = (health: HealthScreen, o: Partial<IntakeInput> = {}) => v({ ...o, health });

// One row per rule. Source of every rule: seed 002 ("…ask you a series of general health
// questions to get a clear picture of any existing medical conditions you might have or any
// medications you're taking") and seed 003 ("Both past and current health issues are
// discussed…"); the red flags and contraindications themselves are clinical practice.
const rows: {
  rule: string;
  source: string;
  intake: ReturnType<typeof v>;
  outcome: 'REFER_DO_NOT_TREAT' | 'AVOID_AREA' | 'MODIFY_OR_CLEARANCE';
  referTo?: string;
  /** The kind of evidence the rule carries (default clinical practice). */
  kind?: 'trial';
}[] = [
  { rule: 'red-flag.suspected-dvt', source: 'clinical practice: clot may embolise', intake: h({ suspectedDvt: true }), outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician' },
  { rule: 'red-flag.fever', source: 'clinical practice: systemic infection', intake: h({ fever: true }), outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician' },
  { rule: 'red-flag.weight-loss-with-back-pain', source: 'clinical practice (NICE NG59 red flags)', intake: h({ unexplainedWeightLoss: true }), outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician' },
  { rule: 'red-flag.cauda-equina', source: 'Finucane 2020 (international red-flag framework): surgical emergency', intake: h({ saddleAnaesthesia: true }), outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician', kind: 'trial' },
  // Issue 11 item 2: signs and risk factors (red-flags.ts; Wells 1997/2003 adapted, NICE NG158).
  { rule: 'local.dvt-sign', source: 'Wells-like score < 2 with a calf sign (clinical practice adapted from Wells)', intake: h({ dvtSigns: { side: 'left', calfSwelling: true } }), outcome: 'AVOID_AREA' },
  { rule: 'clearance.dvt-sign', source: 'an unexplained calf sign: physician clears (clinical practice)', intake: h({ dvtSigns: { side: 'left', calfSwelling: true } }), outcome: 'MODIFY_OR_CLEARANCE', referTo: 'physician' },
  { rule: 'modify.dvt-risk', source: 'risk factors only (clinical practice adapted from Wells)', intake: h({ dvtRiskFactors: { recentLongTravel: true } }), outcome: 'MODIFY_OR_CLEARANCE' },
  {
    rule: 'red-flag.trauma-older-back',
    source: 'Downie 2013 (systematic review): trauma and older age raise the probability of spinal fracture',
    intake: h({ recentSignificantTrauma: true }, { age: 72 }),
    outcome: 'REFER_DO_NOT_TREAT',
    referTo: 'physician',
    kind: 'trial',
  },
  {
    rule: 'clearance.trauma-older',
    source: 'Downie 2013 (fracture risk after trauma in older people)',
    intake: h({ recentSignificantTrauma: true }, { age: 72, complaints: [{ id: 'k', region: 'knee', side: 'left', onsetDate: '2025-01-01', cause: 'overuse', painNow: 4, painWorst: 6 }], function: {} }),
    outcome: 'MODIFY_OR_CLEARANCE',
    referTo: 'physician',
    kind: 'trial',
  },
  // Issue 11 item 5 (fragility.ts).
  { rule: 'clearance.fragile-bone', source: 'clinical practice: osteoporosis at 65+', intake: h({ osteoporosis: true }, { age: 70 }), outcome: 'MODIFY_OR_CLEARANCE', referTo: 'physician' },
  { rule: 'clearance.severe-frailty', source: 'Rockwood 2005 (Clinical Frailty Scale 7+)', intake: h({ clinicalFrailtyScale: 7 }, { age: 85 }), outcome: 'MODIFY_OR_CLEARANCE', referTo: 'physician', kind: 'trial' },
  { rule: 'modify.frailty', source: 'Rockwood 2005 (Clinical Frailty Scale 5–6)', intake: h({ clinicalFrailtyScale: 5 }, { age: 78 }), outcome: 'MODIFY_OR_CLEARANCE', kind: 'trial' },
  // Issue 11 item 3 (medications.ts): by name, whatever the class picked.
  { rule: 'modify.pain-masking-medication', source: 'clinical practice: analgesics mask pressure feedback', intake: v({ medications: [{ name: 'Naproxen 500mg', class: 'other' }] }), outcome: 'MODIFY_OR_CLEARANCE' },
  { rule: 'modify.diabetes-medication', source: 'clinical practice: reduced sensation', intake: v({ medications: [{ name: 'Lantus', class: 'other' }] }), outcome: 'MODIFY_OR_CLEARANCE' },
  { rule: 'red-flag.progressive-neurological-deficit', source: 'clinical practice', intake: h({ progressiveNeurologicalDeficit: true }), outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician' },
  { rule: 'red-flag.sudden-severe-headache', source: 'clinical practice', intake: h({ suddenSevereHeadache: true }), outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician' },
  { rule: 'red-flag.chest-pain-breathlessness', source: 'clinical practice', intake: h({ chestPainOrBreathlessness: true }), outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician' },
  {
    rule: 'red-flag.cancer-history-new-back-pain',
    source: 'clinical practice (NICE NG59 red flags)',
    intake: h({ historyOfCancer: true }, { complaints: [{ id: 'lb', region: 'lower-back', side: 'central', onsetDate: '2026-02-20', cause: 'unknown', painNow: 5, painWorst: 6 }], function: {} }),
    outcome: 'REFER_DO_NOT_TREAT',
    referTo: 'physician',
  },
  { rule: 'contraindication.contagious-skin-condition', source: 'clinical practice', intake: h({ contagiousSkinCondition: true }), outcome: 'REFER_DO_NOT_TREAT', referTo: 'physician' },
  { rule: 'local.recent-surgery', source: 'clinical practice: 12-week healing window', intake: h({ recentSurgery: [{ region: 'knee', side: 'left', date: '2026-01-15' }] }), outcome: 'AVOID_AREA' },
  { rule: 'local.recent-fracture', source: 'clinical practice', intake: h({ recentFractures: [{ region: 'wrist-hand', side: 'right', date: '2026-02-01' }] }), outcome: 'AVOID_AREA' },
  { rule: 'local.open-wound', source: 'clinical practice', intake: h({ openWounds: [{ region: 'calf', side: 'left' }] }), outcome: 'AVOID_AREA' },
  { rule: 'modify.anticoagulants', source: 'clinical practice: bruising', intake: v({ medications: [{ name: 'warfarin', class: 'anticoagulant' }] }), outcome: 'MODIFY_OR_CLEARANCE' },
  { rule: 'modify.osteoporosis', source: 'clinical practice: fragility fracture', intake: h({ osteoporosis: true }), outcome: 'MODIFY_OR_CLEARANCE' },
  { rule: 'modify.long-term-corticosteroids', source: 'clinical practice', intake: v({ medications: [{ name: 'prednisolone', class: 'corticosteroid' }] }), outcome: 'MODIFY_OR_CLEARANCE' },
  { rule: 'clearance.pregnancy', source: 'clinical practice', intake: h({ pregnancyWeeks: 20 }), outcome: 'MODIFY_OR_CLEARANCE', referTo: 'physician' },
  { rule: 'clearance.active-cancer-treatment', source: 'clinical practice', intake: h({ activeCancerTreatment: true, historyOfCancer: true }, { complaints: [{ id: 'n', region: 'neck', side: 'left', onsetDate: '2025-01-01', cause: 'posture', painNow: 4, painWorst: 6 }], function: {} }), outcome: 'MODIFY_OR_CLEARANCE', referTo: 'physician' },
  { rule: 'clearance.unexplained-weight-loss', source: 'clinical practice', intake: h({ unexplainedWeightLoss: true }, { complaints: [{ id: 'k', region: 'knee', side: 'left', onsetDate: '2025-01-01', cause: 'overuse', painNow: 4, painWorst: 6 }], function: {} }), outcome: 'MODIFY_OR_CLEARANCE', referTo: 'physician' },
  { rule: 'modify.peripheral-neuropathy', source: 'clinical practice', intake: h({ peripheralNeuropathy: true }), outcome: 'MODIFY_OR_CLEARANCE' },
];

describe('screening rules (one row per rule)', () => {
  it('covers every default rule', () => {
    expect(rows.map((r) => r.rule).sort()).toEqual(defaultScreeningRules.map((r) => r.id).sort());
  });
  it.each(rows)('$rule → $outcome ($source)', ({ rule, intake, outcome, referTo, kind }) => {
    const f = screen(intake).find((x) => x.ruleId === rule);
    expect(f).toBeDefined();
    expect(f!.outcome).toBe(outcome);
    expect(f!.finding.length).toBeGreaterThan(5);
    expect(f!.evidence.kind).toBe(kind ?? 'clinical-practice');
    if (referTo) expect(f!.referTo).toBe(referTo);
    if (outcome === 'AVOID_AREA') expect(f!.area).toBeDefined();
  });
  it('a clean intake has no findings', () => {
    expect(screen(v({}))).toEqual([]);
  });
  it('surgery older than 12 weeks is no longer avoided', () => {
    expect(screen(h({ recentSurgery: [{ region: 'knee', side: 'left', date: '2025-11-01' }] }))).toEqual([]);
  });
  it('most serious findings come first', () => {
    const f = screen(h({ osteoporosis: true, openWounds: [{ region: 'calf', side: 'left' }], fever: true }));
    expect(f.map((x) => x.outcome)).toEqual(['REFER_DO_NOT_TREAT', 'AVOID_AREA', 'MODIFY_OR_CLEARANCE']);
  });
  it('rules are configurable: a custom rule list replaces the defaults', () => {
    const custom: ScreeningRule = {
      id: 'clinic.age-over-90',
      outcome: 'MODIFY_OR_CLEARANCE',
      description: 'Over 90',
      modification: { maxPressure: 'light' },
      evidence: { kind: 'clinical-practice', statement: 'Clinic policy; no trial.' },
      check: (i) => (i.age > 90 ? [{ finding: 'Over 90' }] : []),
    };
    expect(screen(v({ age: 95 }), [custom]).map((f) => f.ruleId)).toEqual(['clinic.age-over-90']);
    expect(screen(h({ fever: true }), [custom])).toEqual([]);
  });
});

describe('a do-not-treat finding blocks the plan', () => {
  it('returns blocked: true, the findings and a referral, never phases', () => {
    const plan = proposePlan(baseIntake({ health: { suspectedDvt: true } }), { now: NOW });
    expect(plan.blocked).toBe(true);
    if (!plan.blocked) throw new Error('unreachable');
    expect(plan.referral.to).toBe('physician');
    expect(plan.referral.urgency).toBe('emergency');
    expect(plan.findings[0].ruleId).toBe('red-flag.suspected-dvt');
    expect('phases' in plan).toBe(false);
  });
  it('anticoagulants keep the plan but restrict pressure and techniques', () => {
    const plan = proposePlan(baseIntake({ medications: [{ name: 'apixaban', class: 'anticoagulant' }] }), { now: NOW });
    if (plan.blocked) throw new Error('should not block');
    expect(plan.restrictions.maxPressure).toBe('light');
    expect(plan.techniques.map((t) => t.technique)).not.toContain('deep-tissue');
    expect(plan.techniques.every((t) => t.pressure === 'light')).toBe(true);
  });
  it('pregnancy requires clearance (warning) and removes deep tissue', () => {
    const plan = proposePlan(baseIntake({ health: { pregnancyWeeks: 24 } }), { now: NOW });
    if (plan.blocked) throw new Error('should not block');
    expect(plan.warnings.map((w) => w.code)).toContain('CLEARANCE_REQUIRED');
    expect(plan.techniques.map((t) => t.technique)).not.toContain('deep-tissue');
  });
});

describe('red-flag.cancer-history-new-back-pain goes by the onset (under 12 weeks), not the stated chronicity', () => {
  const back = (onsetDate: string, chronicity?: 'chronic') =>
    baseIntake({ complaints: [{ id: 'lb', region: 'lower-back', side: 'central', onsetDate, ...(chronicity ? { chronicity } : {}), cause: 'unknown', painNow: 5, painWorst: 6 }], function: {}, health: { historyOfCancer: true } });
  it.each([
    { rule: 'red-flag.cancer-history-new-back-pain: 75-day back pain stated chronic → blocked', intake: back('2025-12-17', 'chronic'), blocked: true },
    { rule: 'red-flag.cancer-history-new-back-pain: 83-day back pain → blocked', intake: back('2025-12-09'), blocked: true },
    { rule: 'red-flag.cancer-history-new-back-pain: 84-day back pain → not this flag', intake: back('2025-12-08'), blocked: false },
  ])('$rule', ({ intake, blocked }) => {
    const plan = proposePlan(intake, { now: NOW });
    expect(plan.blocked).toBe(blocked);
    expect(screen(validateIntake(intake, { now: NOW })).some((f) => f.ruleId === 'red-flag.cancer-history-new-back-pain')).toBe(blocked);
  });
});
