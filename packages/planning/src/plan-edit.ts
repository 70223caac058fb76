import { PlanningInputError } from './errors';
import { complaintLimit } from './fragility';
import { practice, reasoned } from './evidence';
import { PRESSURE_TOLERANCES, type PressureTolerance } from './intake';
import { expectedActiveSessions, type TreatmentPlan } from './plan';
import { type HomeCareKind, type Technique, TECHNIQUE_MIN_PRESSURE, TECHNIQUES } from './techniques';
import { GENERAL_AREA } from './wellness';

export const HOME_CARE_KINDS: readonly HomeCareKind[] = ['stretch', 'exercise', 'self-massage', 'posture', 'relaxation'];

/** A practitioner's edit of a plan: only the named fields change. The caller has checked the shape (whole numbers in range). */
export interface PlanEdit {
  /** Why, in the practitioner's words; it becomes every changed number's reason. */
  reason: string;
  phases?:
    | {
        index: number;
        frequencySessions?: number | null;
        frequencyPerWeeks?: number | null;
        sessionLengthMinutes?: number | null;
        sessionsMin?: number | null;
        sessionsLikely?: number | null;
        sessionsMax?: number | null;
        reassessEverySessions?: number | null;
        reassessEveryWeeks?: number | null;
      }[]
    | null;
  addTechniques?: { complaintId: string; technique: string; pressure?: PressureTolerance | null }[] | null;
  removeTechniques?: { complaintId: string; technique: string }[] | null;
  /** Replaces the plan's home care when given. */
  homeCare?: { complaintId?: string | null; kind: HomeCareKind; description: string; daysPerWeek: number }[] | null;
}

/** An edit the plan refuses: one issue, its field a path inside the edit (`addTechniques[0].technique`), its problem a predicate. */
export class PlanEditError extends PlanningInputError {
  constructor(field: string, problem: string, detail?: Record<string, unknown>) {
    super([{ field, problem, ...(detail ? { detail } : {}) }]);
    this.name = 'PlanEditError';
    Object.setPrototypeOf(this, PlanEditError.prototype);
  }
}

const pIdx = (p: PressureTolerance): number => PRESSURE_TOLERANCES.indexOf(p);
const weeksFor = (sessions: number, f: { sessions: number; perWeeks: number }): number => Math.ceil((sessions * f.perWeeks) / f.sessions);

/** The most pressure a technique may use on this client: the lower of their tolerance and screening's limit. */
export function pressureCap(body: Pick<TreatmentPlan, 'intake' | 'restrictions'>): PressureTolerance {
  return PRESSURE_TOLERANCES[Math.min(pIdx(body.intake.pressureTolerance), pIdx(body.restrictions.maxPressure))];
}

/**
 * Applies a practitioner's edit to a plan body in place (the caller passes a copy it will
 * store as the next version) and returns what changed, in words. Every number it sets
 * carries the practitioner's reason as clinical judgement.
 *
 * The rules an edit cannot break (each throws {@link PlanEditError} naming the field):
 * - a phase must exist; sessions min ≤ likely ≤ max; a phase with a duration gets it again
 *   from its sessions and frequency;
 * - a technique must be a known one, for one of the intake's complaints, not excluded by a
 *   screening finding, and need no more pressure than the client's cap (the lower of their
 *   tolerance and screening's limit); an added technique's pressure is at most that cap;
 * - a technique removed must be in the plan; it is kept as excluded, with the reason;
 * - home care names only the intake's complaints.
 */
