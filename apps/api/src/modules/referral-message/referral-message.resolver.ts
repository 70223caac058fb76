import { ROLES } from '@fascia/db';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders } from '../../auth/tenant.decorator';
import { AppError } from '../../common/errors';
import { ReferralType } from '../referral/referral.types';
import { messageView } from './referral-message.service';
import { PostReferralMessageInput, ReferralMessageType } from './referral-message.types';

/** Everyone who can see a referral on their side may read and write its thread (the front desk arranges bookings there too). */
const MEMBERS = [...ROLES];

@Resolver(() => ReferralMessageType)
export class ReferralMessageResolver {
  @Authorized(...MEMBERS)
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

  @Authorized(...MEMBERS)
  @Query(() => Int, { description: 'Messages by others you have not read, over the referrals your clinics reach (for the navigation badge; counted up to 1,000)' })
  unreadReferralMessages(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.services.referralMessages.unreadTotal(tenant);
  }

  @Authorized(...MEMBERS)
  @Mutation(() => ReferralType, { description: 'Marks the referral’s thread read up to now, for you (your unread count drops to 0)' })
  async markReferralRead(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('referralId', () => ID) referralId: string): Promise<ReferralType> {
    await ctx.services.referralMessages.markRead(tenant, referralId);
    const referral = await ctx.services.referrals.get(tenant, referralId);
    if (!referral) throw new AppError('NOT_FOUND', `No referral with id ${referralId} exists in your organization.`, { id: referralId });
    return referral;
  }
}

/** The thread on a referral, as its side sees it; loaded per request, never per referral. */
@Resolver(() => ReferralType)
export class ReferralThreadResolver {
  @FieldResolver(() => [ReferralMessageType], { description: 'The thread between the two sides, oldest first' })
  async messages(@Root() referral: ReferralType, @CurrentTenant() tenant: Tenant, @Loaders() loaders: RequestLoaders): Promise<ReferralMessageType[]> {
    return (await loaders.messagesByReferral.load(referral.id)).map((m) => messageView(m, tenant));
  }

  @FieldResolver(() => Int, { description: 'Messages by others you have not read yet (markReferralRead)' })
  unreadCount(@Root() referral: ReferralType, @Loaders() loaders: RequestLoaders): Promise<number> {
    return loaders.unreadByReferral.load(referral.id);
  }
}
