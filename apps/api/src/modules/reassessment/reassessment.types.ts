import { JSONObjectResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PlanBodyType, ReferralType } from '../treatment-plan/treatment-plan.types';

@ObjectType('PainScore')
export class PainScoreType {
  @Field() complaintId: string;
  @Field(() => Int, { description: '0–10' }) score: number;
}

@ObjectType('PsfsScore')
export class PsfsScoreType {
  @Field() activity: string;
  @Field(() => Float, { description: '0 (unable) – 10 (as before the problem)' }) score: number;
}

@ObjectType('Measures', { description: 'The measures taken at intake and at each re-assessment' })
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

@ObjectType('Reassessment', { description: "A re-assessment against the plan's benchmarks and the next step it proposes" })
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
  @Field({ description: 'STEP_DOWN, CONTINUE, CHANGE_APPROACH, REFER, MOVE_TO_MAINTENANCE or STOP_AND_REFER' }) decision: string;
  @Field({ description: 'Why, in words the client can read' }) reason: string;
  @Field(() => [String]) changes: string[];
  @Field(() => ReferralType, { nullable: true, description: 'Recorded in the plan version; sending referrals is a later feature' }) referral: ReferralType | null;
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

@InputType()
export class RecordReassessmentInput {
  @Field(() => ID) planId: string;
  @Field(() => MeasuresInput) measures: MeasuresInput;
  @Field(() => JSONObjectResolver, { nullable: true, description: 'Health answers asked again (HealthScreen); a red flag stops treatment' })
  health?: Record<string, unknown> | null;
  @Field(() => ID, { nullable: true }) appointmentId?: string | null;
}
