import { isLivePlan, type TreatmentPlanRecord } from '@fascia/db';
import type { TreatmentPlan } from '@fascia/planning';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders, Parent } from '../../auth/tenant.decorator';
import { CLINICAL_ROLES } from '../../auth/scope';
import { TreatmentPlanType } from '../treatment-plan/treatment-plan.types';
import { reassessmentAnchor, reassessmentDue } from '@fascia/planning';
import { toReassessmentDto } from './reassessment.service';
import { NextReassessmentType, ReassessmentType, RecordReassessmentInput } from './reassessment.types';

@Resolver(() => ReassessmentType)
export class ReassessmentResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => ReassessmentType, { nullable: true })
  async reassessment(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<ReassessmentType | null> {
    const r = await ctx.services.reassessments.get(tenant, id);
    return r ? toReassessmentDto(r) : null;
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReassessmentType, { description: 'Records a re-assessment; the proposed next step waits for acceptReassessment' })
  async recordReassessment(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => RecordReassessmentInput) input: RecordReassessmentInput,
  ): Promise<ReassessmentType> {
    return toReassessmentDto(await ctx.services.reassessments.record(tenant, JSON.parse(JSON.stringify(input))));
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => TreatmentPlanType, { description: "Accepts a re-assessment's proposal: it becomes the plan's next version (change kind = the decision)" })
  acceptReassessment(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<TreatmentPlanRecord> {
    return ctx.services.reassessments.accept(tenant, id, reason);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReassessmentType)
  async dismissReassessment(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<ReassessmentType> {
    return toReassessmentDto(await ctx.services.reassessments.dismiss(tenant, id, reason));
  }
}

@Resolver(() => TreatmentPlanType)
export class PlanReassessmentsResolver {
  @FieldResolver(() => [ReassessmentType], { description: 'Re-assessments of the plan, newest first' })
  async reassessments(@Parent() plan: TreatmentPlanRecord, @Loaders() loaders: RequestLoaders): Promise<ReassessmentType[]> {
    return (await loaders.reassessmentsByPlan.load(plan.id)).map(toReassessmentDto);
  }

  @FieldResolver(() => NextReassessmentType, { nullable: true, description: 'For an active or maintenance plan: when the next re-assessment falls due' })
  async nextReassessment(@Parent() plan: TreatmentPlanRecord, @Ctx() ctx: GraphQLContext, @Loaders() loaders: RequestLoaders): Promise<NextReassessmentType | null> {
    if (!isLivePlan(plan.status)) return null;
    const [versions, reassessments, done] = await Promise.all([
      loaders.planVersionsByPlan.load(plan.id),
      loaders.reassessmentsByPlan.load(plan.id),
      loaders.completedSessionsByPlan.load(plan.id),
    ]);
    const current = versions.find((v) => v.version === plan.currentVersion);
    if (!current) return null;
    const body = current.body as unknown as TreatmentPlan;
    const phase = body.phases[body.currentPhaseIndex];
    // The anchor and the due rule are the planning package's, shared with the worker's sweep.
    const anchor = reassessmentAnchor({ reassessments, versions, phaseStartedAtSession: body.phaseStartedAtSession });
    if (!anchor) return null;
    const due = reassessmentDue({ cadence: phase.reassessment.value, sessionsCompleted: done, ...anchor, now: ctx.services.clock.now() });
    return {
      sessionsCompleted: done,
      dueAtSession: due.dueAtSession,
      sessionsUntilDue: due.sessionsUntilDue,
      dueBy: due.dueBy,
      isDue: due.isDue,
      dueBecauseOf: due.by,
    };
  }
}
