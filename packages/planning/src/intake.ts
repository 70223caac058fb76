import { DateTime } from 'luxon';
import { IssueCollector } from './errors';
import { Instant, parseDate, parseInstant } from './time';
import { DvtRiskFactors, DvtSigns, validateRedFlagSigns } from './red-flags';
import { allowsNoComplaint } from './wellness-goals';

export const BODY_REGIONS = [
  'head', 'jaw', 'neck', 'shoulder', 'upper-back', 'mid-back', 'lower-back', 'chest', 'abdomen', 'arm', 'elbow',
  'forearm', 'wrist-hand', 'hip', 'gluteal', 'thigh', 'knee', 'calf', 'ankle-foot',
  // Widespread pain, entered once instead of region by region (a complaint with `widespread: true`).
  'whole-body',
] as const;
export type BodyRegion = (typeof BODY_REGIONS)[number];

export const SIDES = ['left', 'right', 'bilateral', 'central'] as const;
export type Side = (typeof SIDES)[number];

export const CHRONICITIES = ['acute', 'sub-acute', 'chronic'] as const;
export type Chronicity = (typeof CHRONICITIES)[number];

export const CAUSES = ['sprain', 'strain', 'sport', 'overuse', 'posture', 'trauma', 'post-surgical', 'unknown'] as const;
export type Cause = (typeof CAUSES)[number];

export const CONDITIONS = [
  'fibromyalgia', 'osteoarthritis', 'rheumatoid-arthritis', 'arthritis', 'chronic-low-back-pain', 'neck-pain',
  'tension-headache', 'migraine', 'other',
] as const;
export type Condition = (typeof CONDITIONS)[number];

export const PRESSURE_TOLERANCES = ['light', 'moderate', 'firm', 'deep'] as const;
export type PressureTolerance = (typeof PRESSURE_TOLERANCES)[number];

export const GENERAL_HEALTH = ['good', 'fair', 'poor'] as const;
export type GeneralHealth = (typeof GENERAL_HEALTH)[number];

export const ACTIVITY_LEVELS = ['sedentary', 'light', 'moderate', 'high'] as const;
export type ActivityLevel = (typeof ACTIVITY_LEVELS)[number];

export const WORK_POSTURES = ['desk', 'standing', 'manual', 'driving', 'mixed', 'not-working'] as const;
export type WorkPosture = (typeof WORK_POSTURES)[number];

export const SLEEP_QUALITIES = ['good', 'fair', 'poor'] as const;
export type SleepQuality = (typeof SLEEP_QUALITIES)[number];

export const GOALS = ['pain-relief', 'mobility', 'flexibility', 'relaxation', 'maintenance', 'sport'] as const;
export type Goal = (typeof GOALS)[number];

export const SELF_CARE_WILLINGNESS = ['none', 'some', 'high'] as const;
export type SelfCareWillingness = (typeof SELF_CARE_WILLINGNESS)[number];

export const MEDICATION_CLASSES = [
  'anticoagulant', 'antiplatelet', 'corticosteroid', 'nsaid', 'analgesic', 'opioid', 'muscle-relaxant', 'bisphosphonate', 'diabetes',
  'other',
] as const;
export type MedicationClass = (typeof MEDICATION_CLASSES)[number];

export interface ComplaintInput {
  /** Stable id used by benchmarks and re-assessments; defaults to `c1`, `c2`… by position. */
  id?: string;
  /** Optional for a widespread complaint (it is then `whole-body`); required otherwise. */
  region?: BodyRegion;
  /** Side; optional for a widespread complaint (then `bilateral`). */
  side?: Side;
  /** Pain all over (as in fibromyalgia), entered once instead of listing every region. `whole-body` implies it. */
  widespread?: boolean;
  /** Calendar date `YYYY-MM-DD`; not after `now`. */
  onsetDate: string;
  /** Optional; derived from the onset when absent, and must agree with it when given. */
  chronicity?: Chronicity;
  cause: Cause;
  /** Pain now, integer 0–10 (NRS). */
  painNow: number;
  /** Worst pain in the last week, integer 0–10; not lower than painNow. */
  painWorst: number;
}

