import { CONSENT_METHODS, REFERRAL_ACTIONS, REFERRAL_STATUSES, REFERRAL_URGENCIES, SHAREABLE_RECORD_TYPES, type Discipline, type ReferralStatus } from '@fascia/db';
import { JSONObjectResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../common/pagination';
import { DisciplineEnum } from '../practitioner/practitioner.types';
import { TrajectoryPointType } from '../chart/chart.types';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ReferralStatusEnum = enumOf(REFERRAL_STATUSES);
registerEnumType(ReferralStatusEnum, {
  name: 'ReferralStatus',
  description: 'DRAFT → SENT → ACCEPTED | DECLINED → SCHEDULED → COMPLETED → CLOSED; CANCELLED (the referrer, from an open state); EXPIRED (unanswered past its validity)',
});
export const ReferralUrgencyEnum = enumOf(REFERRAL_URGENCIES);
registerEnumType(ReferralUrgencyEnum, { name: 'ReferralUrgency', description: 'First answer due within: EMERGENCY 4 hours, URGENT 1 business day, ROUTINE 3 business days' });
export const SharedRecordTypeEnum = enumOf(SHAREABLE_RECORD_TYPES);
registerEnumType(SharedRecordTypeEnum, { name: 'SharedRecordType', description: 'A kind of clinical record a client can consent to share with the receiver of a referral' });
export const ConsentMethodEnum = enumOf(CONSENT_METHODS);
registerEnumType(ConsentMethodEnum, { name: 'ConsentMethod' });
export const ReferralSideEnum = enumOf(['SENT', 'RECEIVED'] as const);
registerEnumType(ReferralSideEnum, { name: 'ReferralSide', description: 'SENT: the caller’s organization referred; RECEIVED: it was referred to' });
export type ReferralSide = keyof typeof ReferralSideEnum;
export const ReferralActionEnum = enumOf(REFERRAL_ACTIONS.filter((a) => a !== 'EXPIRE'));
registerEnumType(ReferralActionEnum, { name: 'ReferralAction', description: 'What the caller may do with a referral now' });
export type ReferralActionValue = keyof typeof ReferralActionEnum;

@InputType()
export class ReferralConsentInput {
  @Field(() => ConsentMethodEnum) method: string;
  @Field({ description: 'The last day the consent holds (yyyy-mm-dd, in the referring clinic’s time zone)' }) endsOn: string;
}

@InputType()
export class CreateReferralInput {
  @Field(() => ID) clientId: string;
  @Field(() => ID, { nullable: true, description: 'The clinic the referral is made from; default: the client’s first clinic' }) fromClinicId?: string | null;
  @Field(() => ID, { nullable: true, description: 'A named practitioner; omitted: the discipline’s pool at the target clinic' }) targetPractitionerId?: string | null;
  @Field(() => ID) targetClinicId: string;
  @Field(() => DisciplineEnum) targetDiscipline: Discipline;
  @Field() reason: string;
  @Field() clinicalQuestion: string;
  @Field(() => ReferralUrgencyEnum) urgency: string;
  @Field(() => [SharedRecordTypeEnum]) sharedRecords: string[];
  @Field(() => ReferralConsentInput) consent: ReferralConsentInput;
  @Field(() => Int, { nullable: true, description: 'Days the referral stays open unanswered once sent (1–90, default 30)' }) validForDays?: number | null;
  @Field(() => ID, { nullable: true, description: 'The re-assessment whose next step advised it' }) fromReassessmentId?: string | null;
  @Field({ nullable: true, description: 'Send at once (default: keep as a DRAFT)' }) send?: boolean;
}

@InputType()
export class ReferralReasonInput {
  @Field(() => ID) id: string;
  @Field() reason: string;
  @Field(() => ReferralStatusEnum, {
    nullable: true,
    description: 'The status you acted on (as your screen showed it): if the referral has moved on meanwhile, the step is a CONFLICT instead',
  })
  expectedStatus?: ReferralStatus | null;
}

@InputType()
export class AcceptReferralInput {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => ReferralStatusEnum, {
    nullable: true,
    description: 'The status you acted on (as your screen showed it): if the referral has moved on meanwhile, the step is a CONFLICT instead',
  })
  expectedStatus?: ReferralStatus | null;
}

