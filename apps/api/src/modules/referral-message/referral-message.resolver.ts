import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { CLINICAL_ROLES } from '../../auth/scope';
import { messageView } from './referral-message.service';
import { PostReferralMessageInput, ReferralMessageType } from './referral-message.types';

@Resolver(() => ReferralMessageType)
export class ReferralMessageResolver {
  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReferralMessageType, {
    description: 'Writes to the other side of a referral (both sides see the message). CONFLICT on a draft or on a closed, cancelled or expired referral',
  })
  async postReferralMessage(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => PostReferralMessageInput) input: PostReferralMessageInput,
  ): Promise<ReferralMessageType> {
    return messageView(await ctx.services.referralMessages.post(tenant, input), tenant);
  }

  @Authorized(...CLINICAL_ROLES)
  @Query(() => Int, { description: 'Messages by others you have not read, over the referrals your clinics reach (for the navigation badge; counted up to 1,000)' })
  unreadReferralMessages(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.services.referralMessages.unreadTotal(tenant);
  }
}
