import { DateTime } from 'luxon';
import { EvidenceRef, practice } from './evidence';
import { BodyRegion, CHRONIC_MIN_DAYS, Intake, PressureTolerance, PRESSURE_TOLERANCES, SiteFinding } from './intake';
import { Technique } from './techniques';
import { fragilityRules } from './fragility';
import { classInfo, medicationsIn } from './medications';
import { redFlagRules } from './red-flags';

const redFlagRule = (id: string): ScreeningRule => redFlagRules.find((r) => r.id === id)!;

export type ScreeningOutcome = 'REFER_DO_NOT_TREAT' | 'AVOID_AREA' | 'MODIFY_OR_CLEARANCE';
export type Discipline = 'physician' | 'physiotherapist' | 'pain-specialist' | 'acupuncturist';
export type Urgency = 'emergency' | 'urgent' | 'routine';

/** What a MODIFY_OR_CLEARANCE finding changes in the plan. */
export interface Modification {
  /** The firmest pressure allowed. */
  maxPressure?: PressureTolerance;
  excludeTechniques?: Technique[];
  /** Treatment waits for written clearance from this discipline. */
  clearanceFrom?: Discipline;
  note?: string;
}

export interface ScreeningFinding {
  ruleId: string;
  outcome: ScreeningOutcome;
  /** What was found, in words the client can read. */
  finding: string;
  area?: SiteFinding;
  referTo?: Discipline;
  urgency?: Urgency;
  modification?: Modification;
  evidence: EvidenceRef;
}

export interface RuleHit {
  finding: string;
  area?: SiteFinding;
}

/** A configurable screening rule. Pass your own list to `screen` to add, drop or change rules. */
export interface ScreeningRule {
  id: string;
  outcome: ScreeningOutcome;
  description: string;
  referTo?: Discipline;
  urgency?: Urgency;
  modification?: Modification;
  evidence: EvidenceRef;
  check(intake: Intake): RuleHit[];
}

const BACK: readonly BodyRegion[] = ['lower-back', 'mid-back', 'upper-back', 'gluteal'];
const hasBackPain = (i: Intake): boolean =>
  i.complaints.some((c) => BACK.includes(c.region)) || i.conditions.includes('chronic-low-back-pain');
const when = (cond: boolean, finding: string): RuleHit[] => (cond ? [{ finding }] : []);

/** Days between a `YYYY-MM-DD` date and the intake's assessment time. */
function daysSince(date: string, intake: Intake): number {
  const d = DateTime.fromISO(date, { zone: 'utc' });
  return Math.floor(DateTime.fromISO(intake.assessedAt, { zone: 'utc' }).startOf('day').diff(d, 'days').days);
}

/** Healing window after surgery or fracture during which the site is not massaged (12 weeks). */
export const RECENT_SURGERY_DAYS = 84;

const redFlag = (why: string): EvidenceRef =>
  practice(
    `${why} Red-flag screening is standard clinical practice (listed in massage-therapy training and in guideline red-flag lists such as NICE NG59 for back pain); no trial tests it.`,
    'healthQuestions',
  );
const contraindication = (why: string): EvidenceRef =>
  practice(`${why} Standard massage-therapy contraindication practice; no trial backs the exact rule.`, 'healthQuestions');

