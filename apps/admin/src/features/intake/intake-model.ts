import { z } from 'zod';

/**
 * The intake form of the planning model (packages/planning/src/intake.ts, `IntakeInput`).
 * The form's field paths are the intake's own (`complaints.0.painNow`,
 * `health.dvtSigns.calfSwelling`), so the API's validation errors — named
 * `input.intake.<path>` — land on the field they name. Numbers are typed as text and
 * turned into numbers on submit; the planning validator (run by the API) is the judge of
 * ranges and contradictions, the browser only catches what is plainly missing.
 */

export const BODY_REGIONS = [
  'head', 'jaw', 'neck', 'shoulder', 'upper-back', 'mid-back', 'lower-back', 'chest', 'abdomen', 'arm', 'elbow',
  'forearm', 'wrist-hand', 'hip', 'gluteal', 'thigh', 'knee', 'calf', 'ankle-foot',
] as const;
export const SIDES = ['left', 'right', 'bilateral', 'central'] as const;
export const CAUSES = ['sprain', 'strain', 'sport', 'overuse', 'posture', 'trauma', 'post-surgical', 'unknown'] as const;
export const CONDITIONS = ['fibromyalgia', 'osteoarthritis', 'rheumatoid-arthritis', 'arthritis', 'chronic-low-back-pain', 'neck-pain', 'tension-headache', 'migraine', 'other'] as const;
export const PRESSURES = ['light', 'moderate', 'firm', 'deep'] as const;
export const GENERAL_HEALTH = ['good', 'fair', 'poor'] as const;
export const ACTIVITY_LEVELS = ['sedentary', 'light', 'moderate', 'high'] as const;
export const WORK_POSTURES = ['desk', 'standing', 'manual', 'driving', 'mixed', 'not-working'] as const;
export const SLEEP_QUALITIES = ['good', 'fair', 'poor'] as const;
export const GOALS = ['pain-relief', 'mobility', 'flexibility', 'relaxation', 'maintenance', 'sport'] as const;
export const SELF_CARE = ['none', 'some', 'high'] as const;
export const MEDICATION_CLASSES = ['anticoagulant', 'antiplatelet', 'corticosteroid', 'nsaid', 'analgesic', 'opioid', 'muscle-relaxant', 'bisphosphonate', 'diabetes', 'other'] as const;

