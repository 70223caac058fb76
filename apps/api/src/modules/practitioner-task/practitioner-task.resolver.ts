import { Client, PractitionerTask, Practitioner, TreatmentPlanRecord } from '@fascia/db';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders, Parent } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import { ClientType } from '../client/client.types';
import { PractitionerType } from '../practitioner/practitioner.types';
import { PractitionerTaskConnection, PractitionerTaskType, TaskPlanType, TaskStatusEnum } from './practitioner-task.types';
import { CLINICAL_ROLES } from '../../auth/scope';
import { fieldsAt, selects } from '../../common/selection';
import { pickColumns, type ColumnNeeds } from '../../common/plain-rows';
import { loadersOf, type PlainResolvers } from '../../common/plain-resolvers';
import { PRACTITIONER_COLUMNS } from '../appointment/appointment.resolver';
import type { TaskRow } from './practitioner-task.service';

/** The columns each PractitionerTask field reads beyond its own (this file's field resolvers; see plain-rows.ts `pickColumns`). */
const TASK_COLUMNS: ColumnNeeds = { always: ['id', 'dueAt', 'clinicId', 'clientId', 'planId', 'practitionerId'], resolved: { client: ['clientId'], plan: ['planId'], practitioner: ['practitionerId'] } };
/** Client fields beyond its columns: `intakes` (ClientIntakesResolver) and `plans` (ClientPlansResolver) load by its id. */
export const CLIENT_COLUMNS: ColumnNeeds = { always: ['id'], resolved: { intakes: ['id'], plans: ['id'] } };
const TASK_PLAN_COLUMNS: ColumnNeeds = { always: ['id'], resolved: {} };


@Resolver(() => PractitionerTaskType)
export class PractitionerTaskResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => PractitionerTaskConnection, { description: 'Tasks by due time: a practitioner sees their own; a clinic manager or admin all (or one practitioner’s)' })
  practitionerTasks(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('status', () => TaskStatusEnum, { defaultValue: 'OPEN' }) status: PractitionerTask['status'],
    @Arg('practitionerId', () => ID, { nullable: true }) practitionerId: string | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<TaskRow>> {
    // The related rows the page shows are read in the page's statement, only the columns asked for.
    const asks = (field: string) => selects(info, 'nodes', field) || selects(info, 'edges', 'node', field);
    const nodes = [['nodes'], ['edges', 'node']];
    const under = (field: string) => fieldsAt(info, nodes.map((p) => [...p, field]));
    const meta = ctx.db.dataSource.getMetadata.bind(ctx.db.dataSource);
    const columns = {
      task: pickColumns(meta(PractitionerTask), fieldsAt(info, nodes), TASK_COLUMNS),
      client: pickColumns(meta(Client), under('client'), CLIENT_COLUMNS),
      plan: pickColumns(meta(TreatmentPlanRecord), under('plan'), TASK_PLAN_COLUMNS),
      practitioner: pickColumns(meta(Practitioner), under('practitioner'), PRACTITIONER_COLUMNS),
    };
    return ctx.services.practitionerTasks.list(tenant, { status, practitionerId, first, after }, { client: asks('client'), plan: asks('plan'), practitioner: asks('practitioner'), columns });
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => PractitionerTaskType, { description: 'OPEN → DONE (the note is kept in the audit event)' })
  completeTask(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
  ): Promise<PractitionerTask> {
    return ctx.services.practitionerTasks.complete(tenant, id, { note });
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => PractitionerTaskType, { description: 'OPEN → DISMISSED, with the reason (kept in the audit event)' })
  dismissTask(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string): Promise<PractitionerTask> {
    return ctx.services.practitionerTasks.dismiss(tenant, id, { reason });
  }

  // A page's task carries the rows its query asked for (read with it); otherwise one loader batch
  // per request. Installed as plain graphql-js resolvers (PRACTITIONER_TASK_FIELDS, common/plain-resolvers.ts).
  @FieldResolver(() => ClientType, { nullable: true })
  client(@Parent() task: TaskRow, @Loaders() loaders: RequestLoaders): Client | null | Promise<Client | null> {
    return clientOf(task, loaders);
  }

  @FieldResolver(() => TaskPlanType, { nullable: true })
  plan(@Parent() task: TaskRow, @Loaders() loaders: RequestLoaders): TreatmentPlanRecord | null | Promise<TreatmentPlanRecord | null> {
    return planOf(task, loaders);
  }

  @FieldResolver(() => PractitionerType, { nullable: true })
  practitioner(@Parent() task: TaskRow, @Loaders() loaders: RequestLoaders): Practitioner | null | Promise<Practitioner | null> {
    return practitionerOf(task, loaders);
  }
}

const clientOf = (task: TaskRow, loaders: RequestLoaders): Client | null | Promise<Client | null> =>
  task.taskClient !== undefined ? task.taskClient : loaders.clientById.load(task.clientId);

const planOf = (task: TaskRow, loaders: RequestLoaders): TreatmentPlanRecord | null | Promise<TreatmentPlanRecord | null> => {
  if (!task.planId) return null;
  return task.taskPlan !== undefined ? task.taskPlan : loaders.planById.load(task.planId);
};

const practitionerOf = (task: TaskRow, loaders: RequestLoaders): Practitioner | null | Promise<Practitioner | null> =>
  task.taskPractitioner !== undefined ? task.taskPractitioner : loaders.practitionerById.load(task.practitionerId);

/** PractitionerTaskResolver's field resolvers as plain graphql-js resolvers (`getSchema` installs them). */
export const PRACTITIONER_TASK_FIELDS: PlainResolvers<TaskRow> = {
  client: (task, _args, ctx) => clientOf(task, loadersOf(ctx)),
  plan: (task, _args, ctx) => planOf(task, loadersOf(ctx)),
  practitioner: (task, _args, ctx) => practitionerOf(task, loadersOf(ctx)),
};
