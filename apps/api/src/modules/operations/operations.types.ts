import { Field, ID, Int, ObjectType } from 'type-graphql';

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

@ObjectType('QueueHealth', { description: "The worker's queues and this organization's dead letters" })
export class QueueHealthType {
  @Field(() => [QueueCountsType]) queues: QueueCountsType[];
  @Field(() => [DeliveryAttemptType], { description: 'FAILED and DEAD deliveries, newest first' }) deadLetters: DeliveryAttemptType[];
  @Field(() => [FailedReminderType], { description: 'FAILED and DEAD reminders, newest first' }) failedReminders: FailedReminderType[];
}
