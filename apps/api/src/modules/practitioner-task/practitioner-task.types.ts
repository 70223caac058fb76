import { PRACTITIONER_TASK_KINDS, type PlanStatusCode, type PractitionerTaskKind, type PractitionerTaskStatus } from '@fascia/db';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../common/pagination';
import { PlanStatusEnum } from '../treatment-plan/treatment-plan.types';

export const TASK_STATUSES = ['OPEN', 'DONE', 'DISMISSED'] as const satisfies readonly PractitionerTaskStatus[];
export const TaskStatusEnum = Object.fromEntries(TASK_STATUSES.map((s) => [s, s])) as { [K in PractitionerTaskStatus]: K };
registerEnumType(TaskStatusEnum, { name: 'TaskStatus', description: 'OPEN until a practitioner completes (DONE) or dismisses it' });
export const TaskKindEnum = Object.fromEntries(PRACTITIONER_TASK_KINDS.map((k) => [k, k])) as { [K in PractitionerTaskKind]: K };
registerEnumType(TaskKindEnum, { name: 'PractitionerTaskKind', description: 'REASSESSMENT_DUE or PLAN_REVIEW (written by the worker’s sweeps)' });

@ObjectType('TaskPlan', { simpleResolvers: true, description: 'The plan a task is about: its id and status (not its content)' })
export class TaskPlanType {
  @Field(() => ID) id: string;
  @Field(() => PlanStatusEnum) status: PlanStatusCode;
  @Field(() => Int) currentVersion: number;
}

@ObjectType('PractitionerTask', { simpleResolvers: true, description: 'Something a practitioner should do: a re-assessment due, a plan to review (with the reason)' })
export class PractitionerTaskType {
  @Field(() => ID) id: string;
  @Field(() => ID) clinicId: string;
  @Field(() => TaskKindEnum) kind: PractitionerTaskKind;
  @Field() reason: string;
  @Field(() => ID) practitionerId: string;
  @Field(() => ID) clientId: string;
  @Field(() => ID, { nullable: true }) planId: string | null;
  @Field() dueAt: Date;
  @Field(() => TaskStatusEnum) status: PractitionerTaskStatus;
  @Field(() => Date, { nullable: true }) resolvedAt: Date | null;
  @Field(() => ID, { nullable: true, description: 'The user who completed or dismissed it' }) resolvedBy: string | null;
  @Field() createdAt: Date;
}

export const PractitionerTaskConnection = Connection(PractitionerTaskType, 'PractitionerTask');
