import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { CLINICAL_ROLES } from '../../auth/scope';
import type { Chart } from './chart.service';
import { ClientChartType } from './chart.types';

@Resolver(() => ClientChartType)
export class ChartResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => ClientChartType, { nullable: true, description: "A client's chart: plans with versions, intakes, appointments with notes, re-assessments, and the pain/function trajectory" })
  clientChart(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('clientId', () => ID) clientId: string): Promise<Chart | null> {
    return ctx.services.chart.get(tenant, clientId);
  }
}
