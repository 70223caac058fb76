/**
 * Medications recognised by name (generic and common brand names), whatever class the user
 * picked for them. A client's list says "warfarin — other" as often as "warfarin — anticoagulant";
 * screening must read the name, not only the category.
 *
 * Matching is case-insensitive, ignores accents, doses and punctuation ("Warfarin 5mg",
 * "ELIQUIS 2.5 mg bd"), reads every word of the entry ("warfarin and prednisolone") and tolerates
 * small typos: one edit (a letter missing, extra, wrong or two letters swapped) in names of 5 to 7
 * letters, two in names of 8 or more; names of 4 letters or fewer must match exactly, so short
 * words do not collide.
 */
import { EvidenceRef, practice } from './evidence';
import type { Medication, MedicationClass } from './intake';

/** A class of medication that changes pressure or technique choice. */
export type RecognisedClass = Exclude<MedicationClass, 'other'>;

export interface MedicationClassInfo {
  class: RecognisedClass;
  /** Generic names first, then common brand names (lower case). */
  names: readonly string[];
  /** What the class changes in a massage plan, in words a client can read. */
  effect: string;
  evidence: EvidenceRef;
}

const med = (statement: string): EvidenceRef =>
  practice(
    `${statement} Medication precautions of massage-therapy practice (as taught in massage pathology and pharmacology texts); no trial backs the exact limit.`,
    'healthQuestions',
  );

/**
 * The table: each class, the names recognised, its effect on the plan and its source. The effect
 * is applied by the screening rules (`modify.anticoagulants`, `modify.long-term-corticosteroids`,
 * `modify.pain-masking-medication`, `modify.diabetes-medication`, and the fragility rules for
 * bisphosphonates).
 */
export const MEDICATION_TABLE: readonly MedicationClassInfo[] = [
  {
    class: 'anticoagulant',
    names: [
      'warfarin', 'coumadin', 'jantoven', 'marevan', 'acenocoumarol', 'sintrom', 'phenprocoumon', 'marcumar',
      'apixaban', 'eliquis', 'rivaroxaban', 'xarelto', 'dabigatran', 'pradaxa', 'pradax', 'edoxaban', 'lixiana', 'savaysa',
      'heparin', 'enoxaparin', 'clexane', 'lovenox', 'dalteparin', 'fragmin', 'tinzaparin', 'innohep', 'fondaparinux', 'arixtra',
    ],
    effect: 'Thins the blood: bruising and bleeding come easily. Pressure stays light; no deep tissue, trigger point, cupping or scraping.',
    evidence: med('Anticoagulants raise the risk of bruising and bleeding under pressure.'),
  },
  {
    class: 'antiplatelet',
    names: [
      'clopidogrel', 'plavix', 'aspirin', 'acetylsalicylic', 'asa', 'ecotrin', 'disprin', 'ticagrelor', 'brilinta', 'brilique',
      'prasugrel', 'effient', 'efient', 'dipyridamole', 'persantine', 'cilostazol', 'pletal',
    ],
    effect: 'Stops platelets clotting: bruising comes easily. Pressure stays light; no deep tissue, trigger point, cupping or scraping.',
    evidence: med('Antiplatelet drugs (including long-term low-dose aspirin) raise the risk of bruising under pressure.'),
  },
  {
    class: 'corticosteroid',
    names: [
      'prednisolone', 'prednisone', 'deltasone', 'dexamethasone', 'decadron', 'methylprednisolone', 'medrol', 'solumedrol',
      'hydrocortisone', 'cortef', 'betamethasone', 'celestone', 'cortisone', 'deflazacort',
    ],
    effect: 'Long-term use thins skin and connective tissue and weakens bone. Pressure at most moderate; no cupping or scraping.',
    evidence: med('Long-term corticosteroids thin skin and connective tissue and cause bone loss.'),
  },
  {
    class: 'nsaid',
    names: [
      'ibuprofen', 'advil', 'nurofen', 'motrin', 'brufen', 'naproxen', 'aleve', 'naprosyn', 'diclofenac', 'voltaren', 'voltarol',
      'cataflam', 'celecoxib', 'celebrex', 'meloxicam', 'mobic', 'etoricoxib', 'arcoxia', 'indomethacin', 'indometacin',
      'ketoprofen', 'piroxicam', 'nabumetone',
    ],
    effect: 'Dulls the pain that tells the therapist pressure is too much. Pressure at most moderate.',
    evidence: med('Pain relievers mask the feedback a client gives on pressure.'),
  },
  {
    class: 'analgesic',
    names: ['paracetamol', 'acetaminophen', 'tylenol', 'panadol', 'calpol', 'gabapentin', 'neurontin', 'pregabalin', 'lyrica'],
    effect: 'Dulls the pain that tells the therapist pressure is too much. Pressure at most moderate.',
    evidence: med('Pain relievers (including those for nerve pain) mask the feedback a client gives on pressure.'),
  },
  {
    class: 'opioid',
    names: [
      'codeine', 'codamol', 'dydramol', 'solpadeine', 'tramadol', 'ultram', 'zydol', 'oxycodone', 'oxycontin', 'percocet', 'morphine', 'hydrocodone', 'vicodin',
      'tapentadol', 'nucynta', 'fentanyl', 'durogesic', 'buprenorphine', 'butrans', 'hydromorphone', 'dilaudid', 'methadone',
    ],
    effect: 'Dulls the pain that tells the therapist pressure is too much. Pressure at most moderate.',
    evidence: med('Opioids mask the feedback a client gives on pressure.'),
  },
  {
    class: 'muscle-relaxant',
    names: [
      'cyclobenzaprine', 'flexeril', 'baclofen', 'lioresal', 'tizanidine', 'zanaflex', 'methocarbamol', 'robaxin',
      'carisoprodol', 'soma', 'orphenadrine', 'norflex', 'diazepam', 'valium',
    ],
    effect: 'Relaxes muscle and dulls feedback. Pressure at most moderate.',
    evidence: med('Muscle relaxants reduce tone and the feedback a client gives on pressure.'),
  },
  {
    class: 'bisphosphonate',
    names: [
      'alendronate', 'alendronic', 'fosamax', 'risedronate', 'risedronic', 'actonel', 'ibandronate', 'ibandronic', 'boniva',
      'bonviva', 'zoledronic', 'zoledronate', 'aclasta', 'reclast', 'zometa', 'denosumab', 'prolia', 'raloxifene', 'evista',
      'teriparatide', 'forteo', 'forsteo',
    ],
    effect: 'Taken for osteoporosis: bones are treated as fragile (see the fragility rules).',
    evidence: med('Osteoporosis medication marks fragile bone even when osteoporosis is not ticked.'),
  },
  {
    class: 'diabetes',
    names: [
      'insulin', 'lantus', 'glargine', 'toujeo', 'humalog', 'lispro', 'novorapid', 'novolog', 'aspart', 'levemir', 'detemir',
      'tresiba', 'degludec', 'humulin', 'novolin', 'metformin', 'glucophage', 'gliclazide', 'glipizide', 'glimepiride',
      'glibenclamide', 'glyburide',
    ],
    effect: 'Diabetes can reduce sensation in the feet and legs: no heat or cold packs; sensation checked; insulin injection sites avoided.',
    evidence: med('Diabetes can reduce sensation (neuropathy); clients cannot judge heat, cold or pressure where it is reduced.'),
  },
];

