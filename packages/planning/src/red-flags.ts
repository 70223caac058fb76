/**
 * Red flags as the signs a therapist observes and the risk factors they ask about, not single
 * tick-boxes (issue 11, item 2). The screening rules in screening.ts call these.
 *
 * Deep-vein thrombosis: a Wells-like score (Wells 1997; the modified score of Wells 2003 used by
 * NICE NG158, where 2 or more means "DVT likely"), adapted for massage screening:
 *
 * | item | points | source |
 * | --- | --- | --- |
 * | one-sided calf swelling | 1 | Wells |
 * | pitting oedema in that leg | 1 | Wells |
 * | tenderness along the calf (deep veins) | 1 | Wells |
 * | warmth or redness of the calf | 1 | clinical practice (classic signs; not a Wells item) |
 * | surgery in the last 12 weeks, bedridden 3+ days, or leg in a cast | 1 | Wells |
 * | active cancer treatment | 1 | Wells |
 * | a previous clot (DVT or pulmonary embolism) | 1 | Wells 2003 |
 * | travel of 4+ hours in the last 4 weeks | 1 | clinical practice (not a Wells item) |
 * | pregnancy | 1 | clinical practice (not a Wells item) |
 * | a fresh calf/leg injury on that side explains the signs | −2 | Wells ("alternative diagnosis at least as likely") |
 *
 * Outcome: at least one sign and a score of 2 or more → do not treat, refer (emergency: NICE wants
 * an ultrasound within 4 hours); a sign with a lower score → the calf is not massaged (AVOID_AREA)
 * and, unless a fresh injury explains it, a physician clears treatment; risk factors alone → a
 * check of the calves at each visit. The legacy tick-box `suspectedDvt` reads as "DVT likely".
 */
import type { IssueCollector } from './errors';
import { EvidenceRef, practice } from './evidence';
import type { BodyRegion, Complaint, HealthScreen, Intake, Side } from './intake';
import { medicationsIn } from './medications';
import { safetyStudy } from './safety-sources';
import type { RuleHit, ScreeningRule } from './screening';

export const DVT_SIDES = ['left', 'right', 'both'] as const;
export type DvtSide = (typeof DVT_SIDES)[number];

/** Calf signs of a possible deep-vein thrombosis, as the therapist observes them. */
export interface DvtSigns {
  /** The leg with the signs; `both` (or absent) when both or not stated. */
  side?: DvtSide;
  calfSwelling?: boolean;
  calfWarmth?: boolean;
  calfRedness?: boolean;
  calfTenderness?: boolean;
  pittingOedema?: boolean;
}

/** DVT risk factors, as asked. */
export interface DvtRiskFactors {
  /** A journey of 4 hours or more (plane, car, coach) in the last 4 weeks. */
  recentLongTravel?: boolean;
  /** Surgery in the last 12 weeks, bedridden for 3 days or more, or a leg in a cast. */
  recentSurgeryOrImmobilisation?: boolean;
  /** A previous deep-vein thrombosis or pulmonary embolism. */
  historyOfClots?: boolean;
}