export function applyEdit(body: TreatmentPlan, edit: PlanEdit, version: number): string[] {
  const changes: string[] = [];
  const why = (what: string) => practice(`Set by the practitioner at plan version ${version} (${what}): ${edit.reason} Clinical judgement; no trial backs this number.`);
  const edited = (what: string) => `The ${what} was changed by the practitioner: ${edit.reason}`;

  (edit.phases ?? []).forEach((e, i) => {
    const f = `phases[${i}]`;
    const phase = body.phases[e.index];
    if (!phase) throw new PlanEditError(`${f}.index`, `must name one of the plan's phases 0–${body.phases.length - 1}; there is no phase ${e.index}`);
    if (e.frequencySessions != null || e.frequencyPerWeeks != null) {
      const value = { sessions: e.frequencySessions ?? phase.frequency.value.sessions, perWeeks: e.frequencyPerWeeks ?? phase.frequency.value.perWeeks };
      phase.frequency = reasoned(value, edited('frequency'), why('frequency'));
      changes.push(`${phase.label}: ${value.sessions} session(s) every ${value.perWeeks} week(s).`);
    }
    if (e.sessionLengthMinutes != null) {
      phase.sessionLengthMinutes = reasoned(e.sessionLengthMinutes, edited('session length'), why('session length'));
      changes.push(`${phase.label}: ${e.sessionLengthMinutes}-minute sessions.`);
    }
    if (e.sessionsMin != null || e.sessionsLikely != null || e.sessionsMax != null) {
      const r = { min: e.sessionsMin ?? phase.sessions.value.min, likely: e.sessionsLikely ?? phase.sessions.value.likely, max: e.sessionsMax ?? phase.sessions.value.max };
      if (r.min > r.likely) throw new PlanEditError(`${f}.sessionsMin`, `(${r.min}) must not exceed the likely number of sessions (${r.likely})`);
      if (r.likely > r.max) throw new PlanEditError(`${f}.sessionsMax`, `(${r.max}) must not be below the likely number of sessions (${r.likely})`);
      phase.sessions = reasoned(r, edited('number of sessions'), why('session count'));
      changes.push(`${phase.label}: ${r.min}–${r.max} sessions, most likely ${r.likely}.`);
    }
    if (phase.durationWeeks && (e.frequencySessions != null || e.frequencyPerWeeks != null || e.sessionsMin != null || e.sessionsLikely != null || e.sessionsMax != null)) {
      const fr = phase.frequency.value;
      const s = phase.sessions.value;
      phase.durationWeeks = reasoned({ min: weeksFor(s.min, fr), likely: weeksFor(s.likely, fr), max: weeksFor(s.max, fr) }, 'Follows from the sessions and frequency set by the practitioner.', why('duration'));
    }
    if (e.reassessEverySessions != null || e.reassessEveryWeeks != null) {
      const c = { everySessions: e.reassessEverySessions ?? phase.reassessment.value.everySessions, everyWeeks: e.reassessEveryWeeks ?? phase.reassessment.value.everyWeeks };
      phase.reassessment = reasoned(c, edited('re-assessment cadence'), why('re-assessment cadence'));
      changes.push(`${phase.label}: re-assess every ${c.everySessions} sessions or ${c.everyWeeks} weeks.`);
    }
  });
  if (changes.length) body.expectedSessions = expectedActiveSessions(body.phases, body.expectedSessions.evidence);

  // A wellness plan without complaints works on the whole body (`general`).
  const complaintIds = body.intake.complaints.length > 0 ? body.intake.complaints.map((c) => c.id) : [GENERAL_AREA];
  (edit.removeTechniques ?? []).forEach((t, i) => {
    const k = body.techniques.findIndex((x) => x.complaintId === t.complaintId && x.technique === t.technique);
    if (k < 0) throw new PlanEditError(`removeTechniques[${i}]`, `names a technique the plan does not use: ${t.technique} for complaint ${t.complaintId}`);
    body.techniques.splice(k, 1);
    body.excludedTechniques.push({ complaintId: t.complaintId, technique: t.technique as Technique, reason: `Removed by the practitioner: ${edit.reason}` });
    changes.push(`Technique removed: ${t.technique} (${t.complaintId}).`);
  });

  const clientCap = pressureCap(body);
  (edit.addTechniques ?? []).forEach((t, i) => {
    const f = `addTechniques[${i}]`;
    if (!(TECHNIQUES as readonly string[]).includes(t.technique)) throw new PlanEditError(`${f}.technique`, `must be one of ${TECHNIQUES.join(', ')}`);
    const technique = t.technique as Technique;
    if (!complaintIds.includes(t.complaintId)) throw new PlanEditError(`${f}.complaintId`, `must be one of the intake's complaints (${complaintIds.join(', ')})`);
    // Local limits (fragility.ts): nothing on an avoided area, no firm pressure over a fresh injury.
    const local = complaintLimit(body.intake, body.restrictions.avoidAreas, t.complaintId);
    if (local.avoid) {
      throw new PlanEditError(`${f}.complaintId`, `cannot be treated: the ${local.avoid.side} ${local.avoid.region} is not massaged (screening)`);
    }
    const cap = local.cap && pIdx(local.cap.maxPressure) < pIdx(clientCap) ? local.cap.maxPressure : clientCap;
    const capWhy = cap !== clientCap && local.cap ? ` on this complaint (${local.cap.reason})` : '';
    const rule = body.findings.find((x) => x.modification?.excludeTechniques?.includes(technique));
    if (rule) throw new PlanEditError(`${f}.technique`, `cannot be ${technique}: it is ruled out by screening rule ${rule.ruleId}: ${rule.finding}`, { rule: rule.ruleId });
    if (pIdx(TECHNIQUE_MIN_PRESSURE[technique]) > pIdx(cap)) {
      throw new PlanEditError(`${f}.technique`, `cannot be ${technique}: it needs at least ${TECHNIQUE_MIN_PRESSURE[technique]} pressure; this client's limit is ${cap}${capWhy}`);
    }
    const pressure = t.pressure ?? cap;
    if (pIdx(pressure) > pIdx(cap)) throw new PlanEditError(`${f}.pressure`, `${pressure} is above this client's limit of ${cap}${capWhy}`);
    body.techniques = body.techniques.filter((x) => !(x.complaintId === t.complaintId && x.technique === technique));
    body.excludedTechniques = body.excludedTechniques.filter((x) => !(x.complaintId === t.complaintId && x.technique === technique));
    body.techniques.push({ complaintId: t.complaintId, technique, pressure, reason: `Added by the practitioner: ${edit.reason}`, evidence: why('technique') });
    changes.push(`Technique added: ${technique} at up to ${pressure} pressure (${t.complaintId}).`);
  });

  if (edit.homeCare) {
    edit.homeCare.forEach((h, i) => {
      if (h.complaintId && !complaintIds.includes(h.complaintId)) {
        throw new PlanEditError(`homeCare[${i}].complaintId`, `must be one of the intake's complaints (${complaintIds.join(', ')})`);
      }
    });
    body.homeCare = edit.homeCare.map((h) => ({
      ...(h.complaintId ? { complaintId: h.complaintId } : {}),
      kind: h.kind,
      description: h.description,
      daysPerWeek: reasoned(h.daysPerWeek, `Set by the practitioner: ${edit.reason}`, why('home care')),
    }));
    changes.push(`Home care replaced (${edit.homeCare.length} item(s)).`);
  }
  return changes;
}