/** Damerau–Levenshtein distance (optimal string alignment), stopping early above `max`. Three rolling rows. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** Edits tolerated for a name of this length. */
const tolerance = (name: string): number => (name.length <= 4 ? 0 : name.length <= 7 ? 1 : 2);

const words = (text: string): string[] =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 3);

export interface MedicationMatch {
  class: RecognisedClass;
  /** The table name matched (generic or brand). */
  matched: string;
  /** The word of the entry that matched. */
  word: string;
  /** Edits between the word and the name (0 = exact). */
  distance: number;
}

/**
 * Recognised entries by text: screening asks about the same few names many times per plan, and the
 * answer for a text never changes (deterministic; bounded so it cannot grow without limit).
 */
const recognised = new Map<string, readonly MedicationMatch[]>();
const RECOGNISED_MAX = 2000;

/** Every class recognised in a free-text medication entry (best match per class). */
export function recogniseMedication(text: string): MedicationMatch[] {
  const hit = recognised.get(text);
  if (hit) return hit.map((m) => ({ ...m }));
  const result = matchMedication(text);
  if (recognised.size >= RECOGNISED_MAX) recognised.clear();
  recognised.set(text, result);
  return result.map((m) => ({ ...m }));
}

function matchMedication(text: string): MedicationMatch[] {
  const out = new Map<RecognisedClass, MedicationMatch>();
  for (const word of words(text)) {
    for (const info of MEDICATION_TABLE) {
      for (const name of info.names) {
        const tol = Math.min(tolerance(name), tolerance(word));
        const dist = word === name ? 0 : tol === 0 ? 1 : editDistance(word, name, tol);
        if (dist > tol) continue;
        const prev = out.get(info.class);
        if (!prev || dist < prev.distance) out.set(info.class, { class: info.class, matched: name, word, distance: dist });
      }
    }
  }
  return [...out.values()];
}

/** The classes of one medication entry: the class picked (unless "other") and every class its name matches. */
export function classesOf(m: Medication): RecognisedClass[] {
  const set = new Set<RecognisedClass>(recogniseMedication(m.name).map((x) => x.class));
  if (m.class !== 'other') set.add(m.class);
  return [...set];
}

/** The client's medications that fall in any of these classes, whatever class was picked. */
export function medicationsIn(meds: readonly Medication[], classes: readonly RecognisedClass[]): Medication[] {
  return meds.filter((m) => classesOf(m).some((c) => classes.includes(c)));
}

export function classInfo(c: RecognisedClass): MedicationClassInfo {
  return MEDICATION_TABLE.find((x) => x.class === c)!;
}
