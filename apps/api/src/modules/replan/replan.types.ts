import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AppointmentType } from '../appointment/appointment.types';

@ObjectType('ReplanKeep', { description: 'A booking the new rhythm keeps at its own time (renumbered to its session in the new plan)' })
export class ReplanKeepType {
  @Field(() => ID) appointmentId: string;
  @Field(() => Int) sessionNumber: number;
  @Field(() => Int) phaseIndex: number;
  @Field() phaseKind: string;
  @Field() startsAt: Date;
  @Field() endsAt: Date;
  @Field({ description: "Wall time YYYY-MM-DDTHH:mm in the clinic's zone" }) localStart: string;
  @Field(() => String, { nullable: true, description: 'Why this booking no longer fits availability (kept anyway)' }) conflict: string | null;
}

@ObjectType('ReplanMove', { description: 'A booking moved to the new rhythm (same appointment, new time)' })
export class ReplanMoveType {
  @Field(() => ID) appointmentId: string;
  @Field(() => Int) sessionNumber: number;
  @Field(() => Int) phaseIndex: number;
  @Field() phaseKind: string;
  @Field() fromStartsAt: Date;
  @Field() fromLocalStart: string;
  @Field() startsAt: Date;
  @Field() endsAt: Date;
  @Field() localStart: string;
  @Field(() => String, { nullable: true }) conflict: string | null;
}

@ObjectType('ReplanCancel', { description: 'A booking the new rhythm has no place for: cancelled by the clinic (no late-cancel charge)' })
export class ReplanCancelType {
  @Field(() => ID) appointmentId: string;
  @Field() startsAt: Date;
  @Field() localStart: string;
}

@ObjectType('ReplanAdd', { description: 'A new session the new rhythm needs beyond the bookings there are' })
export class ReplanAddType {
  @Field(() => Int) sessionNumber: number;
  @Field(() => Int) phaseIndex: number;
  @Field() phaseKind: string;
  @Field() startsAt: Date;
  @Field() endsAt: Date;
  @Field() localStart: string;
  @Field(() => Int) durationMinutes: number;
  @Field(() => String, { nullable: true }) conflict: string | null;
}

@ObjectType('ReplanProposal', { description: "The plan's booked series re-planned for its current rhythm; nothing changes until applyReplan" })
export class ReplanProposalType {
  @Field(() => ID) planId: string;
  @Field(() => Int, { description: 'The plan version the proposal was made for (pass it back as expectedPlanVersion)' }) planVersion: number;
  @Field({ description: 'Pass back to applyReplan: it names this exact proposal and the bookings it was made from' }) token: string;
  @Field({ description: "True for a re-assessment not yet accepted: a preview of its next step's schedule, not applicable yet" }) preview: boolean;
  @Field() timeZone: string;
  @Field(() => ID) clinicId: string;
  @Field(() => ID) practitionerId: string;
  @Field({ description: 'e.g. "keeps 2, moves 0, cancels 6, adds 1"' }) summary: string;
  @Field(() => Boolean) hasConflicts: boolean;
  @Field(() => [ReplanKeepType]) keep: ReplanKeepType[];
  @Field(() => [ReplanMoveType]) move: ReplanMoveType[];
  @Field(() => [ReplanCancelType]) cancel: ReplanCancelType[];
  @Field(() => [ReplanAddType]) add: ReplanAddType[];
}

@InputType()
export class ApplyReplanInput {
  @Field(() => ID) planId: string;
  @Field({ description: 'The token of the proposal the person saw' }) proposalToken: string;
  @Field(() => Int) expectedPlanVersion: number;
}

@ObjectType('ReplanResult')
export class ReplanResultType {
  @Field(() => ID) planId: string;
  @Field(() => [AppointmentType]) kept: AppointmentType[];
  @Field(() => [AppointmentType]) moved: AppointmentType[];
  @Field(() => [AppointmentType]) cancelled: AppointmentType[];
  @Field(() => [AppointmentType]) added: AppointmentType[];
}
