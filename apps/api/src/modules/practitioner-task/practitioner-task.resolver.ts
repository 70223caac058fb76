import { Client, PractitionerTask, type Practitioner, type TreatmentPlanRecord } from '@fascia/db';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import { ClientType } from '../client/client.types';
import { PractitionerType } from '../practitioner/practitioner.types';
import { PractitionerTaskConnection, PractitionerTaskType, TaskPlanType, TaskStatusEnum } from './practitioner-task.types';
import { CLINICAL_ROLES } from '../../auth/scope';


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
  ): Promise<Page<PractitionerTask>> {
    return ctx.services.practitionerTasks.list(tenant, { status, practitionerId, first, after });
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

  @FieldResolver(() => ClientType, { nullable: true })
  client(@Root() task: PractitionerTask, @Loaders() loaders: RequestLoaders): Promise<Client | null> {
    return loaders.clientById.load(task.clientId);
  }

  @FieldResolver(() => TaskPlanType, { nullable: true })
  plan(@Root() task: PractitionerTask, @Loaders() loaders: RequestLoaders): Promise<TreatmentPlanRecord | null> | null {
    return task.planId ? loaders.planById.load(task.planId) : null;
  }

  @FieldResolver(() => PractitionerType, { nullable: true })
  practitioner(@Root() task: PractitionerTask, @Loaders() loaders: RequestLoaders): Promise<Practitioner | null> {
    return loaders.practitionerById.load(task.practitionerId);
  }
}