export const defaultScreeningRules: readonly ScreeningRule[] = [
  // DVT from observed signs and risk factors (red-flags.ts); the legacy tick-box reads as "likely".
  redFlagRule('red-flag.suspected-dvt'),
  redFlagRule('local.dvt-sign'),
  redFlagRule('clearance.dvt-sign'),
  redFlagRule('modify.dvt-risk'),
  {
    id: 'red-flag.fever',
    outcome: 'REFER_DO_NOT_TREAT',
    description: 'Fever',
    referTo: 'physician',
    urgency: 'urgent',
    evidence: redFlag('Fever suggests infection; massage increases circulation and can worsen systemic illness.'),
    check: (i) => when(i.health.fever === true, 'You have a fever.'),
  },
  {
    id: 'red-flag.weight-loss-with-back-pain',
    outcome: 'REFER_DO_NOT_TREAT',
    description: 'Unexplained weight loss together with back pain',
    referTo: 'physician',
    urgency: 'urgent',
    evidence: redFlag('Unexplained weight loss with back pain can signal serious spinal disease such as cancer or infection.'),
    check: (i) => when(i.health.unexplainedWeightLoss === true && hasBackPain(i), 'Unexplained weight loss together with back pain.'),
  },
  redFlagRule('red-flag.cauda-equina'),
  redFlagRule('red-flag.trauma-older-back'),
  redFlagRule('clearance.trauma-older'),
  {
    id: 'red-flag.progressive-neurological-deficit',
    outcome: 'REFER_DO_NOT_TREAT',
    description: 'Progressive weakness or loss of sensation',
    referTo: 'physician',
    urgency: 'urgent',
    evidence: redFlag('Worsening nerve function needs medical diagnosis before hands-on treatment.'),
    check: (i) => when(i.health.progressiveNeurologicalDeficit === true, 'Weakness or numbness that is getting worse.'),
  },
  {
    id: 'red-flag.sudden-severe-headache',
    outcome: 'REFER_DO_NOT_TREAT',
    description: 'Sudden, severe ("worst ever") headache',
    referTo: 'physician',
    urgency: 'emergency',
    evidence: redFlag('A sudden severe headache can be a bleed in the brain.'),
    check: (i) => when(i.health.suddenSevereHeadache === true, 'A sudden, very severe headache.'),
  },
  {
    id: 'red-flag.chest-pain-breathlessness',
    outcome: 'REFER_DO_NOT_TREAT',
    description: 'Chest pain or unexplained breathlessness',
    referTo: 'physician',
    urgency: 'emergency',
    evidence: redFlag('Chest pain or breathlessness can be heart or lung disease, or a clot that has reached the lungs.'),
    check: (i) => when(i.health.chestPainOrBreathlessness === true, 'Chest pain or shortness of breath.'),
  },
  {
    id: 'red-flag.cancer-history-new-back-pain',
    outcome: 'REFER_DO_NOT_TREAT',
    description: 'History of cancer with back pain that began in the last 12 weeks',
    referTo: 'physician',
    urgency: 'urgent',
    evidence: redFlag('New back pain after cancer can be a spread of the cancer to the spine.'),
    check: (i) =>
      i.health.historyOfCancer === true
        ? i.complaints
            .filter((c) => BACK.includes(c.region) && c.onsetDays < CHRONIC_MIN_DAYS)
            .map((c) => ({ finding: `New ${c.region} pain with a history of cancer.`, area: { region: c.region, side: c.side } }))
        : [],
  },
  {
    id: 'contraindication.contagious-skin-condition',
    outcome: 'REFER_DO_NOT_TREAT',
    description: 'Contagious skin condition',
    referTo: 'physician',
    urgency: 'routine',
    evidence: contraindication('Contact spreads the infection to the client\'s other areas and to others.'),
    check: (i) => when(i.health.contagiousSkinCondition === true, 'A skin condition that may be contagious.'),
  },
  {
    id: 'local.recent-surgery',
    outcome: 'AVOID_AREA',
    description: `Surgery site within the last ${RECENT_SURGERY_DAYS / 7} weeks`,
    evidence: contraindication('Pressure on a healing surgical site risks the wound and deeper repair.'),
    check: (i) =>
      (i.health.recentSurgery ?? [])
        .filter((s) => daysSince(s.date, i) < RECENT_SURGERY_DAYS)
        .map((s) => ({
          finding: `Surgery on the ${s.side} ${s.region} ${daysSince(s.date, i)} days ago: that area is not massaged.`,
          area: { region: s.region, side: s.side },
        })),
  },
  {
    id: 'local.recent-fracture',
    outcome: 'AVOID_AREA',
    description: `Fracture within the last ${RECENT_SURGERY_DAYS / 7} weeks`,
    evidence: contraindication('A healing fracture must not be loaded by pressure.'),
    check: (i) =>
      (i.health.recentFractures ?? [])
        .filter((s) => daysSince(s.date, i) < RECENT_SURGERY_DAYS)
        .map((s) => ({
          finding: `Fracture of the ${s.side} ${s.region} ${daysSince(s.date, i)} days ago: that area is not massaged.`,
          area: { region: s.region, side: s.side },
        })),
  },
  {
    id: 'local.open-wound',
    outcome: 'AVOID_AREA',
    description: 'Open wound',
    evidence: contraindication('Touching an open wound risks infection.'),
    check: (i) =>
      (i.health.openWounds ?? []).map((s) => ({
        finding: `Open wound on the ${s.side} ${s.region}: that area is not massaged.`,
        area: { region: s.region, side: s.side },
      })),
  },
  {
    id: 'modify.anticoagulants',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Anticoagulant or antiplatelet medication, or a bleeding disorder',
    modification: { maxPressure: 'light', excludeTechniques: ['deep-tissue', 'trigger-point', 'cupping', 'scraping'] },
    evidence: contraindication('Blood thinners and bleeding disorders make bruising easy; firm pressure, cupping and scraping are avoided.'),
    check: (i) => {
      // By name as well as by the class picked: "warfarin" entered as "other" is still a blood thinner.
      const meds = medicationsIn(i.medications, ['anticoagulant', 'antiplatelet']);
      const hits = meds.map((m) => ({ finding: `You take ${m.name}, which thins the blood: pressure stays light.` }));
      if (i.health.bleedingDisorder === true) hits.push({ finding: 'A bleeding disorder: pressure stays light.' });
      return hits;
    },
  },
  // Osteoporosis and frailty (fragility.ts): light pressure and clearance when older or frail.
  ...fragilityRules,
  {
    id: 'modify.long-term-corticosteroids',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Corticosteroid medication',
    modification: { maxPressure: 'moderate', excludeTechniques: ['cupping', 'scraping'] },
    evidence: contraindication('Corticosteroids thin skin and connective tissue and weaken bone.'),
    check: (i) =>
      medicationsIn(i.medications, ['corticosteroid']).map((m) => ({ finding: `You take ${m.name} (a corticosteroid): pressure stays moderate.` })),
  },
  {
    id: 'modify.pain-masking-medication',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Pain relievers, opioids or muscle relaxants (dull the feedback on pressure)',
    modification: { maxPressure: 'moderate', excludeTechniques: ['deep-tissue'] },
    evidence: classInfo('nsaid').evidence,
    check: (i) =>
      medicationsIn(i.medications, ['nsaid', 'analgesic', 'opioid', 'muscle-relaxant']).map((m) => ({
        finding: `You take ${m.name}, which dulls pain: you may not feel when pressure is too much, so it stays moderate.`,
      })),
  },
  {
    id: 'modify.diabetes-medication',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Diabetes medication (possible reduced sensation)',
    modification: { excludeTechniques: ['hot-cold'], note: 'Check sensation in the feet and legs; avoid the day\'s insulin injection sites.' },
    evidence: classInfo('diabetes').evidence,
    check: (i) =>
      medicationsIn(i.medications, ['diabetes']).map((m) => ({
        finding: `You take ${m.name} for diabetes: no heat or cold packs, and sensation is checked before firm work.`,
      })),
  },
  {
    id: 'clearance.pregnancy',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Pregnancy',
    referTo: 'physician',
    urgency: 'routine',
    modification: {
      maxPressure: 'moderate',
      excludeTechniques: ['deep-tissue', 'cupping', 'scraping', 'hot-cold'],
      clearanceFrom: 'physician',
      note: 'Side-lying positioning; no deep pressure on the legs.',
    },
    evidence: contraindication('Pregnancy raises the risk of clots in the legs and calls for adapted positioning and pressure.'),
    check: (i) =>
      i.health.pregnancyWeeks !== undefined
        ? [{ finding: `Pregnant (${i.health.pregnancyWeeks} weeks): clearance from your doctor or midwife, adapted pressure and positioning.` }]
        : [],
  },
  {
    id: 'clearance.active-cancer-treatment',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Active cancer treatment',
    referTo: 'physician',
    urgency: 'routine',
    modification: {
      maxPressure: 'light',
      excludeTechniques: ['deep-tissue', 'trigger-point', 'cupping', 'scraping', 'hot-cold'],
      clearanceFrom: 'physician',
      note: 'Avoid tumour, radiation and port sites.',
    },
    evidence: contraindication('During cancer treatment, blood counts, skin and bone can be fragile; the oncology team clears massage first.'),
    check: (i) => when(i.health.activeCancerTreatment === true, 'Cancer treatment under way: clearance from your oncology team and light pressure only.'),
  },
  {
    id: 'clearance.unexplained-weight-loss',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Unexplained weight loss without back pain',
    referTo: 'physician',
    urgency: 'routine',
    modification: { clearanceFrom: 'physician' },
    evidence: redFlag('Unexplained weight loss needs a medical explanation.'),
    check: (i) => when(i.health.unexplainedWeightLoss === true && !hasBackPain(i), 'Unexplained weight loss: see your doctor before treatment.'),
  },
  {
    id: 'modify.peripheral-neuropathy',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'Peripheral neuropathy (reduced sensation)',
    modification: { maxPressure: 'moderate', excludeTechniques: ['hot-cold', 'cupping', 'scraping'] },
    evidence: contraindication('Reduced sensation means the client cannot report excessive pressure, heat or cold.'),
    check: (i) => when(i.health.peripheralNeuropathy === true, 'Reduced sensation: no heat or cold packs, pressure checked often.'),
  },
];

