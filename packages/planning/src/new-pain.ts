/**
 * New or worsening pain at re-assessment (issue 11, item 1). Benchmarks only watch complaints that
 * hurt at intake; this watches every complaint, from any baseline (0 included), and complaints that
 * were not in the intake at all.
 *
 * | finding | when | decision | source |
 * | --- | --- | --- | --- |
 * | worse | a complaint's pain rose by 2+ points, or by 30 %+ of a non-zero baseline (the meaningful-change threshold of Farrar 2001 read in the wrong direction) | REFER to a physician (urgent when severe) | Farrar 2001 (threshold); referring on worsening: clinical practice |
 * | new, severe | a complaint not in the intake with worst pain 7+ | REFER to a physician, urgent | Serlin 1995 (7–10 severe); referring: clinical practice |
 * | new, unexplained | a new complaint with no mechanism (cause "unknown") | REFER to a physician, routine | clinical practice |
 * | new, explained and not severe | e.g. a 4/10 strain from sport | added to the plan with its own benchmark; no step-down at this re-assessment | clinical practice |
 *
 * Never "all benchmarks met → step down" while any of these is found.
 */
import { Measures } from './benchmarks';
import { PlanningInputError } from './errors';
import { EvidenceRef, practice, study } from './evidence';
import type { BodyRegion, Complaint, Intake, Side } from './intake';
import { validateIntake } from './intake';

/** Points of rise that count as markedly worse (Farrar 2001's 2 points, in the wrong direction). */
export const WORSE_POINTS = 2;
/** Or this percent of a non-zero baseline. */
export const WORSE_PERCENT = 30;
/** Pain from which a new complaint is severe (Serlin 1995). */
export const SEVERE_PAIN = 7;

export interface PainChange {
  complaintId: string;
  region: BodyRegion;
  side: Side;
  kind: 'new' | 'worse';
  /** The intake's pain for a worse complaint; null for a new one. */
  baseline: number | null;
  current: number;
  severe: boolean;
  /** A new complaint with a known mechanism (not cause "unknown"); false for a worse one (no new cause is recorded). */
  explained: boolean;
  /** Refer (severe or unexplained) rather than add and monitor. */
  refer: boolean;
  urgency: 'urgent' | 'routine';
  /** In words the client can read. */
  finding: string;
  evidence: EvidenceRef;
}

const WORSE_EVIDENCE = (): EvidenceRef => study('farrar2001');
const NEW_SEVERE_EVIDENCE = (): EvidenceRef => study('serlin1995');
const NEW_EVIDENCE = practice(
  'New pain in another area is judged before treatment goes on: referred when severe or without a known cause, otherwise added to the plan and measured. Clinical practice; no trial backs this rule.',
  'reassessmentsKey',
);

/**
 * Validates complaints first reported at a re-assessment (the intake's complaint rules, dates
 * against the re-assessment's `now`). Issues are named `${field}[k].…`. Ids default to the next free
 * `cN` and must not repeat one already in the plan.
 */
export function validateNewComplaints(input: unknown, options: { field: string; now: string; intake: Intake }): Complaint[] {
  if (input === undefined || input === null) return [];
  const { field, now, intake } = options;
  if (!Array.isArray(input)) throw new PlanningInputError([{ field, problem: 'must be a list of complaints' }]);
  if (input.length === 0) return [];
  const taken = new Set(intake.complaints.map((c) => c.id));
  let next = intake.complaints.length;
  const raw = input.map((c: unknown) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return c;
    const o = c as Record<string, unknown>;
    if (o.id !== undefined) return o;
    do next += 1;
    while (taken.has(`c${next}`));
    taken.add(`c${next}`);
    return { ...o, id: `c${next}` };
  });
  const clash = raw
    .map((c, k) => ({ k, id: (c as Record<string, unknown> | null)?.id }))
    .filter((x) => typeof x.id === 'string' && intake.complaints.some((c) => c.id === x.id));
  if (clash.length) {
    throw new PlanningInputError(clash.map((x) => ({ field: `${field}[${x.k}].id`, problem: `duplicates a complaint already in the plan ("${String(x.id)}")` })));
  }
  try {
    // The intake's own complaint rules, on a minimal intake around the new complaints.
    const v = validateIntake(
      {
        age: intake.age,
        generalHealth: intake.generalHealth,
        pressureTolerance: intake.pressureTolerance,
        selfCareWillingness: intake.selfCareWillingness,
        lifestyle: intake.lifestyle,
        goals: ['mobility'],
        commitment: intake.commitment,
        complaints: raw,
      },
      { now },
    );
    return v.complaints;
  } catch (err) {
    if (!(err instanceof PlanningInputError)) throw err;
    throw new PlanningInputError(err.issues.map((i) => ({ ...i, field: i.field.replace(/^complaints/, field) })));
  }
}

/**
 * Judges every complaint's pain at a re-assessment against its baseline (0 included), and every
 * complaint first reported now. Returns one finding per new or markedly worse complaint.
 */
export function judgePainChanges(complaints: readonly Complaint[], baseline: Measures, current: Measures, added: readonly Complaint[]): PainChange[] {
  const out: PainChange[] = [];
  for (const c of complaints) {
    const now = current.pain.find((p) => p.complaintId === c.id)?.score;
    if (now === undefined) continue;
    const base = baseline.pain.find((p) => p.complaintId === c.id)?.score ?? c.painNow;
    const rise = now - base;
    if (rise <= 0) continue;
    if (rise < WORSE_POINTS && !(base > 0 && (rise * 100) / base >= WORSE_PERCENT)) continue;
    const severe = now >= SEVERE_PAIN;
    out.push({
      complaintId: c.id,
      region: c.region,
      side: c.side,
      kind: 'worse',
      baseline: base,
      current: now,
      severe,
      explained: false,
      refer: true,
      urgency: severe || base === 0 ? 'urgent' : 'routine',
      finding: `Pain in the ${c.side} ${c.region} is worse: ${base} → ${now}/10${base === 0 ? ' (no pain there at the start)' : ''}.`,
      evidence: WORSE_EVIDENCE(),
    });
  }
  for (const c of added) {
    const severe = c.painWorst >= SEVERE_PAIN;
    const explained = c.cause !== 'unknown';
    const refer = severe || !explained;
    out.push({
      complaintId: c.id,
      region: c.region,
      side: c.side,
      kind: 'new',
      baseline: null,
      current: c.painNow,
      severe,
      explained,
      refer,
      urgency: severe ? 'urgent' : 'routine',
      finding: `New pain in the ${c.side} ${c.region} (${c.painNow}/10, worst ${c.painWorst}/10${explained ? `, ${c.cause}` : ', no known cause'})${
        refer ? '' : ': added to the plan and measured from now on'
      }.`,
      evidence: severe ? NEW_SEVERE_EVIDENCE() : NEW_EVIDENCE,
    });
  }
  return out;
}