export interface Complaint extends Omit<ComplaintInput, 'id' | 'chronicity' | 'region' | 'side' | 'widespread'> {
  id: string;
  region: BodyRegion;
  side: Side;
  /** Present (true) only for a widespread complaint; its region is `whole-body`. */
  widespread?: true;
  chronicity: Chronicity;
  /** Whole days from onset to `now`. */
  onsetDays: number;
}

export interface PsfsItem {
  activity: string;
  /** 0 (unable) – 10 (as before the problem). */
  score: number;
}

export interface RangeOfMotion {
  movement: string;
  region: BodyRegion;
  side?: Side;
  degrees: number;
  /** Expected normal range for the movement, when known. */
  normalDegrees?: number;
}

export interface FunctionBaseline {
  psfs?: PsfsItem[];
  /** Oswestry Disability Index 0–100, for low back complaints. */
  odi?: number;
  /** Neck Disability Index 0–50, for neck complaints. */
  ndi?: number;
  rom?: RangeOfMotion[];
}

export interface Medication {
  name: string;
  class: MedicationClass;
}

export interface Lifestyle {
  activity: ActivityLevel;
  workPosture: WorkPosture;
  /** Perceived stress 0–10. */
  stress: number;
  sleep: SleepQuality;
}

export interface Commitment {
  /** Sessions a week the client can attend (0.25 = monthly, 0.5 = every other week, up to 3). */
  sessionsPerWeek: number;
  /** Total sessions the client can afford, if limited. */
  budgetSessions?: number;
}

export interface SiteFinding {
  region: BodyRegion;
  side: Side;
}

export interface SurgeryFinding extends SiteFinding {
  /** `YYYY-MM-DD`, not after `now`. */
  date: string;
}

/** Answers to the health questions of the intake that screening rules read. All optional. */
export interface HealthScreen {
  /** Legacy single tick-box, read as the strongest DVT sign (a do-not-treat finding); prefer `dvtSigns`. */
  suspectedDvt?: boolean;
  /** Calf signs of a possible deep-vein thrombosis, as observed (red-flags.ts). */
  dvtSigns?: DvtSigns;
  /** DVT risk factors, as asked (red-flags.ts). */
  dvtRiskFactors?: DvtRiskFactors;
  /** New difficulty passing urine, retention or incontinence (cauda equina sign). */
  bladderChange?: boolean;
  /** New loss of bowel control or sensation (cauda equina sign). */
  bowelChange?: boolean;
  /** A fall from height, a road accident or a heavy blow in the last 6 weeks. */
  recentSignificantTrauma?: boolean;
  /** A bone broken by a fall from standing height or less (fragility fracture), ever. */
  previousFragilityFracture?: boolean;
  /** Clinical Frailty Scale 1 (very fit) – 9 (terminally ill), Rockwood 2005; 5+ is frail. */
  clinicalFrailtyScale?: number;
  fever?: boolean;
  unexplainedWeightLoss?: boolean;
  bowelOrBladderDysfunction?: boolean;
  saddleAnaesthesia?: boolean;
  progressiveNeurologicalDeficit?: boolean;
  suddenSevereHeadache?: boolean;
  chestPainOrBreathlessness?: boolean;
  historyOfCancer?: boolean;
  activeCancerTreatment?: boolean;
  osteoporosis?: boolean;
  bleedingDisorder?: boolean;
  peripheralNeuropathy?: boolean;
  contagiousSkinCondition?: boolean;
  /** Weeks of pregnancy (1–42); absent when not pregnant. */
  pregnancyWeeks?: number;
  recentSurgery?: SurgeryFinding[];
  openWounds?: SiteFinding[];
  recentFractures?: SurgeryFinding[];
}

export interface IntakeInput {
  age: number;
  generalHealth: GeneralHealth;
  complaints: ComplaintInput[];
  conditions?: Condition[];
  function?: FunctionBaseline;
  pressureTolerance: PressureTolerance;
  medications?: Medication[];
  lifestyle: Lifestyle;
  goals: Goal[];
  commitment: Commitment;
  selfCareWillingness: SelfCareWillingness;
  health?: HealthScreen;
}

