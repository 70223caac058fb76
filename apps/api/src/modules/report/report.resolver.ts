import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import type { Role } from '@fascia/db';
import { ReportScope, ReportType } from './report.types';

/** Who may read reports: organization admins (any clinic), clinic managers (their clinics). */
export const REPORT_ROLES: Role[] = ['ORG_ADMIN', 'CLINIC_MANAGER'];

/** One query per report, all of one shape (docs/reports.md). Clinic scope is applied in the service. */
@Resolver(() => ReportType)
export class ReportResolver {
  @Authorized(REPORT_ROLES)
  @Query(() => ReportType, { description: 'Booked minutes ÷ available minutes (practitioner hours within opening hours)' })
  utilisationReport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('scope', () => ReportScope) scope: ReportScope): Promise<ReportType> {
    return ctx.services.reports.report(tenant, 'utilisation', scope);
  }

  @Authorized(REPORT_ROLES)
  @Query(() => ReportType, { description: 'Booked, completed, no-shows, late cancels and cancels, as counts and rates' })
  attendanceReport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('scope', () => ReportScope) scope: ReportScope): Promise<ReportType> {
    return ctx.services.reports.report(tenant, 'attendance', scope);
  }

  @Authorized(REPORT_ROLES)
  @Query(() => ReportType, { description: "Sessions per plan against the plan's expected range" })
  planSessionsReport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('scope', () => ReportScope) scope: ReportScope): Promise<ReportType> {
    return ctx.services.reports.report(tenant, 'plan-sessions', scope);
  }

  @Authorized(REPORT_ROLES)
  @Query(() => ReportType, { description: 'Mean pain change from baseline and the share of plans reaching their benchmark' })
  outcomesReport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('scope', () => ReportScope) scope: ReportScope): Promise<ReportType> {
    return ctx.services.reports.report(tenant, 'outcomes', scope);
  }

  @Authorized(REPORT_ROLES)
  @Query(() => ReportType, { description: 'Plans by pain change ("-10".."10"), and how many reached their benchmark (groupBy is ignored)' })
  outcomeDistributionReport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('scope', () => ReportScope) scope: ReportScope): Promise<ReportType> {
    return ctx.services.reports.report(tenant, 'outcome-distribution', scope);
  }

  @Authorized(REPORT_ROLES)
  @Query(() => ReportType, { description: "Re-assessments on time, late and missed against the plan's cadence" })
  reassessmentTimelinessReport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('scope', () => ReportScope) scope: ReportScope): Promise<ReportType> {
    return ctx.services.reports.report(tenant, 'reassessment-timeliness', scope);
  }

  @Authorized(REPORT_ROLES)
  @Query(() => ReportType, { description: 'Referrals sent and received, acceptance rate and time to accept' })
  referralFlowReport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('scope', () => ReportScope) scope: ReportScope): Promise<ReportType> {
    return ctx.services.reports.report(tenant, 'referral-flow', scope);
  }

  @Authorized(REPORT_ROLES)
  @Query(() => ReportType, { description: 'Clients in maintenance who booked within their interval' })
  retentionReport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('scope', () => ReportScope) scope: ReportScope): Promise<ReportType> {
    return ctx.services.reports.report(tenant, 'retention', scope);
  }

  @Authorized(REPORT_ROLES)
  @Query(() => ReportType, { description: 'New and returning clients' })
  clientsReport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('scope', () => ReportScope) scope: ReportScope): Promise<ReportType> {
    return ctx.services.reports.report(tenant, 'clients', scope);
  }
}
