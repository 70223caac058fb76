import { JSONObjectResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PlanBodyType, ReferralAdviceType } from '../treatment-plan/treatment-plan.types';

@ObjectType('PainScore', { simpleResolvers: true })
export class PainScoreType {
  @Field() complaintId: string;
  @Field(() => Int, { description: '0–10' }) score: number;
}

@ObjectType('PsfsScore', { simpleResolvers: true })
export class PsfsScoreType {
  @Field() activity: string;
  @Field(() => Float, { description: '0 (unable) – 10 (as before the problem)' }) score: number;
}

@ObjectType('Measures', { simpleResolvers: true, description: 'The measures taken at intake and at each re-assessment' })
export class MeasuresType {
  @Field(() => [PainScoreType]) pain: PainScoreType[];
  @Field(() => [PsfsScoreType], { nullable: true }) psfs: PsfsScoreType[] | null;
  @Field(() => Float, { nullable: true, description: 'Oswestry Disability Index 0–100' }) odi: number | null;
  @Field(() => Float, { nullable: true, description: 'Neck Disability Index 0–50' }) ndi: number | null;
}

@ObjectType('BenchmarkResult')
export class BenchmarkResultType {
  @Field() benchmarkId: string;
  @Field() measure: string;
  @Field(() => String, { nullable: true }) complaintId: string | null;
  @Field(() => Float) baseline: number;
  @Field(() => Float, { nullable: true }) current: number | null;
  @Field(() => Float, { nullable: true, description: 'Points better (positive) or worse (negative)' }) improvement: number | null;
  @Field(() => Float, { nullable: true }) improvementPercent: number | null;
  @Field({ description: 'met, improving, unchanged, worse or not-measured' }) status: string;
}

@ObjectType('BenchmarkEvaluation')
export class BenchmarkEvaluationType {
  @Field({ description: 'all-met, improving, stalled or worse' }) overall: string;
  @Field() summary: string;
  @Field(() => [BenchmarkResultType]) results: BenchmarkResultType[];
}

@ObjectType('PainChange', { description: 'New or markedly worse pain found at a re-assessment, from any baseline (0 included)' })
export class PainChangeType {
  @Field() complaintId: string;
  @Field() region: string;
  @Field() side: string;
  @Field({ description: 'NEW (not in the intake) or WORSE (up 2+ points, or 30 %+ of a non-zero baseline)' }) kind: string;
  @Field(() => Int, { nullable: true, description: 'Pain at the start; null for a new complaint' }) baseline: number | null;
  @Field(() => Int) current: number;
  @Field({ description: 'Pain 7/10 or more (Serlin 1995)' }) severe: boolean;
  @Field({ description: 'A new complaint with a known cause' }) explained: boolean;
  @Field({ description: 'Referred (severe or unexplained) rather than added to the plan and measured' }) refer: boolean;
  @Field() urgency: string;
  @Field({ description: 'In words the client can read' }) finding: string;
}

