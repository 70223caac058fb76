import type { PlanProposal, Range, Reasoned, TreatmentPlan } from '@fascia/planning';
import { describeFrequency } from '@fascia/planning';
import { toEvidence, toFinding } from '../intake/intake.types';
import type { PlanBodyType, ReasonedRangeType } from './treatment-plan.types';

const range = (r: Reasoned<Range>): ReasonedRangeType => ({ ...r.value, reason: r.reason, evidence: toEvidence(r.evidence) });

/** The typed GraphQL view of a stored plan body (the planning package's proposal). */
export function toPlanBody(body: PlanProposal): PlanBodyType {
  if (body.blocked) {
    return {
      blocked: true,
      pathway: null,
      severity: null,
      severityReason: null,
      protocol: null,
      protocolDescription: null,
      phases: [],
      currentPhaseIndex: 0,
      expectedSessions: null,
      techniques: [],
      excludedTechniques: [],
      homeCare: [],
      benchmarks: [],
      findings: body.findings.map(toFinding),
      warnings: [],
      safeguards: [],
      referral: body.referral,
      referralAdvice: body.referral,
      blockedReason: body.reason,
      changeLog: body.changeLog.map((c) => ({ version: c.version, at: c.at, decision: c.decision, reason: c.reason, changes: c.changes })),
    };
  }
  const p: TreatmentPlan = body;
  return {
    blocked: false,
    pathway: p.pathway,
    severity: p.severity.value,
    severityReason: p.severity.reason,
    protocol: p.protocol.id,
    protocolDescription: p.protocol.description,
    phases: p.phases.map((ph) => ({
      index: ph.index,
      kind: ph.kind,
      label: ph.label,
      purpose: ph.purpose,
      frequency: {
        ...ph.frequency.value,
        description: describeFrequency(ph.frequency.value),
        reason: ph.frequency.reason,
        evidence: toEvidence(ph.frequency.evidence),
      },
      sessionLengthMinutes: { value: ph.sessionLengthMinutes.value, reason: ph.sessionLengthMinutes.reason, evidence: toEvidence(ph.sessionLengthMinutes.evidence) },
      sessions: range(ph.sessions),
      durationWeeks: ph.durationWeeks ? range(ph.durationWeeks) : null,
      reassessment: { ...ph.reassessment.value, reason: ph.reassessment.reason, evidence: toEvidence(ph.reassessment.evidence) },
      completedSessions: ph.completedSessions ?? null,
    })),
    currentPhaseIndex: p.currentPhaseIndex,
    expectedSessions: range(p.expectedSessions),
    techniques: p.techniques.map((t) => ({ ...t, evidence: toEvidence(t.evidence) })),
    excludedTechniques: p.excludedTechniques,
    homeCare: p.homeCare.map((h) => ({
      complaintId: h.complaintId ?? null,
      kind: h.kind,
      description: h.description,
      daysPerWeek: { value: h.daysPerWeek.value, reason: h.daysPerWeek.reason, evidence: toEvidence(h.daysPerWeek.evidence) },
    })),
    benchmarks: p.benchmarks.map((b) => ({
      id: b.id,
      measure: b.measure,
      complaintId: b.complaintId ?? null,
      direction: b.direction,
      baseline: b.baseline,
      target: b.target,
      thresholdPoints: b.threshold.value.points,
      thresholdPercent: b.threshold.value.percent ?? null,
      reason: b.threshold.reason,
      evidence: toEvidence(b.threshold.evidence),
    })),
    findings: p.findings.map(toFinding),
    warnings: p.warnings,
    safeguards: (p.safeguards ?? []).map((s) => ({
      id: s.id,
      source: s.source,
      maxSessionsPerWeek: s.maxSessionsPerWeek ?? null,
      maxSessionMinutes: s.maxSessionMinutes ?? null,
      reassessWithinSessions: s.reassessWithinSessions ?? null,
      reason: s.reason,
      evidence: toEvidence(s.evidence),
    })),
    referral: p.referral ?? null,
    referralAdvice: p.referral ?? null,
    blockedReason: null,
    changeLog: p.changeLog.map((c) => ({ version: c.version, at: c.at, decision: c.decision, reason: c.reason, changes: c.changes })),
  };
}