/** A validated intake: every field present and consistent, with derived values filled in. */
export interface Intake extends Omit<IntakeInput, 'complaints' | 'conditions' | 'function' | 'medications' | 'health'> {
  complaints: Complaint[];
  conditions: Condition[];
  function: FunctionBaseline;
  medications: Medication[];
  health: HealthScreen;
  /** The `now` the intake was validated against (UTC ISO). */
  assessedAt: string;
}

/**
 * Chronicity by onset: acute under 6 weeks, sub-acute 6–12 weeks, chronic from 12 weeks
 * (the usual musculoskeletal convention; chronic pain is pain lasting over 3 months). A stated
 * chronicity may differ from the onset by up to CHRONICITY_SLACK_DAYS.
 */
export const ACUTE_MAX_DAYS = 42;
export const CHRONIC_MIN_DAYS = 84;
export const CHRONICITY_SLACK_DAYS = 14;

export function chronicityFromOnsetDays(days: number): Chronicity {
  if (days < ACUTE_MAX_DAYS) return 'acute';
  if (days < CHRONIC_MIN_DAYS) return 'sub-acute';
  return 'chronic';
}

function chronicityAgrees(stated: Chronicity, days: number): boolean {
  const s = CHRONICITY_SLACK_DAYS;
  switch (stated) {
    case 'acute':
      return days < ACUTE_MAX_DAYS + s;
    case 'sub-acute':
      return days >= ACUTE_MAX_DAYS - s && days < CHRONIC_MIN_DAYS + s;
    case 'chronic':
      return days >= CHRONIC_MIN_DAYS - s;
  }
}

const NECK_REGIONS: readonly BodyRegion[] = ['neck', 'head', 'shoulder', 'upper-back', 'jaw'];
const BACK_REGIONS: readonly BodyRegion[] = ['lower-back', 'mid-back', 'gluteal', 'hip'];

export function isNeckRelated(intake: Pick<Intake, 'complaints' | 'conditions'>): boolean {
  return (
    intake.complaints.some((c) => NECK_REGIONS.includes(c.region)) ||
    intake.conditions.some((c) => c === 'neck-pain' || c === 'tension-headache' || c === 'migraine')
  );
}

export function isLowBackRelated(intake: Pick<Intake, 'complaints' | 'conditions'>): boolean {
  return (
    intake.complaints.some((c) => BACK_REGIONS.includes(c.region)) || intake.conditions.includes('chronic-low-back-pain')
  );
}

// ---------- validation helpers ----------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function oneOf<T extends string>(c: IssueCollector, field: string, v: unknown, allowed: readonly T[]): v is T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return true;
  c.add(field, v === undefined ? `is required (one of ${allowed.join(', ')})` : `must be one of ${allowed.join(', ')}; got ${JSON.stringify(v)}`);
  return false;
}

function num(
  c: IssueCollector,
  field: string,
  v: unknown,
  min: number,
  max: number,
  opts: { integer?: boolean; required?: boolean } = {},
): v is number {
  const { integer = false, required = true } = opts;
  if (v === undefined && !required) return false;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    c.add(field, v === undefined ? `is required (${min}–${max})` : `must be a number from ${min} to ${max}; got ${JSON.stringify(v)}`);
    return false;
  }
  if (integer && !Number.isInteger(v)) {
    c.add(field, `must be a whole number from ${min} to ${max}; got ${v}`);
    return false;
  }
  if (v < min || v > max) {
    c.add(field, `must be from ${min} to ${max}; got ${v}`);
    return false;
  }
  return true;
}

function bool(c: IssueCollector, field: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') c.add(field, `must be true or false; got ${JSON.stringify(v)}`);
}

function pastDate(c: IssueCollector, field: string, v: unknown, now: DateTime): DateTime | undefined {
  const d = parseDate(v);
  if (!d) {
    c.add(field, v === undefined ? 'is required (YYYY-MM-DD)' : `must be a calendar date YYYY-MM-DD; got ${JSON.stringify(v)}`);
    return undefined;
  }
  if (d.toISODate()! > now.toISODate()!) {
    c.add(field, `is in the future (${String(v)} is after ${now.toISODate()})`);
    return undefined;
  }
  return d;
}

