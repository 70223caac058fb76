import { EvidenceRef, practice, Reasoned, reasoned, seed } from './evidence';
import { BodyRegion, Complaint, Intake, PressureTolerance, PRESSURE_TOLERANCES } from './intake';

export const TECHNIQUES = [
  'swedish', 'deep-tissue', 'trigger-point', 'myofascial-release', 'assisted-stretching', 'hot-cold', 'cupping', 'scraping',
] as const;
export type Technique = (typeof TECHNIQUES)[number];

/**
 * The least pressure tolerance a technique needs. Swedish, myofascial release, stretching and
 * hot/cold can all be given lightly; trigger-point work, cupping and scraping need at least
 * moderate tolerance; deep tissue needs firm. Clinical practice; no trial.
 */
export const TECHNIQUE_MIN_PRESSURE: Record<Technique, PressureTolerance> = {
  swedish: 'light',
  'myofascial-release': 'light',
  'assisted-stretching': 'light',
  'hot-cold': 'light',
  'trigger-point': 'moderate',
  cupping: 'moderate',
  scraping: 'moderate',
  'deep-tissue': 'firm',
};

const TECHNIQUE_SEED: Record<Technique, EvidenceRef> = {
  swedish: seed('swedish'),
  'deep-tissue': seed('deepTissue'),
  'trigger-point': seed('triggerPoint'),
  'myofascial-release': seed('myofascial'),
  'assisted-stretching': seed('stretching'),
  'hot-cold': seed('hotCold'),
  cupping: seed('advancedTechniques'),
  scraping: seed('advancedTechniques'),
};

export interface TechniqueChoice {
  complaintId: string;
  technique: Technique;
  /** The firmest pressure to use for this technique on this complaint. */
  pressure: PressureTolerance;
  reason: string;
  evidence: EvidenceRef;
}

export interface ExcludedTechnique {
  complaintId: string;
  technique: Technique;
  reason: string;
}

const UPPER: readonly BodyRegion[] = ['head', 'jaw', 'neck', 'shoulder', 'upper-back'];
const LOWER_TRUNK: readonly BodyRegion[] = ['lower-back', 'mid-back', 'gluteal', 'hip'];

const pIdx = (p: PressureTolerance): number => PRESSURE_TOLERANCES.indexOf(p);

/** Techniques suited to a complaint, before pressure and screening filters. */
function candidates(c: Complaint, intake: Intake): { technique: Technique; why: string }[] {
  const out: { technique: Technique; why: string }[] = [];
  const goals = intake.goals;
  const add = (technique: Technique, why: string): void => {
    if (!out.some((o) => o.technique === technique)) out.push({ technique, why });
  };
  const acuteInjury = c.chronicity === 'acute' && (c.cause === 'sprain' || c.cause === 'strain' || c.cause === 'sport' || c.cause === 'trauma');
  add('swedish', 'Long, gliding strokes warm the area, ease guarding and help circulation.');
  if (acuteInjury) {
    add('hot-cold', 'Cold packs calm the inflammation of a recent injury.');
    add('myofascial-release', 'Gentle, sustained release around (not on) the injured tissue.');
    if (goals.includes('mobility') || goals.includes('flexibility') || goals.includes('sport')) {
      add('assisted-stretching', 'Stretching within the pain-free range keeps movement as the injury heals.');
    }
    return out; // no deep or aggressive work on freshly injured tissue (clinical practice)
  }
  if (c.chronicity !== 'acute') add('deep-tissue', 'Works the deeper muscle layers to release long-standing tension.');
  if (UPPER.includes(c.region) || intake.conditions.includes('tension-headache') || intake.conditions.includes('migraine') || c.cause === 'posture' || c.cause === 'overuse') {
    add('trigger-point', 'Pressure and release on knots that refer pain, e.g. from the upper back into the neck and head.');
  }
  add('myofascial-release', 'Releases the fascia around the muscles to improve movement.');
  if (goals.includes('mobility') || goals.includes('flexibility') || goals.includes('sport') || LOWER_TRUNK.includes(c.region)) {
    add('assisted-stretching', 'Assisted stretching restores flexibility and reduces tightness.');
  }
  add('hot-cold', 'Heat before the work relaxes chronically tight muscle.');
  if (c.chronicity === 'chronic' && (c.cause === 'sport' || c.cause === 'overuse')) {
    add('cupping', 'Cupping lifts and decompresses tissue that repeated strain has stiffened.');
    add('scraping', 'Scraping (instrument-assisted) breaks up stiff, thickened tissue from overuse.');
  }
  return out;
}

