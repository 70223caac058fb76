import { PLAN_STATUSES, type PlanStatusCode } from '@fascia/db';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EvidenceType, ScreeningFindingType } from '../intake/intake.types';

export const PlanStatusEnum = Object.fromEntries(PLAN_STATUSES.map((s) => [s, s])) as { [K in PlanStatusCode]: K };
registerEnumType(PlanStatusEnum, { name: 'PlanStatus' });

export const SETTABLE_STATUSES = ['MAINTENANCE', 'COMPLETED', 'DISCONTINUED'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];
export const SettablePlanStatusEnum = Object.fromEntries(SETTABLE_STATUSES.map((s) => [s, s])) as { [K in SettableStatus]: K };
registerEnumType(SettablePlanStatusEnum, { name: 'SettablePlanStatus', description: 'Statuses a practitioner sets by hand' });

@ObjectType('Frequency', { description: '`sessions` visits every `perWeeks` weeks, with its reason' })
export class FrequencyType {
  @Field(() => Int) sessions: number;
  @Field(() => Int) perWeeks: number;
  @Field({ description: 'e.g. "twice a week"' }) description: string;
  @Field() reason: string;
  @Field(() => EvidenceType) evidence: EvidenceType;
}

@ObjectType('ReasonedInt')
export class ReasonedIntType {
  @Field(() => Int) value: number;
  @Field() reason: string;
  @Field(() => EvidenceType) evidence: EvidenceType;
}

@ObjectType('ReasonedRange', { description: 'A count as a range (min ≤ likely ≤ max), with its reason' })
export class ReasonedRangeType {
  @Field(() => Int) min: number;
  @Field(() => Int) likely: number;
  @Field(() => Int) max: number;
  @Field() reason: string;
  @Field(() => EvidenceType) evidence: EvidenceType;
}

@ObjectType('ReassessmentCadence', { description: 'Re-assess after everySessions sessions or everyWeeks weeks, whichever comes first' })
export class ReassessmentCadenceType {
  @Field(() => Int) everySessions: number;
  @Field(() => Int) everyWeeks: number;
  @Field() reason: string;
  @Field(() => EvidenceType) evidence: EvidenceType;
}

@ObjectType('PlanPhase')
export class PlanPhaseType {
  @Field(() => Int) index: number;
  @Field({ description: 'initial, tapering or maintenance' }) kind: string;
  @Field() label: string;
  @Field() purpose: string;
  @Field(() => FrequencyType) frequency: FrequencyType;
  @Field(() => ReasonedIntType) sessionLengthMinutes: ReasonedIntType;
  @Field(() => ReasonedRangeType, { description: 'Sessions in the phase; for maintenance, visits per 12 months' }) sessions: ReasonedRangeType;
  @Field(() => ReasonedRangeType, { nullable: true, description: 'Weeks the phase lasts; none for open-ended maintenance' })
  durationWeeks: ReasonedRangeType | null;
  @Field(() => ReassessmentCadenceType) reassessment: ReassessmentCadenceType;
  @Field(() => Int, { nullable: true, description: 'Sessions actually given, once the phase has ended' }) completedSessions: number | null;
}

@ObjectType('TechniqueChoice')
export class TechniqueChoiceType {
  @Field() complaintId: string;
  @Field() technique: string;
  @Field({ description: 'The firmest pressure to use' }) pressure: string;
  @Field() reason: string;
  @Field(() => EvidenceType) evidence: EvidenceType;
}

@ObjectType('ExcludedTechnique')
export class ExcludedTechniqueType {
  @Field() complaintId: string;
  @Field() technique: string;
  @Field() reason: string;
}

@ObjectType('HomeCareItem')
export class HomeCareItemType {
  @Field(() => String, { nullable: true }) complaintId: string | null;
  @Field({ description: 'stretch, exercise, self-massage, posture or relaxation' }) kind: string;
  @Field() description: string;
  @Field(() => ReasonedIntType) daysPerWeek: ReasonedIntType;
}

