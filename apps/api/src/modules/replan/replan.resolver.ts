import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { CLINICAL_ROLES } from '../../auth/scope';
import { toReplanDto, type ReplanApplied } from './replan.service';
import { ApplyReplanInput, ReplanProposalType, ReplanResultType } from './replan.types';

@Resolver(() => ReplanProposalType)
export class ReplanResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => ReplanProposalType, {
    description: "The plan's booked series re-planned for its current rhythm (keep, move, cancel, add, in the clinic's zone). Name the plan, or a re-assessment (not yet accepted: a preview)",
  })
  async proposeReplan(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('planId', () => ID, { nullable: true }) planId: string | null,
    @Arg('reassessmentId', () => ID, { nullable: true }) reassessmentId: string | null,
  ): Promise<ReplanProposalType> {
    return toReplanDto(await ctx.services.replans.propose(tenant, { planId, reassessmentId }));
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReplanResultType, { description: 'Applies the proposal the person saw, in one transaction; CONFLICT when the plan or its bookings changed since' })
  applyReplan(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => ApplyReplanInput) input: ApplyReplanInput): Promise<ReplanApplied> {
    return ctx.services.replans.apply(tenant, { ...input });
  }
}