const SIGN_KEYS = ['calfSwelling', 'calfWarmth', 'calfRedness', 'calfTenderness', 'pittingOedema'] as const;
const RISK_KEYS = ['recentLongTravel', 'recentSurgeryOrImmobilisation', 'historyOfClots'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates `health.dvtSigns` and `health.dvtRiskFactors` into `health` (issues under `health.*`). */
export function validateRedFlagSigns(c: IssueCollector, h: Obj, health: HealthScreen): void {
  const section = <K extends string>(name: 'dvtSigns' | 'dvtRiskFactors', keys: readonly K[], extra?: (o: Obj, out: Obj) => void): Obj | undefined => {
    const v = h[name];
    if (v === undefined) return undefined;
    if (!isObj(v)) {
      c.add(`health.${name}`, `must be an object with yes/no answers (${keys.join(', ')})`);
      return undefined;
    }
    const out: Obj = {};
    for (const k of Object.keys(v)) {
      if (!(keys as readonly string[]).includes(k) && !(name === 'dvtSigns' && k === 'side')) {
        c.add(`health.${name}.${k}`, `is not a question here; the answers are ${keys.join(', ')}${name === 'dvtSigns' ? ', side' : ''}`);
      }
    }
    for (const k of keys) {
      if (v[k] === undefined) continue;
      if (typeof v[k] !== 'boolean') c.add(`health.${name}.${k}`, `must be true or false; got ${JSON.stringify(v[k])}`);
      else out[k] = v[k];
    }
    extra?.(v, out);
    return out;
  };
  const signs = section('dvtSigns', SIGN_KEYS, (v, out) => {
    if (v.side === undefined) return;
    if (typeof v.side === 'string' && (DVT_SIDES as readonly string[]).includes(v.side)) out.side = v.side;
    else c.add('health.dvtSigns.side', `must be one of ${DVT_SIDES.join(', ')}; got ${JSON.stringify(v.side)}`);
  });
  if (signs) health.dvtSigns = signs as DvtSigns;
  const risks = section('dvtRiskFactors', RISK_KEYS);
  if (risks) health.dvtRiskFactors = risks as DvtRiskFactors;
}

export interface DvtAssessment {
  /** The signs present, in words. */
  signs: string[];
  /** The risk factors present, in words. */
  risks: string[];
  /** A fresh leg injury on that side explains the signs (−2). */
  alternative?: string;
  score: number;
  /** At least one sign and a score of 2 or more, or the legacy tick-box. */
  likely: boolean;
  /** Which calf: left, right or bilateral. */
  side: Side;
}

const SIGN_WORDS: Record<(typeof SIGN_KEYS)[number], string> = {
  calfSwelling: 'one-sided calf swelling',
  calfWarmth: 'a warm calf',
  calfRedness: 'a red calf',
  calfTenderness: 'calf tenderness',
  pittingOedema: 'pitting oedema',
};
const LEG: readonly BodyRegion[] = ['calf', 'knee', 'thigh', 'ankle-foot'];
const INJURY = ['sprain', 'strain', 'sport', 'trauma'];
const ACUTE_DAYS = 42;
const SURGERY_WINDOW_DAYS = 84;

function daysSince(date: string, assessedAt: string): number {
  const a = Date.parse(`${date}T00:00:00Z`);
  const b = Date.parse(`${assessedAt.slice(0, 10)}T00:00:00Z`);
  return Math.floor((b - a) / 86_400_000);
}

/** The Wells-like DVT score of an intake (see the table at the top of this file). */
export function assessDvt(i: Intake): DvtAssessment {
  const s = i.health.dvtSigns ?? {};
  const r = i.health.dvtRiskFactors ?? {};
  const signs: string[] = [];
  if (s.calfSwelling) signs.push(SIGN_WORDS.calfSwelling);
  if (s.pittingOedema) signs.push(SIGN_WORDS.pittingOedema);
  if (s.calfTenderness) signs.push(SIGN_WORDS.calfTenderness);
  const warmRed = [s.calfWarmth ? 'warm' : '', s.calfRedness ? 'red' : ''].filter(Boolean);
  if (warmRed.length) signs.push(`a ${warmRed.join(', ')} calf`);
  const risks: string[] = [];
  const recentSurgery = (i.health.recentSurgery ?? []).some((x) => daysSince(x.date, i.assessedAt) < SURGERY_WINDOW_DAYS);
  if (r.recentSurgeryOrImmobilisation || recentSurgery) risks.push('recent surgery or immobilisation');
  if (i.health.activeCancerTreatment) risks.push('active cancer treatment');
  if (r.historyOfClots) risks.push('a previous clot');
  if (r.recentLongTravel) risks.push('a long journey in the last 4 weeks');
  if (i.health.pregnancyWeeks !== undefined) risks.push('pregnancy');
  const side: Side = s.side === 'left' || s.side === 'right' ? s.side : 'bilateral';
  const injury = i.complaints.find(
    (c: Complaint) =>
      LEG.includes(c.region) && INJURY.includes(c.cause) && c.onsetDays < ACUTE_DAYS && (side === 'bilateral' || c.side === side || c.side === 'bilateral'),
  );
  const alternative = signs.length && injury ? `a ${c2(injury)} ${injury.onsetDays} days ago` : undefined;
  const score = signs.length + risks.length - (alternative ? 2 : 0);
  const likely = i.health.suspectedDvt === true || (signs.length > 0 && score >= 2);
  return { signs, risks, ...(alternative ? { alternative } : {}), score, likely, side };
}
const c2 = (c: Complaint): string => `${c.side} ${c.region} ${c.cause}`;

const list = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

const DVT_EVIDENCE = practice(
  'A Wells-like score adapted for massage screening: the Wells items (Wells 1997; previous clot from the modified score, Wells 2003) with 2 or more meaning "DVT likely" as in NICE NG158, plus warmth or redness, long travel and pregnancy added by clinical practice. Massage over a clot can dislodge it (pulmonary embolism). No trial validates this adapted score for massage screening.',
  'healthQuestions',
);

const BACK: readonly BodyRegion[] = ['lower-back', 'mid-back', 'upper-back', 'gluteal'];
export const hasBackPain = (i: Intake): boolean => i.complaints.some((c) => BACK.includes(c.region)) || i.conditions.includes('chronic-low-back-pain');
/** Age from which trauma counts as a fracture risk (older clients; the engine's age threshold). */
export const OLDER_AGE = 65;

/** Osteoporosis, ticked or implied by osteoporosis medication. */
export const hasOsteoporosis = (i: Intake): boolean =>
  i.health.osteoporosis === true || medicationsIn(i.medications, ['bisphosphonate']).length > 0;

/** The red-flag rules built on observed signs and asked-about risk factors. */
export const redFlagRules: readonly ScreeningRule[] = [
  {
    id: 'red-flag.suspected-dvt',
    outcome: 'REFER_DO_NOT_TREAT',
    description: 'Deep-vein thrombosis likely: calf signs with a Wells-like score of 2 or more (or the legacy tick-box)',
    referTo: 'physician',
    urgency: 'emergency',
    evidence: DVT_EVIDENCE,
    check: (i): RuleHit[] => {
      const d = assessDvt(i);
      if (!d.likely) return [];
      if (d.signs.length === 0) return [{ finding: 'Signs of a possible blood clot in a vein (deep-vein thrombosis).' }];
      return [
        {
          finding: `Signs of a possible blood clot in the ${d.side === 'bilateral' ? '' : `${d.side} `}calf (deep-vein thrombosis): ${list(d.signs)}${d.risks.length ? `, with ${list(d.risks)}` : ''} (score ${d.score}).`,
          area: { region: 'calf', side: d.side },
        },
      ];
    },
  },
  {
    id: 'local.dvt-sign',
    outcome: 'AVOID_AREA',
    description: 'A calf sign of a possible clot without the score for "DVT likely": the calf is not massaged',
    evidence: DVT_EVIDENCE,
    check: (i) => {
      const d = assessDvt(i);
      if (d.likely || d.signs.length === 0) return [];
      return [
        {
          finding: `${list(d.signs)[0].toUpperCase()}${list(d.signs).slice(1)}${d.alternative ? `, likely from ${d.alternative}` : ''}: the ${d.side === 'bilateral' ? '' : `${d.side} `}calf is not massaged and is checked again at every visit.`,
          area: { region: 'calf', side: d.side },
        },
      ];
    },
  },
  {
    id: 'clearance.dvt-sign',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'An unexplained calf sign of a possible clot: a physician clears treatment',
    referTo: 'physician',
    urgency: 'urgent',
    modification: { clearanceFrom: 'physician', note: 'No pressure on the calf; ask about swelling, warmth, redness and pain at every visit.' },
    evidence: DVT_EVIDENCE,
    check: (i) => {
      const d = assessDvt(i);
      return !d.likely && d.signs.length > 0 && !d.alternative
        ? [{ finding: `${list(d.signs)[0].toUpperCase()}${list(d.signs).slice(1)} with no injury to explain it: see your doctor before treatment.` }]
        : [];
    },
  },
  {
    id: 'modify.dvt-risk',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: 'DVT risk factors without signs: the calves are checked at every visit',
    modification: { note: 'Check the calves for swelling, warmth, redness and tenderness at every visit; no deep pressure on the calves.' },
    evidence: DVT_EVIDENCE,
    check: (i) => {
      const d = assessDvt(i);
      const asked = i.health.dvtRiskFactors !== undefined && Object.values(i.health.dvtRiskFactors).some(Boolean);
      return d.signs.length === 0 && !d.likely && asked
        ? [{ finding: `A higher risk of clots (${list(d.risks)}): your calves are checked at every visit.` }]
        : [];
    },
  },
  {
    id: 'red-flag.cauda-equina',
    outcome: 'REFER_DO_NOT_TREAT',
    description: 'Bladder or bowel change or numbness in the saddle area (cauda equina)',
    referTo: 'physician',
    urgency: 'emergency',
    evidence: safetyStudy('finucane2020'),
    check: (i) => {
      const h = i.health;
      const signs = [
        h.bladderChange ? 'a change in bladder control' : '',
        h.bowelChange ? 'a change in bowel control' : '',
        h.bowelOrBladderDysfunction && !h.bladderChange && !h.bowelChange ? 'a change in bladder or bowel control' : '',
        h.saddleAnaesthesia ? 'numbness around the groin and buttocks' : '',
      ].filter(Boolean);
      return signs.length ? [{ finding: `${signs.join(', ')[0].toUpperCase()}${signs.join(', ').slice(1)}: possible pressure on the nerves at the base of the spine (cauda equina).` }] : [];
    },
  },
  {
    id: 'red-flag.trauma-older-back',
    outcome: 'REFER_DO_NOT_TREAT',
    description: `Back pain after significant trauma in a client ${OLDER_AGE}+ or with fragile bone (osteoporosis, long-term corticosteroids)`,
    referTo: 'physician',
    urgency: 'urgent',
    evidence: safetyStudy('downie2013'),
    check: (i) => {
      if (!hasBackPain(i)) return [];
      const fresh = i.complaints.find((c) => BACK.includes(c.region) && c.cause === 'trauma' && c.onsetDays < ACUTE_DAYS);
      if (!fresh && i.health.recentSignificantTrauma !== true) return [];
      const steroids = medicationsIn(i.medications, ['corticosteroid']).length > 0;
      const why = [i.age >= OLDER_AGE ? `age ${i.age}` : '', hasOsteoporosis(i) ? 'osteoporosis' : '', steroids ? 'corticosteroids' : ''].filter(Boolean);
      if (why.length === 0) return [];
      return [
        {
          finding: `Back pain after a fall or injury, with ${list(why)}: the spine needs an X-ray or scan for a fracture first.`,
          ...(fresh ? { area: { region: fresh.region, side: fresh.side } } : {}),
        },
      ];
    },
  },
  {
    id: 'clearance.trauma-older',
    outcome: 'MODIFY_OR_CLEARANCE',
    description: `Significant trauma in the last 6 weeks in a client ${OLDER_AGE}+, without back pain`,
    referTo: 'physician',
    urgency: 'routine',
    modification: { clearanceFrom: 'physician', maxPressure: 'light' },
    evidence: safetyStudy('downie2013'),
    check: (i) =>
      i.health.recentSignificantTrauma === true && i.age >= OLDER_AGE && !hasBackPain(i)
        ? [{ finding: `A recent fall or injury at ${i.age}: a doctor rules out a fracture first; pressure stays light.` }]
        : [],
  },
];

export const redFlagEvidence = { dvt: DVT_EVIDENCE } satisfies Record<string, EvidenceRef>;
