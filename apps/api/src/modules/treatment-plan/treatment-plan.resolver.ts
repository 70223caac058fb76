import type { Client, TreatmentPlanRecord } from '@fascia/db';
import type { PlanProposal } from '@fascia/planning';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders, Parent } from '../../auth/tenant.decorator';
import { ClientType } from '../client/client.types';
import { CLINICAL_ROLES } from '../../auth/scope';
import { toPlanBody } from './treatment-plan.mapping';
import { EditPlanInput, PlanBodyType, PlanVersionType, SettablePlanStatusEnum, TreatmentPlanType, type SettableStatus } from './treatment-plan.types';

@Resolver(() => TreatmentPlanType)
export class TreatmentPlanResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => TreatmentPlanType, { nullable: true })
  plan(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<TreatmentPlanRecord | null> {
    return ctx.services.plans.get(tenant, id);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => TreatmentPlanType, {
    description: "Proposes a plan from an intake (the planning package's proposal, every number with its reason and evidence) and keeps it as a PROPOSED plan",
  })
  proposePlan(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('intakeId', () => ID) intakeId: string): Promise<TreatmentPlanRecord> {
    return ctx.services.plans.propose(tenant, intakeId);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => TreatmentPlanType, { description: 'Accepts a proposed plan: ACTIVE, as a new version. One active plan per complaint.' })
  acceptPlan(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('planId', () => ID) planId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<TreatmentPlanRecord> {
    return ctx.services.plans.accept(tenant, planId, reason);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => TreatmentPlanType, { description: 'Edits a plan as a new version that keeps who, when and why' })
  editPlan(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('planId', () => ID) planId: string,
    @Arg('input', () => EditPlanInput) input: EditPlanInput,
  ): Promise<TreatmentPlanRecord> {
    return ctx.services.plans.edit(tenant, planId, JSON.parse(JSON.stringify(input)));
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => TreatmentPlanType, { description: 'Moves a plan to maintenance by hand, or completes or discontinues it' })
  setPlanStatus(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('planId', () => ID) planId: string,
    @Arg('status', () => SettablePlanStatusEnum) status: SettableStatus,
    @Arg('reason', () => String) reason: string,
  ): Promise<TreatmentPlanRecord> {
    return ctx.services.plans.setStatus(tenant, planId, status, reason);
  }

  @FieldResolver(() => PlanBodyType)
  async current(@Parent() plan: TreatmentPlanRecord, @Loaders() loaders: RequestLoaders): Promise<PlanBodyType> {
    const versions = await loaders.planVersionsByPlan.load(plan.id);
    const v = versions.find((x) => x.version === plan.currentVersion) ?? versions[0];
    return toPlanBody(v.body as unknown as PlanProposal);
  }

  @FieldResolver(() => [PlanVersionType], { description: 'Every version, newest first' })
  async versions(@Parent() plan: TreatmentPlanRecord, @Loaders() loaders: RequestLoaders): Promise<PlanVersionType[]> {
    return (await loaders.planVersionsByPlan.load(plan.id)).map((v) => ({
      version: v.version,
      changeKind: v.changeKind,
      reason: v.reason,
      changedBy: v.changedBy,
      changedAt: v.changedAt,
      body: toPlanBody(v.body as unknown as PlanProposal),
    }));
  }
}

@Resolver(() => ClientType)
export class ClientPlansResolver {
  @Authorized(...CLINICAL_ROLES)
  @FieldResolver(() => [TreatmentPlanType], { description: 'Treatment plans, newest first (clinical: not for the front desk)' })
  plans(@Parent() client: Client, @Loaders() loaders: RequestLoaders): Promise<TreatmentPlanRecord[]> {
    return loaders.plansByClient.load(client.id);
  }
}