export interface TechniqueSelection {
  chosen: TechniqueChoice[];
  excluded: ExcludedTechnique[];
}

/**
 * Techniques per complaint, filtered by the client's pressure tolerance and by the screening
 * restrictions (maximum pressure, excluded techniques). Fibromyalgia caps pressure at moderate.
 */
export function selectTechniques(
  intake: Intake,
  restrictions: { maxPressure: PressureTolerance; excludedTechniques: readonly Technique[] },
): TechniqueSelection {
  const chosen: TechniqueChoice[] = [];
  const excluded: ExcludedTechnique[] = [];
  let cap = Math.min(pIdx(intake.pressureTolerance), pIdx(restrictions.maxPressure));
  if (intake.conditions.includes('fibromyalgia')) cap = Math.min(cap, pIdx('moderate'));
  const capName = PRESSURE_TOLERANCES[cap];
  for (const c of intake.complaints) {
    for (const { technique, why } of candidates(c, intake)) {
      if (restrictions.excludedTechniques.includes(technique)) {
        excluded.push({ complaintId: c.id, technique, reason: 'Ruled out by a health finding at screening.' });
        continue;
      }
      if (pIdx(TECHNIQUE_MIN_PRESSURE[technique]) > cap) {
        excluded.push({
          complaintId: c.id,
          technique,
          reason: `Needs at least ${TECHNIQUE_MIN_PRESSURE[technique]} pressure; the limit is ${capName}.`,
        });
        continue;
      }
      chosen.push({
        complaintId: c.id,
        technique,
        pressure: capName,
        reason: `${why} Pressure up to ${capName}, adjusted at each session's check-in.`,
        evidence: TECHNIQUE_SEED[technique],
      });
    }
  }
  return { chosen, excluded };
}

/** Alternative approach after a stall: what to add and what to drop. */
export function alternativeTechniques(current: readonly TechniqueChoice[], intake: Intake, restrictions: { maxPressure: PressureTolerance; excludedTechniques: readonly Technique[] }): TechniqueChoice[] {
  const all = selectTechniques(intake, restrictions).chosen;
  const ids = [...new Set(all.map((t) => t.complaintId))];
  const out: TechniqueChoice[] = [];
  for (const id of ids) {
    const used = new Set(current.filter((t) => t.complaintId === id).map((t) => t.technique));
    // Only techniques suited to this complaint that pass pressure and screening (e.g. no trigger
    // point on a fresh sprain): exactly what selectTechniques chose for it.
    const allowed = new Set(all.filter((t) => t.complaintId === id).map((t) => t.technique));
    const pressure = all.find((t) => t.complaintId === id)!.pressure;
    // Emphasise release and movement work over pressure work, which has not helped.
    const preferred: Technique[] = ['myofascial-release', 'assisted-stretching', 'trigger-point', 'swedish', 'hot-cold'];
    for (const t of preferred) {
      if (!allowed.has(t)) continue;
      out.push({
        complaintId: id,
        technique: t,
        pressure,
        reason: used.has(t)
          ? 'Kept, with more time given to it in the changed approach.'
          : 'Added because progress stalled with the previous techniques.',
        evidence: t === 'trigger-point' ? seed('reviewedEachTime') : TECHNIQUE_SEED[t],
      });
    }
  }
  return out;
}

// ---------- home care ----------

export type HomeCareKind = 'stretch' | 'exercise' | 'self-massage' | 'posture' | 'relaxation';