function arr(c: IssueCollector, field: string, v: unknown, required: boolean): unknown[] {
  if (v === undefined && !required) return [];
  if (!Array.isArray(v)) {
    c.add(field, v === undefined ? 'is required (a list)' : 'must be a list');
    return [];
  }
  return v;
}

function sites(c: IssueCollector, field: string, v: unknown, now: DateTime, withDate: boolean): void {
  arr(c, field, v, false).forEach((s, i) => {
    const f = `${field}[${i}]`;
    if (!isObj(s)) return c.add(f, 'must be an object');
    oneOf(c, `${f}.region`, s.region, BODY_REGIONS);
    oneOf(c, `${f}.side`, s.side, SIDES);
    if (withDate) pastDate(c, `${f}.date`, s.date, now);
  });
}

/**
 * Region, side and `widespread` of one complaint. A widespread complaint (`widespread: true`, or
 * region `whole-body`) covers the whole body: its region is `whole-body` (another region
 * contradicts it) and its side defaults to `bilateral`.
 */
function widespreadComplaint(c: IssueCollector, f: string, raw: Obj): { ok: boolean; region?: BodyRegion; side?: Side; widespread: boolean } {
  if (raw.widespread !== undefined && typeof raw.widespread !== 'boolean') {
    c.add(`${f}.widespread`, `must be true or false; got ${JSON.stringify(raw.widespread)}`);
    return { ok: false, widespread: false };
  }
  const widespread = raw.widespread === true || (raw.widespread === undefined && raw.region === 'whole-body');
  if (!widespread) {
    if (raw.region === 'whole-body') {
      c.add(`${f}.region`, 'contradicts widespread: false — whole-body is the region of a widespread complaint');
      return { ok: false, widespread };
    }
    const regionOk = oneOf(c, `${f}.region`, raw.region, BODY_REGIONS);
    const sideOk = oneOf(c, `${f}.side`, raw.side, SIDES);
    return regionOk && sideOk ? { ok: true, region: raw.region as BodyRegion, side: raw.side as Side, widespread } : { ok: false, widespread };
  }
  let ok = true;
  if (raw.region !== undefined && raw.region !== 'whole-body') {
    c.add(
      `${f}.region`,
      `contradicts widespread: a widespread complaint covers the whole body — leave region out (or give whole-body) and list ${JSON.stringify(raw.region)} as its own complaint if it differs`,
    );
    ok = false;
  }
  if (raw.side !== undefined) ok = oneOf(c, `${f}.side`, raw.side, SIDES) && ok;
  return ok ? { ok, region: 'whole-body', side: (raw.side as Side | undefined) ?? 'bilateral', widespread } : { ok, widespread };
}

function healthSection(c: IssueCollector, input: unknown, now: DateTime, age: unknown): HealthScreen {
  const health: HealthScreen = {};
  if (input === undefined) return health;
  if (!isObj(input)) {
    c.add('health', 'must be an object');
    return health;
  }
  const h = input;
  const flags = [
    'suspectedDvt', 'fever', 'unexplainedWeightLoss', 'bowelOrBladderDysfunction', 'saddleAnaesthesia',
    'progressiveNeurologicalDeficit', 'suddenSevereHeadache', 'chestPainOrBreathlessness', 'historyOfCancer',
    'activeCancerTreatment', 'osteoporosis', 'bleedingDisorder', 'peripheralNeuropathy', 'contagiousSkinCondition',
    'bladderChange', 'bowelChange', 'recentSignificantTrauma', 'previousFragilityFracture',
  ] as const;
  for (const flag of flags) {
    bool(c, `health.${flag}`, h[flag]);
    if (h[flag] === true || h[flag] === false) health[flag] = h[flag];
  }
  if (num(c, 'health.pregnancyWeeks', h.pregnancyWeeks, 1, 42, { integer: true, required: false })) {
    health.pregnancyWeeks = h.pregnancyWeeks;
  }
  if (num(c, 'health.clinicalFrailtyScale', h.clinicalFrailtyScale, 1, 9, { integer: true, required: false })) {
    health.clinicalFrailtyScale = h.clinicalFrailtyScale;
  }
  validateRedFlagSigns(c, h, health);
  sites(c, 'health.recentSurgery', h.recentSurgery, now, true);
  sites(c, 'health.openWounds', h.openWounds, now, false);
  sites(c, 'health.recentFractures', h.recentFractures, now, true);
  if (h.recentSurgery !== undefined) health.recentSurgery = h.recentSurgery as SurgeryFinding[];
  if (h.openWounds !== undefined) health.openWounds = h.openWounds as SiteFinding[];
  if (h.recentFractures !== undefined) health.recentFractures = h.recentFractures as SurgeryFinding[];
  if (h.activeCancerTreatment === true && h.historyOfCancer === false) {
    c.add('health.historyOfCancer', 'contradicts activeCancerTreatment: "no history of cancer" but cancer treatment is under way');
  }
  if (health.pregnancyWeeks !== undefined && typeof age === 'number' && (age < 10 || age > 60)) {
    c.add('health.pregnancyWeeks', `contradicts age ${age}`);
  }
  return health;
}