@InputType()
export class AssignReferralInput {
  @Field(() => ID) id: string;
  @Field(() => ID) practitionerId: string;
}

@InputType()
export class LinkReferralClientInput {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true, description: 'An existing client of your organization' }) clientId?: string | null;
  @Field({ nullable: true, description: 'Create the client from what the referral carries (name, date of birth, phone, email)' }) createClient?: boolean;
}

@InputType()
export class ReferralReplyInput {
  @Field() findings: string;
  @Field(() => String, { nullable: true }) treatment?: string | null;
  @Field(() => String, { nullable: true }) recommendations?: string | null;
  @Field(() => String, { nullable: true }) onwardReferral?: string | null;
}

@InputType()
export class CompleteReferralInput {
  @Field(() => ID) id: string;
  @Field(() => ReferralReplyInput) reply: ReferralReplyInput;
}

@InputType()
export class ReferralFilter {
  @Field(() => [ReferralStatusEnum], { nullable: true }) status?: ReferralStatus[] | null;
  @Field(() => Boolean, { nullable: true, description: 'SENT and past its first-answer deadline' }) overdue?: boolean | null;
  @Field(() => DisciplineEnum, { nullable: true }) discipline?: Discipline | null;
  @Field(() => ID, { nullable: true, description: 'Outbox: the referring clinic; inbox: the receiving clinic' }) clinicId?: string | null;
}

@ObjectType('ReferralConsent')
export class ReferralConsentType {
  @Field(() => ConsentMethodEnum) method: string;
  @Field() recordedAt: Date;
  @Field(() => String, { nullable: true, description: 'Who recorded it (the referring side only)' }) recordedBy: string | null;
  @Field({ description: 'The last day it holds (yyyy-mm-dd)' }) endsOn: string;
  @Field(() => Date, { nullable: true }) withdrawnAt: Date | null;
  @Field({ description: 'Not withdrawn, not ended, and the referral still open: the receiver may read the shared records' }) live: boolean;
}

@ObjectType('ReferralClient', { description: 'What travels with a referral to book the client; no clinical content' })
export class ReferralClientType {
  @Field() displayName: string;
  @Field(() => String, { nullable: true }) dateOfBirth: string | null;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => ID, { nullable: true, description: 'The client record in the caller’s organization: the referred client (SENT) or the linked one (RECEIVED)' })
  localClientId: string | null;
}

@ObjectType('ReferralFrom')
export class ReferralFromType {
  @Field() organizationName: string;
  @Field() clinicName: string;
  @Field() practitionerName: string;
}

@ObjectType('ReferralTo')
export class ReferralToType {
  @Field() organizationName: string;
  @Field() clinicName: string;
  @Field(() => String, { nullable: true, description: 'null: the pool, not yet assigned' }) practitionerName: string | null;
  @Field(() => DisciplineEnum) discipline: Discipline;
}

@ObjectType('ReferralReply', { description: 'The receiver’s reply that completed the referral, visible to both sides' })
export class ReferralReplyType {
  @Field() findings: string;
  @Field(() => String, { nullable: true }) treatment: string | null;
  @Field(() => String, { nullable: true }) recommendations: string | null;
  @Field(() => String, { nullable: true }) onwardReferral: string | null;
  @Field() repliedAt: string;
  @Field() repliedByName: string;
}

@ObjectType('ReferralEvent', { description: 'One change of a referral: who, when, why' })
export class ReferralEventType {
  @Field(() => ID) id: string;
  @Field(() => ReferralStatusEnum, { nullable: true }) fromStatus: ReferralStatus | null;
  @Field(() => ReferralStatusEnum) toStatus: ReferralStatus;
  @Field() actorName: string;
  @Field({ description: 'The change was made by the caller’s own organization' }) byOwnOrganization: boolean;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field() at: Date;
}

