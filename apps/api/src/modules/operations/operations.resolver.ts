import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import type { QueueHealthReport } from './operations.service';
import { QueueHealthType } from './operations.types';

@Resolver()
export class OperationsResolver {
  @Authorized('ORG_ADMIN')
  @Query(() => QueueHealthType, { description: 'Queue counts (waiting, active, delayed, failed, completed, oldest waiting) and the dead-letter view' })
  queueHealth(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('limit', () => Int, { defaultValue: 50 }) limit: number): Promise<QueueHealthReport> {
    return ctx.services.operations.queueHealth(tenant, limit);
  }
}
