import { REMINDER_STATUSES, type Channel, type ReminderKind, type ReminderStatus } from '@fascia/db';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../common/pagination';
import { ChannelEnum } from '../client/client.types';
import { ReminderKindEnum } from '../reminder-policy/reminder-policy.types';

export const ReminderStatusEnum = Object.fromEntries(REMINDER_STATUSES.map((s) => [s, s])) as { [K in ReminderStatus]: K };
registerEnumType(ReminderStatusEnum, {
  name: 'ReminderStatus',
  description: 'SCHEDULED (waiting), SENT, SKIPPED (not sent, with the reason), CANCELLED (the appointment changed), FAILED (will retry), DEAD (gave up)',
});

@ObjectType('QueueCounts', { description: "One BullMQ queue's state (shared by every organization: counts only)" })
export class QueueCountsType {
  @Field() key: string;
  @Field() name: string;
  @Field(() => Int) waiting: number;
  @Field(() => Int) active: number;
  @Field(() => Int) delayed: number;
  @Field(() => Int) failed: number;
  @Field(() => Int) completed: number;
  @Field(() => Int, { nullable: true, description: 'Seconds the oldest waiting job has waited' }) oldestWaitingSeconds: number | null;
}

@ObjectType('DeliveryAttempt', { description: 'A message to a person: its status, attempts and the provider reference' })
export class DeliveryAttemptType {
  @Field(() => ID) id: string;
  @Field() deliveryKey: string;
  @Field() channel: string;
  @Field() recipient: string;
  @Field() template: string;
  @Field() status: string;
  @Field(() => Int) attempts: number;
  @Field(() => String, { nullable: true }) providerRef: string | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field() createdAt: Date;
}

@ObjectType('FailedReminder')
export class FailedReminderType {
  @Field(() => ID) id: string;
  @Field() kind: string;
  @Field() channel: string;
  @Field() status: string;
  @Field(() => Int) attempts: number;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => ID, { nullable: true }) appointmentId: string | null;
  @Field(() => ID, { nullable: true }) planId: string | null;
  @Field(() => ID) clientId: string;
  @Field() sendAt: Date;
}

@ObjectType('DeadLetterJob', { description: 'A job of this organization that the worker gave up on (its attempts spent): retry it or discard it' })
export class DeadLetterJobType {
  @Field({ description: 'The queue key: notifications or scheduling' }) queue: string;
  @Field(() => ID) jobId: string;
  @Field({ description: 'The job: reminder.send, staff.invitation.send, …' }) name: string;
  @Field(() => Int) attemptsMade: number;
  @Field(() => String, { nullable: true, description: 'The error of its last attempt' }) failedReason: string | null;
  @Field(() => Date, { nullable: true }) failedAt: Date | null;
  @Field(() => [String], { description: 'The deliveries it gave up on (delivery keys), made sendable again by a retry' }) deliveryKeys: string[];
}

@InputType({ description: 'A dead-lettered job: its queue key and id (QueueHealth.failedJobs)' })
export class DeadLetterInput {
  @Field() queue: string;
  @Field(() => ID) jobId: string;
  @Field(() => String, { nullable: true, description: 'Why it is discarded (kept in the audit log)' }) reason?: string | null;
}

@ObjectType('DeadLetterOutcome')
export class DeadLetterOutcomeType {
  @Field() queue: string;
  @Field(() => ID) jobId: string;
  @Field() name: string;
  @Field({ description: 'RETRIED (waiting to run again) or DISCARDED (removed)' }) action: string;
}

@ObjectType('QueueHealth', { description: "The worker's queues and this organization's dead letters" })
export class QueueHealthType {
  @Field(() => [QueueCountsType]) queues: QueueCountsType[];
  @Field(() => [DeadLetterJobType], { description: 'This organization’s jobs the worker gave up on, newest first' }) failedJobs: DeadLetterJobType[];
  @Field(() => [DeliveryAttemptType], { description: 'FAILED and DEAD deliveries, newest first' }) deadLetters: DeliveryAttemptType[];
  @Field(() => [FailedReminderType], { description: 'FAILED and DEAD reminders, newest first' }) failedReminders: FailedReminderType[];
}

@ObjectType('ReminderLogEntry', { description: 'One reminder: when it was (or is to be) sent, to whom, on which channel, and what became of it' })
export class ReminderLogEntryType {
  @Field(() => ID) id: string;
  @Field(() => ReminderKindEnum) kind: ReminderKind;
  @Field(() => ChannelEnum) channel: Channel;
  @Field(() => ReminderStatusEnum) status: ReminderStatus;
  @Field({ description: 'When it goes (or went) out, after quiet hours' }) sendAt: Date;
  @Field({ description: 'When it fell due' }) dueAt: Date;
  @Field(() => Int) attempts: number;
  @Field(() => String, { nullable: true, description: 'Why it was skipped, failed or cancelled' }) lastError: string | null;
  @Field(() => ID) clientId: string;
  @Field() clientName: string;
  @Field(() => ID, { nullable: true }) clinicId: string | null;
  @Field(() => String, { nullable: true }) clinicName: string | null;
  @Field(() => ID, { nullable: true }) appointmentId: string | null;
  @Field(() => Date, { nullable: true }) appointmentStartsAt: Date | null;
  @Field({ description: 'The last change: when it was sent, skipped or failed' }) updatedAt: Date;
}

export const ReminderLogConnection = Connection(ReminderLogEntryType, 'ReminderLog');

@InputType({ description: 'Every field narrows the delivery log' })
export class ReminderLogFilter {
  @Field(() => ReminderStatusEnum, { nullable: true }) status?: ReminderStatus | null;
  @Field(() => ChannelEnum, { nullable: true }) channel?: Channel | null;
  @Field(() => ReminderKindEnum, { nullable: true }) kind?: ReminderKind | null;
  @Field(() => ID, { nullable: true }) clinicId?: string | null;
  @Field(() => ID, { nullable: true }) clientId?: string | null;
  @Field(() => Date, { nullable: true, description: 'Send time from (inclusive)' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Send time before (exclusive)' }) to?: Date | null;
}