export interface HomeCareItem {
  complaintId?: string;
  kind: HomeCareKind;
  description: string;
  daysPerWeek: Reasoned<number>;
}

const HOME: { regions: readonly BodyRegion[]; items: { kind: HomeCareKind; description: string }[] }[] = [
  {
    regions: ['neck', 'head', 'jaw', 'shoulder', 'upper-back'],
    items: [
      { kind: 'stretch', description: 'Upper-trapezius stretch: ear towards shoulder, 3 × 30 seconds each side.' },
      { kind: 'exercise', description: 'Chin tucks: 10 slow repetitions.' },
      { kind: 'self-massage', description: 'Ball against a wall on the upper back and shoulder blades, 2–3 minutes.' },
    ],
  },
  {
    regions: ['lower-back', 'mid-back', 'gluteal', 'hip'],
    items: [
      { kind: 'stretch', description: 'Knee-to-chest and figure-four (piriformis) stretch, 3 × 30 seconds each side.' },
      { kind: 'exercise', description: 'Cat–camel mobility, 10 slow repetitions.' },
      { kind: 'self-massage', description: 'Ball or foam roller under the buttock and beside the spine, 2–3 minutes.' },
    ],
  },
  {
    regions: ['arm', 'elbow', 'forearm', 'wrist-hand'],
    items: [
      { kind: 'stretch', description: 'Wrist flexor and extensor stretch, 3 × 30 seconds each.' },
      { kind: 'self-massage', description: 'Thumb or ball along the forearm muscles, 2 minutes.' },
    ],
  },
  {
    regions: ['thigh', 'knee', 'calf', 'ankle-foot'],
    items: [
      { kind: 'stretch', description: 'Calf and quadriceps stretch, 3 × 30 seconds each side.' },
      { kind: 'exercise', description: 'Sit-to-stand or heel raises, 10 repetitions, pain-free.' },
      { kind: 'self-massage', description: 'Foam roller along the thigh and calf, 2–3 minutes.' },
    ],
  },
  {
    regions: ['chest', 'abdomen'],
    items: [
      { kind: 'stretch', description: 'Doorway chest stretch, 3 × 30 seconds.' },
      { kind: 'relaxation', description: 'Slow diaphragmatic breathing, 5 minutes.' },
    ],
  },
];

/** Home care: stretches, exercises and self-massage per complaint, plus posture and stress work. */
export function homeCare(intake: Intake): HomeCareItem[] {
  const willing = intake.selfCareWillingness;
  const days =
    willing === 'none'
      ? reasoned(2, 'You said home exercises are hard to fit in, so we keep it to two short sessions a week.', practice('Dose chosen to match stated willingness.', 'selfCare'))
      : reasoned(5, 'Short daily practice on most days extends the benefit of each session.', practice('Most days of the week is the usual home-programme dose.', 'selfCare'));
  const out: HomeCareItem[] = [];
  for (const c of intake.complaints) {
    const group = HOME.find((g) => g.regions.includes(c.region));
    if (!group) continue;
    const items = willing === 'none' ? group.items.slice(0, 1) : group.items;
    for (const it of items) out.push({ complaintId: c.id, ...it, daysPerWeek: days });
  }
  if (intake.lifestyle.workPosture === 'desk' || intake.lifestyle.workPosture === 'driving' || intake.complaints.some((c) => c.cause === 'posture')) {
    out.push({
      kind: 'posture',
      description: 'Change position or stand up every 30–45 minutes at work; screen at eye level.',
      daysPerWeek: reasoned(5, 'On working days, since posture at work feeds the problem.', seed('postureGuidance')),
    });
  }
  if (intake.lifestyle.stress >= 6 || intake.lifestyle.sleep === 'poor' || intake.goals.includes('relaxation')) {
    out.push({
      kind: 'relaxation',
      description: 'Ten minutes of slow breathing or relaxation before bed.',
      daysPerWeek: reasoned(7, 'Every evening, because stress and poor sleep raise how much pain you feel.', seed('stressFactor')),
    });
  }
  return out;
}
