import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { CLINICAL_ROLES } from '../../auth/scope';
import type { Loaders } from '../../loaders';
import type { Chart } from './chart.service';
import { ClientChartType } from './chart.types';

@Resolver(() => ClientChartType)
export class ChartResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => ClientChartType, { nullable: true, description: "A client's chart: plans with versions, intakes, appointments with notes, re-assessments, and the pain/function trajectory" })
  async clientChart(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('clientId', () => ID) clientId: string): Promise<Chart | null> {
    const chart = await ctx.services.chart.get(tenant, clientId);
    if (chart && ctx.loaders) primeChart(ctx.loaders, chart);
    return chart;
  }
}

/**
 * Hands what the chart read to the request's DataLoaders, in the order each loader returns
 * its rows, so that the chart's nested fields (a client's intakes and plans, a plan's
 * re-assessments, an appointment's note and clinic) are not read, nor audited, a second time.
 */
export function primeChart(loaders: Loaders, chart: Chart): void {
  const { intakes, plans, notes, reassessments, clinics } = chart.read;
  const clientId = chart.client.id;
  loaders.intakesByClient.prime(clientId, [...intakes].sort((a, b) => b.version - a.version));
  loaders.plansByClient.prime(clientId, plans);
  for (const plan of plans) {
    const mine = reassessments.filter((r) => r.planId === plan.id);
    // The loader's order: newest first, then by id.
    mine.sort((a, b) => b.assessedAt.getTime() - a.assessedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    loaders.reassessmentsByPlan.prime(plan.id, mine);
  }
  const noteOf = new Map(notes.map((n) => [n.appointmentId, n]));
  for (const a of chart.appointments) loaders.noteByAppointment.prime(a.id, noteOf.get(a.id) ?? null);
  for (const c of clinics) loaders.clinicById.prime(c.id, c);
}
