import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import type { DeadLetterOutcome, QueueHealthReport, ReminderLogEntry } from './operations.service';
import { DeadLetterInput, DeadLetterOutcomeType, QueueHealthType, ReminderLogConnection, ReminderLogFilter } from './operations.types';

@Resolver()
export class OperationsResolver {
  @Authorized('ORG_ADMIN')
  @Query(() => QueueHealthType, { description: 'Queue counts (waiting, active, delayed, failed, completed, oldest waiting) and the dead-letter view' })
  queueHealth(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('limit', () => Int, { defaultValue: 50 }) limit: number): Promise<QueueHealthReport> {
    return ctx.services.operations.queueHealth(tenant, limit);
  }

  @Authorized('ORG_ADMIN')
  @Query(() => ReminderLogConnection, { description: 'The delivery log: every reminder (sent, skipped with its reason, failed, cancelled, waiting), newest send time first' })
  reminderLog(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ReminderLogFilter, { nullable: true }) filter: ReminderLogFilter | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<ReminderLogEntry>> {
    return ctx.services.operations.reminderLog(tenant, { filter: { ...filter }, first, after });
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => DeadLetterOutcomeType, { description: 'Runs a dead-lettered job of your organization again from its first attempt (what it gave up on becomes sendable again); audited' })
  retryDeadLetter(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => DeadLetterInput) input: DeadLetterInput): Promise<DeadLetterOutcome> {
    return ctx.services.operations.retryDeadLetter(tenant, { ...input });
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => DeadLetterOutcomeType, { description: 'Removes a dead-lettered job of your organization for good (its delivery stays DEAD in the log); audited with the reason' })
  discardDeadLetter(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => DeadLetterInput) input: DeadLetterInput): Promise<DeadLetterOutcome> {
    return ctx.services.operations.discardDeadLetter(tenant, { ...input });
  }
}