@ObjectType('Benchmark', { description: 'What to meet by each re-assessment' })
export class BenchmarkType {
  @Field() id: string;
  @Field({ description: 'pain-nrs, psfs, odi or ndi' }) measure: string;
  @Field(() => String, { nullable: true }) complaintId: string | null;
  @Field({ description: 'decrease or increase' }) direction: string;
  @Field(() => Float) baseline: number;
  @Field(() => Float) target: number;
  @Field(() => Float, { description: 'Minimal change in points' }) thresholdPoints: number;
  @Field(() => Float, { nullable: true, description: 'Or minimal change in percent of baseline' }) thresholdPercent: number | null;
  @Field() reason: string;
  @Field(() => EvidenceType) evidence: EvidenceType;
}

@ObjectType('PlanSafeguard', {
  description: "A limit one of the client's conditions or circumstances puts on the plan, whichever protocol leads (docs/planning-rules.md §3, safeguards)",
})
export class PlanSafeguardType {
  @Field({ description: 'e.g. fibromyalgia.weekly-at-most' }) id: string;
  @Field({ description: 'What it comes from: a condition, a complaint, the age or general health' }) source: string;
  @Field(() => Float, { nullable: true }) maxSessionsPerWeek: number | null;
  @Field(() => Int, { nullable: true }) maxSessionMinutes: number | null;
  @Field(() => Int, { nullable: true, description: 'The initial phase is re-assessed after at most this many sessions' }) reassessWithinSessions: number | null;
  @Field() reason: string;
  @Field(() => EvidenceType) evidence: EvidenceType;
}

@ObjectType('PlanWarning')
export class PlanWarningType {
  @Field() code: string;
  @Field() message: string;
}

@ObjectType('ReferralAdvice', {
  description: "Screening's advice to refer the client to another discipline, kept in the plan version. Not a network Referral: `referralDraftFromNextStep` turns it into a draft one.",
})
export class ReferralAdviceType {
  @Field({ description: 'physician, physiotherapist, pain-specialist or acupuncturist' }) to: string;
  @Field() reason: string;
  @Field({ description: 'emergency, urgent or routine' }) urgency: string;
}

@ObjectType('PlanChange', { description: "An entry of the plan body's own change log" })
export class PlanChangeType {
  @Field(() => Int) version: number;
  @Field() at: string;
  @Field() decision: string;
  @Field() reason: string;
  @Field(() => [String]) changes: string[];
}

@ObjectType('PlanBody', { description: 'The content of one plan version; a blocked proposal has findings and a referral but no phases' })
export class PlanBodyType {
  @Field() blocked: boolean;
  @Field(() => String, { nullable: true, description: 'acute, sub-acute, chronic or wellness' }) pathway: string | null;
  @Field(() => String, { nullable: true }) severity: string | null;
  @Field(() => String, { nullable: true }) severityReason: string | null;
  @Field(() => String, { nullable: true }) protocol: string | null;
  @Field(() => String, { nullable: true }) protocolDescription: string | null;
  @Field(() => [PlanPhaseType]) phases: PlanPhaseType[];
  @Field(() => Int) currentPhaseIndex: number;
  @Field(() => ReasonedRangeType, { nullable: true, description: 'Active-care sessions (all phases but maintenance)' })
  expectedSessions: ReasonedRangeType | null;
  @Field(() => [TechniqueChoiceType]) techniques: TechniqueChoiceType[];
  @Field(() => [ExcludedTechniqueType]) excludedTechniques: ExcludedTechniqueType[];
  @Field(() => [HomeCareItemType]) homeCare: HomeCareItemType[];
  @Field(() => [BenchmarkType]) benchmarks: BenchmarkType[];
  @Field(() => [ScreeningFindingType]) findings: ScreeningFindingType[];
  @Field(() => [PlanWarningType]) warnings: PlanWarningType[];
  @Field(() => [PlanSafeguardType], { description: 'Safeguards applied on top of the leading protocol (empty for plans proposed before they existed)' })
  safeguards: PlanSafeguardType[];
  @Field(() => ReferralAdviceType, { nullable: true, description: 'The referral advice (same as referralAdvice; kept for existing clients)', deprecationReason: 'Use referralAdvice' })
  referral: ReferralAdviceType | null;
  @Field(() => ReferralAdviceType, { nullable: true, description: "Screening's advice to refer (to, reason, urgency)" })
  referralAdvice: ReferralAdviceType | null;
  @Field(() => String, { nullable: true, description: 'Why a blocked proposal does not start treatment' }) blockedReason: string | null;
  @Field(() => [PlanChangeType]) changeLog: PlanChangeType[];
}

