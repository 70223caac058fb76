import type { Channel, ReminderKind, ReminderStatus } from '@fascia/db';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AppointmentType } from '../appointment/appointment.types';
import { ChannelEnum, ClientType } from '../client/client.types';
import { ReminderStatusEnum } from '../operations/operations.types';
import { PractitionerTaskType } from '../practitioner-task/practitioner-task.types';
import { ReminderKindEnum } from '../reminder-policy/reminder-policy.types';

export enum TrajectorySource {
  INTAKE = 'INTAKE',
  SESSION_START = 'SESSION_START',
  SESSION_END = 'SESSION_END',
  REASSESSMENT = 'REASSESSMENT',
}
registerEnumType(TrajectorySource, {
  name: 'TrajectorySource',
  description: "Where a point of the pain and function trajectory comes from: the intake's baseline, a session's check-in or its end, a re-assessment",
});

@ObjectType('TrajectoryPoint', { simpleResolvers: true, description: 'One measurement on the client’s pain and function trajectory' })
export class TrajectoryPointType {
  @Field() at: Date;
  @Field(() => TrajectorySource) source: TrajectorySource;
  @Field(() => Float, { nullable: true, description: 'Pain 0–10 (NRS); the mean over complaints where several were scored' })
  painNrs: number | null;
  @Field(() => Float, { nullable: true, description: 'Patient-Specific Functional Scale, mean of its items (0–10)' }) psfs: number | null;
  @Field(() => Float, { nullable: true, description: 'Oswestry Disability Index 0–100' }) odi: number | null;
  @Field(() => Float, { nullable: true, description: 'Neck Disability Index 0–50' }) ndi: number | null;
  @Field(() => ID, { nullable: true }) planId: string | null;
  @Field(() => ID, { nullable: true, description: 'The intake, appointment or re-assessment the point comes from' }) recordId: string | null;
}

@ObjectType('ClientReminder', { simpleResolvers: true, description: 'A reminder to the client (a delivery row): its channel, when it went (or goes) out, and what became of it' })
export class ClientReminderType {
  @Field(() => ID) id: string;
  @Field(() => ReminderKindEnum) kind: ReminderKind;
  @Field(() => ChannelEnum) channel: Channel;
  @Field(() => ReminderStatusEnum, { description: 'SENT, SKIPPED (with the reason), FAILED or DEAD (with the error), CANCELLED, or SCHEDULED (still to go)' })
  status: ReminderStatus;
  @Field({ description: 'When it goes (or went) out, after quiet hours' }) sendAt: Date;
  @Field(() => Int) attempts: number;
  @Field(() => String, { nullable: true, description: 'Why it was skipped, failed or cancelled' }) lastError: string | null;
  @Field(() => ID, { nullable: true }) appointmentId: string | null;
  @Field(() => Date, { nullable: true, description: 'The start of the appointment it is about' }) appointmentStartsAt: Date | null;
  @Field({ description: 'The last change: when it was sent, skipped or failed' }) updatedAt: Date;
}

@ObjectType('ClientChart', { simpleResolvers: true, description: "A client's whole record in one query: plans, intakes, appointments with notes, re-assessments and the trajectory" })
export class ClientChartType {
  @Field(() => ClientType, { description: 'The client; its intakes and plans (with versions and re-assessments) hang from it' }) client: ClientType;
  @Field(() => [AppointmentType], { description: 'Every appointment, oldest first; each carries its session note' }) appointments: AppointmentType[];
  @Field(() => [TrajectoryPointType], { description: 'Pain and function over time, oldest first, to read against the plans’ benchmarks' })
  trajectory: TrajectoryPointType[];
  @Field(() => [PractitionerTaskType], { description: 'The client’s tasks (re-assessments due, plan reviews), open and resolved, by due time' })
  tasks: PractitionerTaskType[];
  @Field(() => [ClientReminderType], { description: 'Reminders to the client at clinics in reach, newest send time first (read only when asked for)' })
  reminders: ClientReminderType[];
}