/** "upper-back" → "Upper back"; the planning model's words as a person reads them. */
export function words(value: string): string {
  const s = value.replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const LABELS: Record<string, string> = {
  'wrist-hand': 'Wrist and hand',
  'ankle-foot': 'Ankle and foot',
  'whole-body': 'Whole body (widespread)',
  'post-surgical': 'After surgery',
  nsaid: 'NSAID (e.g. ibuprofen)',
  'not-working': 'Not working',
  'pain-relief': 'Pain relief',
  'chronic-low-back-pain': 'Chronic low back pain',
  'rheumatoid-arthritis': 'Rheumatoid arthritis',
  'tension-headache': 'Tension headache',
};

export function label(value: string): string {
  return LABELS[value] ?? words(value);
}

/** Red flags and other health answers screening reads: key, question, and what kind of answer it is. */
export const RED_FLAGS: { key: HealthFlag; label: string }[] = [
  { key: 'bladderChange', label: 'New difficulty passing urine, retention or incontinence' },
  { key: 'bowelChange', label: 'New loss of bowel control or sensation' },
  { key: 'saddleAnaesthesia', label: 'Numbness in the saddle area' },
  { key: 'progressiveNeurologicalDeficit', label: 'Worsening weakness, numbness or tingling' },
  { key: 'suddenSevereHeadache', label: 'A sudden, severe headache' },
  { key: 'chestPainOrBreathlessness', label: 'Chest pain or breathlessness' },
  { key: 'fever', label: 'Fever' },
  { key: 'unexplainedWeightLoss', label: 'Weight loss without a reason' },
  { key: 'recentSignificantTrauma', label: 'A fall from height, road accident or heavy blow in the last 6 weeks' },
];

export const HISTORY: { key: HealthFlag; label: string }[] = [
  { key: 'historyOfCancer', label: 'Has had cancer' },
  { key: 'activeCancerTreatment', label: 'Is being treated for cancer now' },
  { key: 'osteoporosis', label: 'Osteoporosis' },
  { key: 'previousFragilityFracture', label: 'A bone broken by a fall from standing height or less' },
  { key: 'bleedingDisorder', label: 'A bleeding disorder' },
  { key: 'peripheralNeuropathy', label: 'Peripheral neuropathy' },
  { key: 'contagiousSkinCondition', label: 'A contagious skin condition' },
];

export const DVT_SIGNS: { key: keyof IntakeForm['health']['dvtSigns'] & string; label: string }[] = [
  { key: 'calfSwelling', label: 'Calf swelling' },
  { key: 'calfWarmth', label: 'Calf warmth' },
  { key: 'calfRedness', label: 'Calf redness' },
  { key: 'calfTenderness', label: 'Calf tenderness' },
  { key: 'pittingOedema', label: 'Pitting oedema' },
];

export const DVT_RISKS: { key: keyof IntakeForm['health']['dvtRiskFactors']; label: string }[] = [
  { key: 'recentLongTravel', label: 'A journey of 4 hours or more in the last 4 weeks' },
  { key: 'recentSurgeryOrImmobilisation', label: 'Surgery in the last 12 weeks, bedridden 3+ days, or a leg in a cast' },
  { key: 'historyOfClots', label: 'A previous blood clot (DVT or pulmonary embolism)' },
];

type HealthFlag =
  | 'bladderChange'
  | 'bowelChange'
  | 'saddleAnaesthesia'
  | 'progressiveNeurologicalDeficit'
  | 'suddenSevereHeadache'
  | 'chestPainOrBreathlessness'
  | 'fever'
  | 'unexplainedWeightLoss'
  | 'recentSignificantTrauma'
  | 'historyOfCancer'
  | 'activeCancerTreatment'
  | 'osteoporosis'
  | 'previousFragilityFracture'
  | 'bleedingDisorder'
  | 'peripheralNeuropathy'
  | 'contagiousSkinCondition';

const required = (what: string) => z.string().trim().min(1, what);
const site = z.object({ region: z.string(), side: z.string(), date: z.string() });

export const intakeSchema = z.object({
  age: required('Enter the client’s age.'),
  generalHealth: required('Choose their general health.'),
  complaints: z.array(
    z.object({
      region: z.string(),
      side: z.string(),
      widespread: z.boolean(),
      onsetDate: required('Enter when it started.'),
      cause: required('Choose the cause.'),
      painNow: required('Enter the pain now, 0–10.'),
      painWorst: required('Enter the worst pain this week, 0–10.'),
    }),
  ),
  function: z.object({
    psfs: z.array(z.object({ activity: required('Name the activity.'), score: required('Score it 0–10.') })),
    odi: z.string(),
    ndi: z.string(),
  }),
  pressureTolerance: required('Choose the pressure they tolerate.'),
  conditions: z.array(z.string()),
  medications: z.array(z.object({ name: required('Name the medication.'), class: required('Choose its kind.') })),
  health: z.object({
    bladderChange: z.boolean(),
    bowelChange: z.boolean(),
    saddleAnaesthesia: z.boolean(),
    progressiveNeurologicalDeficit: z.boolean(),
    suddenSevereHeadache: z.boolean(),
    chestPainOrBreathlessness: z.boolean(),
    fever: z.boolean(),
    unexplainedWeightLoss: z.boolean(),
    recentSignificantTrauma: z.boolean(),
    historyOfCancer: z.boolean(),
    activeCancerTreatment: z.boolean(),
    osteoporosis: z.boolean(),
    previousFragilityFracture: z.boolean(),
    bleedingDisorder: z.boolean(),
    peripheralNeuropathy: z.boolean(),
    contagiousSkinCondition: z.boolean(),
    dvtSigns: z.object({
      side: z.string(),
      calfSwelling: z.boolean(),
      calfWarmth: z.boolean(),
      calfRedness: z.boolean(),
      calfTenderness: z.boolean(),
      pittingOedema: z.boolean(),
    }),
    dvtRiskFactors: z.object({ recentLongTravel: z.boolean(), recentSurgeryOrImmobilisation: z.boolean(), historyOfClots: z.boolean() }),
    clinicalFrailtyScale: z.string(),
    pregnancyWeeks: z.string(),
    recentSurgery: z.array(site),
    recentFractures: z.array(site),
  }),
  lifestyle: z.object({
    activity: required('Choose how active they are.'),
    workPosture: required('Choose their work posture.'),
    stress: required('Enter their stress, 0–10.'),
    sleep: required('Choose how they sleep.'),
  }),
  goals: z.array(z.string()).min(1, 'Choose at least one goal.'),
  commitment: z.object({ sessionsPerWeek: required('Choose how often they can come.'), budgetSessions: z.string() }),
  selfCareWillingness: required('Choose how much home care they will do.'),
});

export type IntakeForm = z.input<typeof intakeSchema>;

/** Top-level keys of the intake: a server error under any of them is shown at its field. */
export const INTAKE_FIELDS = Object.keys(intakeSchema.shape);

export const EMPTY_COMPLAINT: IntakeForm['complaints'][number] = { region: '', side: '', widespread: false, onsetDate: '', cause: '', painNow: '', painWorst: '' };

export function emptyIntake(age: string): IntakeForm {
  return {
    age,
    generalHealth: 'good',
    complaints: [{ ...EMPTY_COMPLAINT }],
    function: { psfs: [], odi: '', ndi: '' },
    pressureTolerance: '',
    conditions: [],
    medications: [],
    health: {
      bladderChange: false,
      bowelChange: false,
      saddleAnaesthesia: false,
      progressiveNeurologicalDeficit: false,
      suddenSevereHeadache: false,
      chestPainOrBreathlessness: false,
      fever: false,
      unexplainedWeightLoss: false,
      recentSignificantTrauma: false,
      historyOfCancer: false,
      activeCancerTreatment: false,
      osteoporosis: false,
      previousFragilityFracture: false,
      bleedingDisorder: false,
      peripheralNeuropathy: false,
      contagiousSkinCondition: false,
      dvtSigns: { side: '', calfSwelling: false, calfWarmth: false, calfRedness: false, calfTenderness: false, pittingOedema: false },
      dvtRiskFactors: { recentLongTravel: false, recentSurgeryOrImmobilisation: false, historyOfClots: false },
      clinicalFrailtyScale: '',
      pregnancyWeeks: '',
      recentSurgery: [],
      recentFractures: [],
    },
    lifestyle: { activity: '', workPosture: '', stress: '', sleep: '' },
    goals: [],
    commitment: { sessionsPerWeek: '', budgetSessions: '' },
    selfCareWillingness: '',
  };
}

/** Text typed in a number field → the number; left empty → absent. "abc" goes as it is, for the API to name. */
function num(value: string): number | string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

type Json = Record<string, unknown>;

/** The form's values as the planning model's IntakeInput (the JSON `recordIntake` takes). */
export function toIntakeInput(v: z.output<typeof intakeSchema>): Json {
  const h = v.health;
  const flags = Object.fromEntries([...RED_FLAGS, ...HISTORY].map(({ key }) => [key, h[key]]));
  const signs = h.dvtSigns;
  const anySign = DVT_SIGNS.some(({ key }) => signs[key]);
  const site = (s: { region: string; side: string; date: string }) => defined({ region: s.region, side: s.side, date: s.date });
  return defined({
    age: num(v.age),
    generalHealth: v.generalHealth,
    complaints: v.complaints.map((c) =>
      defined({
        region: c.widespread ? undefined : c.region || undefined,
        side: c.widespread ? undefined : c.side || undefined,
        widespread: c.widespread || undefined,
        onsetDate: c.onsetDate,
        cause: c.cause,
        painNow: num(c.painNow),
        painWorst: num(c.painWorst),
      }),
    ),
    conditions: v.conditions,
    function: defined({
      psfs: v.function.psfs.length ? v.function.psfs.map((p) => ({ activity: p.activity.trim(), score: num(p.score) })) : undefined,
      odi: num(v.function.odi),
      ndi: num(v.function.ndi),
    }),
    pressureTolerance: v.pressureTolerance,
    medications: v.medications.map((m) => ({ name: m.name.trim(), class: m.class })),
    lifestyle: { activity: v.lifestyle.activity, workPosture: v.lifestyle.workPosture, stress: num(v.lifestyle.stress), sleep: v.lifestyle.sleep },
    goals: v.goals,
    commitment: defined({ sessionsPerWeek: num(v.commitment.sessionsPerWeek), budgetSessions: num(v.commitment.budgetSessions) }),
    selfCareWillingness: v.selfCareWillingness,
    health: defined({
      ...flags,
      dvtSigns: anySign ? defined({ ...signs, side: signs.side || undefined }) : undefined,
      dvtRiskFactors: h.dvtRiskFactors,
      clinicalFrailtyScale: num(h.clinicalFrailtyScale),
      pregnancyWeeks: num(h.pregnancyWeeks),
      recentSurgery: h.recentSurgery.length ? h.recentSurgery.map(site) : undefined,
      recentFractures: h.recentFractures.length ? h.recentFractures.map(site) : undefined,
    }),
  });
}

/** Screening outcomes in plain words: what the practitioner may do. */
export const OUTCOMES: Record<string, { word: string; tone: 'blocked' | 'restricted'; meaning: string }> = {
  REFER_DO_NOT_TREAT: { word: 'Blocked', tone: 'blocked', meaning: 'Do not treat: refer the client first.' },
  MODIFY_OR_CLEARANCE: { word: 'Restricted', tone: 'restricted', meaning: 'Treat with the changes below, or after clearance.' },
  AVOID_AREA: { word: 'Restricted', tone: 'restricted', meaning: 'Treat, but avoid this area.' },
};

export const SESSIONS_PER_WEEK: { value: string; label: string }[] = [
  { value: '0.25', label: 'About once a month' },
  { value: '0.5', label: 'Every other week' },
  { value: '1', label: 'Once a week' },
  { value: '2', label: 'Twice a week' },
  { value: '3', label: 'Three times a week' },
];

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const bool = (v: unknown): boolean => v === true;
const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * A stored intake (the validated `Intake.data`) back into the form, so the next version starts
 * from the last one. Anything missing falls back to the empty form's value.
 */
export function fromIntakeData(data: unknown, age: string): IntakeForm {
  const empty = emptyIntake(age);
  const d = obj(data);
  const h = obj(d.health);
  const signs = obj(h.dvtSigns);
  const risks = obj(h.dvtRiskFactors);
  const fn = obj(d.function);
  const life = obj(d.lifestyle);
  const commit = obj(d.commitment);
  const sites = (v: unknown) => arr(v).map((s) => ({ region: str(s.region), side: str(s.side), date: str(s.date) }));
  const flags = Object.fromEntries([...RED_FLAGS, ...HISTORY].map(({ key }) => [key, bool(h[key])])) as Record<HealthFlag, boolean>;
  return {
    ...empty,
    age: str(d.age) || age,
    generalHealth: str(d.generalHealth) || empty.generalHealth,
    complaints: arr(d.complaints).map((c) => {
      const widespread = bool(c.widespread) || c.region === 'whole-body';
      return {
        region: widespread ? '' : str(c.region),
        side: widespread ? '' : str(c.side),
        widespread,
        onsetDate: str(c.onsetDate),
        cause: str(c.cause),
        painNow: str(c.painNow),
        painWorst: str(c.painWorst),
      };
    }),
    function: { psfs: arr(fn.psfs).map((p) => ({ activity: str(p.activity), score: str(p.score) })), odi: str(fn.odi), ndi: str(fn.ndi) },
    pressureTolerance: str(d.pressureTolerance),
    conditions: arr(d.conditions).map(String),
    medications: arr(d.medications).map((m) => ({ name: str(m.name), class: str(m.class) })),
    health: {
      ...empty.health,
      ...flags,
      dvtSigns: {
        side: signs.side === 'left' || signs.side === 'right' ? signs.side : '',
        calfSwelling: bool(signs.calfSwelling),
        calfWarmth: bool(signs.calfWarmth),
        calfRedness: bool(signs.calfRedness),
        calfTenderness: bool(signs.calfTenderness),
        pittingOedema: bool(signs.pittingOedema),
      },
      dvtRiskFactors: { recentLongTravel: bool(risks.recentLongTravel), recentSurgeryOrImmobilisation: bool(risks.recentSurgeryOrImmobilisation), historyOfClots: bool(risks.historyOfClots) },
      clinicalFrailtyScale: str(h.clinicalFrailtyScale),
      pregnancyWeeks: str(h.pregnancyWeeks),
      recentSurgery: sites(h.recentSurgery),
      recentFractures: sites(h.recentFractures),
    },
    lifestyle: { activity: str(life.activity), workPosture: str(life.workPosture), stress: str(life.stress), sleep: str(life.sleep) },
    goals: arr(d.goals).map(String),
    commitment: { sessionsPerWeek: str(commit.sessionsPerWeek), budgetSessions: str(commit.budgetSessions) },
    selfCareWillingness: str(d.selfCareWillingness),
  };
}