/** A referral as the caller's side sees it (built by the service from its own side's row). */
@ObjectType('Referral', { description: 'A referral between practitioners, as the caller’s side sees it' })
export class ReferralType {
  @Field(() => ID) id: string;
  @Field(() => ReferralSideEnum) side: ReferralSide;
  @Field(() => ReferralStatusEnum) status: ReferralStatus;
  @Field(() => ReferralUrgencyEnum) urgency: string;
  @Field() reason: string;
  @Field() clinicalQuestion: string;
  @Field(() => [SharedRecordTypeEnum]) sharedRecords: string[];
  @Field(() => ReferralConsentType) consent: ReferralConsentType;
  @Field(() => ReferralClientType) client: ReferralClientType;
  @Field(() => ReferralFromType) from: ReferralFromType;
  @Field(() => ReferralToType) to: ReferralToType;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) sentAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'The first answer is due by then (SENT)' }) dueAt: Date | null;
  @Field(() => Date, { nullable: true }) validUntil: Date | null;
  @Field({ description: 'SENT and past dueAt' }) overdue: boolean;
  @Field(() => ReferralReplyType, { nullable: true }) reply: ReferralReplyType | null;
  @Field(() => ID, { nullable: true, description: 'The booking that scheduled it (the receiving side only)' }) appointmentId: string | null;
  @Field(() => ID, { nullable: true, description: 'The re-assessment that advised it (the referring side only)' }) sourceReassessmentId: string | null;
  @Field(() => [ReferralActionEnum]) allowedActions: ReferralActionValue[];
  /** The organization whose row this view was built from (the caller's). */
  organizationId: string;
}

export const ReferralConnection = Connection(ReferralType, 'Referral');

@ObjectType('ReferralDraft', { description: 'A referral pre-filled from a re-assessment’s REFER / STOP_AND_REFER advice' })
export class ReferralDraftType {
  @Field(() => ID) clientId: string;
  @Field(() => ID) reassessmentId: string;
  @Field() reason: string;
  @Field(() => ReferralUrgencyEnum) urgency: string;
  @Field(() => DisciplineEnum) targetDiscipline: Discipline;
  @Field() clinicalQuestion: string;
}

@ObjectType('SharedIntakeSummary')
export class SharedIntakeSummaryType {
  @Field(() => ID) id: string;
  @Field(() => Int) version: number;
  @Field() recordedAt: Date;
  @Field() blocked: boolean;
  @Field(() => JSONObjectResolver, { description: 'The intake as recorded (complaints, function, health, goals…)' }) intake: Record<string, unknown>;
  @Field(() => [JSONObjectResolver], { description: 'Screening findings' }) findings: Record<string, unknown>[];
}

@ObjectType('SharedPlan')
export class SharedPlanType {
  @Field(() => ID) id: string;
  @Field() status: string;
  @Field(() => Int) version: number;
  @Field(() => Date, { nullable: true }) changedAt: Date | null;
  @Field(() => JSONObjectResolver, { nullable: true, description: 'The plan version’s body (phases, techniques, benchmarks…)' }) body: Record<string, unknown> | null;
}

@ObjectType('SharedNote')
export class SharedNoteType {
  @Field(() => ID) id: string;
  @Field() signedAt: Date;
  @Field(() => Int, { nullable: true }) durationMinutes: number | null;
  @Field(() => Int, { nullable: true }) painBefore: number | null;
  @Field(() => Int, { nullable: true }) painAfter: number | null;
  @Field(() => JSONObjectResolver) soap: Record<string, string>;
  @Field(() => [JSONObjectResolver]) techniques: Record<string, unknown>[];
  @Field(() => [String]) addenda: string[];
}

@ObjectType('SharedRecords', { description: 'What the client consented to share, read through the consent’s grant (each null unless consented and live)' })
export class SharedRecordsType {
  @Field(() => ID) referralId: string;
  @Field(() => [SharedRecordTypeEnum]) consented: string[];
  @Field(() => SharedIntakeSummaryType, { nullable: true }) intakeSummary: SharedIntakeSummaryType | null;
  @Field(() => SharedPlanType, { nullable: true }) currentPlan: SharedPlanType | null;
  @Field(() => [TrajectoryPointType], { nullable: true, description: 'The pain and function trajectory' }) outcomeHistory: TrajectoryPointType[] | null;
  @Field(() => [SharedNoteType], { nullable: true }) signedNotes: SharedNoteType[] | null;
}