/**
 * Validates the health answers alone against `now` (as asked again at a re-assessment), reporting
 * issues under `health.*`. The complaints are not re-judged: a stated chronicity is checked once,
 * against the date of the intake.
 */
export function validateHealth(input: unknown, options: { now: Instant; age?: number }): HealthScreen {
  const now = parseInstant(options.now, 'now');
  const c = new IssueCollector();
  const health = healthSection(c, input, now, options.age);
  c.throwIfAny();
  return health;
}

/**
 * Validates an intake against `now` (ISO-8601 string or Date; the library never reads the clock).
 * Returns the typed, completed intake, or throws PlanningInputError listing every issue:
 * out-of-range values, dates in the future and contradictory answers are rejected, never clamped.
 */
export function validateIntake(input: unknown, options: { now: Instant }): Intake {
  const now = parseInstant(options.now, 'now');
  const c = new IssueCollector();
  if (!isObj(input)) {
    c.add('intake', 'must be an object');
    c.throwIfAny();
  }
  const i = input as Obj;

  num(c, 'age', i.age, 0, 120, { integer: true });
  oneOf(c, 'generalHealth', i.generalHealth, GENERAL_HEALTH);
  oneOf(c, 'pressureTolerance', i.pressureTolerance, PRESSURE_TOLERANCES);
  oneOf(c, 'selfCareWillingness', i.selfCareWillingness, SELF_CARE_WILLINGNESS);

  // complaints
  const complaints: Complaint[] = [];
  // A wellness client (relaxation or maintenance goal, no pain relief) may list no complaint.
  const wellnessGoals = allowsNoComplaint(i.goals);
  const rawComplaints = arr(c, 'complaints', i.complaints, !wellnessGoals);
  if (Array.isArray(i.complaints) && rawComplaints.length === 0 && !wellnessGoals) {
    c.add('complaints', 'must name at least one complaint, unless the goals are relaxation or maintenance (a wellness plan) without pain relief');
  }
  const ids = new Set<string>();
  rawComplaints.forEach((raw, k) => {
    const f = `complaints[${k}]`;
    if (!isObj(raw)) return c.add(f, 'must be an object');
    let ok = true;
    const id = raw.id === undefined ? `c${k + 1}` : raw.id;
    if (typeof id !== 'string' || id.length === 0) {
      c.add(`${f}.id`, 'must be a non-empty string');
      ok = false;
    } else if (ids.has(id)) {
      c.add(`${f}.id`, `duplicates another complaint's id "${id}"`);
      ok = false;
    } else ids.add(id);
    const spread = widespreadComplaint(c, f, raw);
    ok = spread.ok && ok;
    ok = oneOf(c, `${f}.cause`, raw.cause, CAUSES) && ok;
    const nowOk = num(c, `${f}.painNow`, raw.painNow, 0, 10, { integer: true });
    const worstOk = num(c, `${f}.painWorst`, raw.painWorst, 0, 10, { integer: true });
    if (nowOk && worstOk && (raw.painNow as number) > (raw.painWorst as number)) {
      c.add(`${f}.painNow`, `contradicts painWorst: pain now (${String(raw.painNow)}) cannot exceed the worst pain (${String(raw.painWorst)})`);
      ok = false;
    }
    ok = ok && nowOk && worstOk;
    const onset = pastDate(c, `${f}.onsetDate`, raw.onsetDate, now);
    let chronicity: Chronicity | undefined;
    let onsetDays = 0;
    if (onset) {
      onsetDays = Math.floor(now.startOf('day').diff(onset, 'days').days);
      chronicity = chronicityFromOnsetDays(onsetDays);
      if (raw.chronicity !== undefined && oneOf(c, `${f}.chronicity`, raw.chronicity, CHRONICITIES)) {
        if (!chronicityAgrees(raw.chronicity, onsetDays)) {
          c.add(
            `${f}.chronicity`,
            `contradicts onsetDate: "${raw.chronicity}" but the pain began ${onsetDays} days ago (acute < ${ACUTE_MAX_DAYS} days, sub-acute ${ACUTE_MAX_DAYS}–${CHRONIC_MIN_DAYS - 1}, chronic ≥ ${CHRONIC_MIN_DAYS})`,
          );
          ok = false;
        } else chronicity = raw.chronicity;
      } else if (raw.chronicity !== undefined) ok = false;
    } else ok = false;
    if (ok && chronicity) {
      complaints.push({
        id: id as string,
        region: spread.region!,
        side: spread.side!,
        ...(spread.widespread ? { widespread: true as const } : {}),
        onsetDate: raw.onsetDate as string,
        chronicity,
        cause: raw.cause as Cause,
        painNow: raw.painNow as number,
        painWorst: raw.painWorst as number,
        onsetDays,
      });
    }
  });

  const conditions = arr(c, 'conditions', i.conditions, false).filter((v, k): v is Condition =>
    oneOf(c, `conditions[${k}]`, v, CONDITIONS),
  );

  // function baseline
  const fn: FunctionBaseline = {};
  if (i.function !== undefined) {
    if (!isObj(i.function)) c.add('function', 'must be an object');
    else {
      const f = i.function;
      if (f.psfs !== undefined) {
        fn.psfs = [];
        arr(c, 'function.psfs', f.psfs, false).forEach((p, k) => {
          const pf = `function.psfs[${k}]`;
          if (!isObj(p)) return c.add(pf, 'must be an object');
          if (typeof p.activity !== 'string' || p.activity.trim() === '') c.add(`${pf}.activity`, 'must name the activity');
          else if (num(c, `${pf}.score`, p.score, 0, 10)) fn.psfs!.push({ activity: p.activity, score: p.score });
        });
        if (fn.psfs.length > 5) c.add('function.psfs', 'PSFS rates at most 5 activities');
      }
      if (num(c, 'function.odi', f.odi, 0, 100, { required: false })) fn.odi = f.odi;
      if (num(c, 'function.ndi', f.ndi, 0, 50, { required: false })) fn.ndi = f.ndi;
      if (f.rom !== undefined) {
        fn.rom = [];
        arr(c, 'function.rom', f.rom, false).forEach((r, k) => {
          const rf = `function.rom[${k}]`;
          if (!isObj(r)) return c.add(rf, 'must be an object');
          let ok = typeof r.movement === 'string' && r.movement.trim() !== '';
          if (!ok) c.add(`${rf}.movement`, 'must name the movement');
          ok = oneOf(c, `${rf}.region`, r.region, BODY_REGIONS) && ok;
          if (r.side !== undefined) ok = oneOf(c, `${rf}.side`, r.side, SIDES) && ok;
          ok = num(c, `${rf}.degrees`, r.degrees, 0, 360) && ok;
          if (r.normalDegrees !== undefined) ok = num(c, `${rf}.normalDegrees`, r.normalDegrees, 1, 360) && ok;
          if (ok) fn.rom!.push(r as unknown as RangeOfMotion);
        });
      }
    }
  }

  const medications: Medication[] = [];
  arr(c, 'medications', i.medications, false).forEach((m, k) => {
    if (!isObj(m)) return c.add(`medications[${k}]`, 'must be an object');
    if (typeof m.name !== 'string' || m.name.trim() === '') c.add(`medications[${k}].name`, 'must name the medication');
    else if (oneOf(c, `medications[${k}].class`, m.class, MEDICATION_CLASSES)) medications.push({ name: m.name, class: m.class });
  });

  // lifestyle
  if (!isObj(i.lifestyle)) c.add('lifestyle', 'is required (activity, workPosture, stress, sleep)');
  else {
    oneOf(c, 'lifestyle.activity', i.lifestyle.activity, ACTIVITY_LEVELS);
    oneOf(c, 'lifestyle.workPosture', i.lifestyle.workPosture, WORK_POSTURES);
    num(c, 'lifestyle.stress', i.lifestyle.stress, 0, 10);
    oneOf(c, 'lifestyle.sleep', i.lifestyle.sleep, SLEEP_QUALITIES);
  }

  // goals
  const goals = arr(c, 'goals', i.goals, true);
  if (Array.isArray(i.goals) && goals.length === 0) c.add('goals', 'must name at least one goal');
  goals.forEach((g, k) => oneOf(c, `goals[${k}]`, g, GOALS));
  if (new Set(goals).size !== goals.length) c.add('goals', 'lists a goal twice');

  // commitment
  if (!isObj(i.commitment)) c.add('commitment', 'is required (sessionsPerWeek, optional budgetSessions)');
  else {
    const cm = i.commitment;
    if (num(c, 'commitment.sessionsPerWeek', cm.sessionsPerWeek, 0, 3) && cm.sessionsPerWeek === 0) {
      c.add('commitment.sessionsPerWeek', 'is 0: a plan needs at least one session a month (0.25)');
    } else if (typeof cm.sessionsPerWeek === 'number' && cm.sessionsPerWeek > 0 && cm.sessionsPerWeek < 0.25) {
      c.add('commitment.sessionsPerWeek', `must be at least 0.25 (one session a month); got ${cm.sessionsPerWeek}`);
    }
    num(c, 'commitment.budgetSessions', cm.budgetSessions, 1, 500, { integer: true, required: false });
  }

  // health screen
  const health = healthSection(c, i.health, now, i.age);

  // contradictions across sections (only once the parts are valid)
  if (c.empty) {
    const partial = { complaints, conditions };
    if (fn.ndi !== undefined && !isNeckRelated(partial)) {
      c.add('function.ndi', 'contradicts the complaints: the Neck Disability Index applies to neck complaints, and none is listed');
    }
    if (fn.odi !== undefined && !isLowBackRelated(partial)) {
      c.add('function.odi', 'contradicts the complaints: the Oswestry Disability Index applies to low back complaints, and none is listed');
    }
    const goalList = goals as Goal[];
    const pain = complaints.some((x) => x.painNow > 0 || x.painWorst > 0);
    if (goalList.length === 1 && goalList[0] === 'pain-relief' && !pain) {
      c.add('goals', 'contradicts the complaints: pain relief is the only goal but every pain score is 0');
    }
  }

  c.throwIfAny();
  const lifestyle = i.lifestyle as Obj;
  const commitment = i.commitment as Obj;
  return {
    age: i.age as number,
    generalHealth: i.generalHealth as GeneralHealth,
    complaints,
    conditions,
    function: fn,
    pressureTolerance: i.pressureTolerance as PressureTolerance,
    medications,
    lifestyle: {
      activity: lifestyle.activity as ActivityLevel,
      workPosture: lifestyle.workPosture as WorkPosture,
      stress: lifestyle.stress as number,
      sleep: lifestyle.sleep as SleepQuality,
    },
    goals: goals as Goal[],
    commitment: {
      sessionsPerWeek: commitment.sessionsPerWeek as number,
      ...(commitment.budgetSessions !== undefined ? { budgetSessions: commitment.budgetSessions as number } : {}),
    },
    selfCareWillingness: i.selfCareWillingness as SelfCareWillingness,
    health,
    assessedAt: now.toISO()!,
  };
}