@ObjectType('Reassessment', { simpleResolvers: true, description: "A re-assessment against the plan's benchmarks and the next step it proposes" })
export class ReassessmentType {
  @Field(() => ID) id: string;
  @Field(() => ID) clientId: string;
  @Field(() => ID) planId: string;
  @Field(() => Int, { description: 'The plan version it was judged against' }) planVersion: number;
  @Field(() => ID, { nullable: true }) appointmentId: string | null;
  @Field(() => Int) sessionsCompleted: number;
  @Field(() => MeasuresType) measures: MeasuresType;
  @Field(() => JSONObjectResolver, { nullable: true, description: 'Health answers asked again (HealthScreen)' }) health: Record<string, unknown> | null;
  @Field(() => BenchmarkEvaluationType) evaluation: BenchmarkEvaluationType;
  @Field(() => [PainChangeType], { description: 'New or markedly worse pain; any one of them rules out a step-down' }) painChanges: PainChangeType[];
  @Field({ description: 'STEP_DOWN, CONTINUE, CHANGE_APPROACH, REFER, MOVE_TO_MAINTENANCE or STOP_AND_REFER' }) decision: string;
  @Field({ description: 'Why, in words the client can read' }) reason: string;
  @Field(() => [String]) changes: string[];
  @Field(() => ReferralAdviceType, { nullable: true, description: 'Same as referralAdvice (kept for existing clients)', deprecationReason: 'Use referralAdvice' })
  referral: ReferralAdviceType | null;
  @Field(() => ReferralAdviceType, {
    nullable: true,
    description: 'The advice to refer (REFER, STOP_AND_REFER), recorded in the plan version; `referralDraftFromNextStep` turns it into a draft referral',
  })
  referralAdvice: ReferralAdviceType | null;
  @Field(() => PlanBodyType, { description: 'The plan version the decision proposes' }) proposedPlan: PlanBodyType;
  @Field({ description: 'PROPOSED, ACCEPTED or DISMISSED' }) status: string;
  @Field(() => Int, { nullable: true, description: 'The plan version it became, once accepted' }) acceptedVersion: number | null;
  @Field(() => ID) assessedBy: string;
  @Field() assessedAt: Date;
}

@ObjectType('NextReassessment', { description: "When the plan's next re-assessment falls due: by sessions or weeks, whichever first" })
export class NextReassessmentType {
  @Field(() => Int) sessionsCompleted: number;
  @Field(() => Int) dueAtSession: number;
  @Field(() => Int) sessionsUntilDue: number;
  @Field() dueBy: Date;
  @Field() isDue: boolean;
  @Field({ description: 'SESSIONS or WEEKS: the limit reached first' }) dueBecauseOf: string;
}

@InputType()
export class PainScoreInput {
  @Field() complaintId: string;
  @Field(() => Int) score: number;
}

@InputType()
export class PsfsScoreInput {
  @Field() activity: string;
  @Field(() => Float) score: number;
}

@InputType()
export class MeasuresInput {
  @Field(() => [PainScoreInput]) pain: PainScoreInput[];
  @Field(() => [PsfsScoreInput], { nullable: true }) psfs?: PsfsScoreInput[] | null;
  @Field(() => Float, { nullable: true }) odi?: number | null;
  @Field(() => Float, { nullable: true }) ndi?: number | null;
}

@InputType({ description: 'A complaint first reported at this re-assessment (the same fields as an intake complaint)' })
export class NewComplaintInput {
  @Field(() => String, { nullable: true, description: 'Defaults to the next free cN; must not repeat a complaint of the plan' }) id?: string | null;
  @Field({ description: 'Body region, e.g. calf, lower-back' }) region: string;
  @Field({ description: 'left, right, bilateral or central' }) side: string;
  @Field({ description: 'YYYY-MM-DD, not after the re-assessment' }) onsetDate: string;
  @Field(() => String, { nullable: true, description: 'acute, sub-acute or chronic; derived from the onset when absent' }) chronicity?: string | null;
  @Field({ description: 'sprain, strain, sport, overuse, posture, trauma, post-surgical or unknown' }) cause: string;
  @Field(() => Int, { description: '0–10' }) painNow: number;
  @Field(() => Int, { description: '0–10, not below painNow' }) painWorst: number;
}

@InputType()
export class RecordReassessmentInput {
  @Field(() => ID) planId: string;
  @Field(() => MeasuresInput) measures: MeasuresInput;
  @Field(() => JSONObjectResolver, { nullable: true, description: 'Health answers asked again (HealthScreen); a red flag stops treatment' })
  health?: Record<string, unknown> | null;
  @Field(() => [NewComplaintInput], { nullable: true, description: 'Complaints not in the intake: judged, and referred when severe or unexplained' })
  newComplaints?: NewComplaintInput[] | null;
  @Field(() => ID, { nullable: true }) appointmentId?: string | null;
}