const OUTCOME_ORDER: Record<ScreeningOutcome, number> = { REFER_DO_NOT_TREAT: 0, AVOID_AREA: 1, MODIFY_OR_CLEARANCE: 2 };

/** Runs the screening rules over a validated intake. Findings come most serious first. */
export function screen(intake: Intake, rules: readonly ScreeningRule[] = defaultScreeningRules): ScreeningFinding[] {
  const findings: ScreeningFinding[] = [];
  for (const rule of rules) {
    for (const hit of rule.check(intake)) {
      findings.push({
        ruleId: rule.id,
        outcome: rule.outcome,
        finding: hit.finding,
        ...(hit.area ? { area: hit.area } : {}),
        ...(rule.referTo ? { referTo: rule.referTo } : {}),
        ...(rule.urgency ? { urgency: rule.urgency } : {}),
        ...(rule.modification ? { modification: rule.modification } : {}),
        evidence: rule.evidence,
      });
    }
  }
  return findings
    .map((f, k) => ({ f, k }))
    .sort((a, b) => OUTCOME_ORDER[a.f.outcome] - OUTCOME_ORDER[b.f.outcome] || a.k - b.k)
    .map(({ f }) => f);
}

export interface ScreeningSummary {
  blocked: boolean;
  avoidAreas: SiteFinding[];
  maxPressure: PressureTolerance;
  excludedTechniques: Technique[];
  clearances: Discipline[];
}

/** Folds findings into the restrictions a plan must respect. */
export function summarizeScreening(findings: readonly ScreeningFinding[]): ScreeningSummary {
  let maxIdx = PRESSURE_TOLERANCES.length - 1;
  const excluded = new Set<Technique>();
  const clearances = new Set<Discipline>();
  for (const f of findings) {
    const m = f.modification;
    if (m?.maxPressure) maxIdx = Math.min(maxIdx, PRESSURE_TOLERANCES.indexOf(m.maxPressure));
    m?.excludeTechniques?.forEach((t) => excluded.add(t));
    if (m?.clearanceFrom) clearances.add(m.clearanceFrom);
  }
  return {
    blocked: findings.some((f) => f.outcome === 'REFER_DO_NOT_TREAT'),
    avoidAreas: findings.filter((f) => f.outcome === 'AVOID_AREA' && f.area).map((f) => f.area!),
    maxPressure: PRESSURE_TOLERANCES[maxIdx],
    excludedTechniques: [...excluded],
    clearances: [...clearances],
  };
}