@ObjectType('PlanVersion', { description: 'A kept version of a plan: who changed it, when and why' })
export class PlanVersionType {
  @Field(() => Int) version: number;
  @Field({ description: 'PROPOSED, BLOCKED, ACCEPTED, EDITED, a status (MAINTENANCE, COMPLETED, DISCONTINUED) or a re-assessment decision' })
  changeKind: string;
  @Field() reason: string;
  @Field(() => ID) changedBy: string;
  @Field() changedAt: Date;
  @Field(() => PlanBodyType) body: PlanBodyType;
}

@ObjectType('TreatmentPlan', { simpleResolvers: true })
export class TreatmentPlanType {
  @Field(() => ID) id: string;
  @Field(() => ID) clientId: string;
  @Field(() => ID) intakeId: string;
  @Field(() => ID) clinicId: string;
  @Field(() => ID) practitionerId: string;
  @Field({ description: 'The complaints the plan treats (region:side, joined by +); one active plan per complaint' }) complaintKey: string;
  @Field(() => PlanStatusEnum) status: PlanStatusCode;
  @Field(() => Int) currentVersion: number;
  @Field(() => PlanBodyType, { description: 'The current version' }) current: PlanBodyType;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType({ description: 'Changes to one phase; only the fields given change' })
export class PhaseEditInput {
  @Field(() => Int) index: number;
  @Field(() => Int, { nullable: true }) frequencySessions?: number | null;
  @Field(() => Int, { nullable: true }) frequencyPerWeeks?: number | null;
  @Field(() => Int, { nullable: true }) sessionLengthMinutes?: number | null;
  @Field(() => Int, { nullable: true }) sessionsMin?: number | null;
  @Field(() => Int, { nullable: true }) sessionsLikely?: number | null;
  @Field(() => Int, { nullable: true }) sessionsMax?: number | null;
  @Field(() => Int, { nullable: true }) reassessEverySessions?: number | null;
  @Field(() => Int, { nullable: true }) reassessEveryWeeks?: number | null;
}

@InputType()
export class TechniqueEditInput {
  @Field() complaintId: string;
  @Field({ description: 'swedish, deep-tissue, trigger-point, myofascial-release, assisted-stretching, hot-cold, cupping or scraping' })
  technique: string;
  @Field(() => String, { nullable: true, description: 'light, moderate, firm or deep; defaults to the plan’s limit' }) pressure?: string | null;
}

@InputType()
export class HomeCareInput {
  @Field(() => String, { nullable: true }) complaintId?: string | null;
  @Field() kind: string;
  @Field() description: string;
  @Field(() => Int) daysPerWeek: number;
}

@InputType({ description: 'A practitioner’s edit: a new plan version keeping who, when and why' })
export class EditPlanInput {
  @Field({ description: 'Why the plan changes (kept with the version)' }) reason: string;
  @Field(() => [PhaseEditInput], { nullable: true }) phases?: PhaseEditInput[] | null;
  @Field(() => [TechniqueEditInput], { nullable: true }) addTechniques?: TechniqueEditInput[] | null;
  @Field(() => [TechniqueEditInput], { nullable: true, description: 'complaintId + technique; pressure is ignored' }) removeTechniques?: TechniqueEditInput[] | null;
  @Field(() => [HomeCareInput], { nullable: true, description: 'Replaces the home care' }) homeCare?: HomeCareInput[] | null;
}
