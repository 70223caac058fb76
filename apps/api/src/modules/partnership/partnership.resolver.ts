import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import {
  DirectoryConnection,
  DirectoryEntryType,
  DirectoryFilter,
  EndPartnershipInput,
  InvitePartnerInput,
  ReferralPartnerType,
  RespondToPartnerInvitationInput,
} from './partnership.types';

@Resolver(() => ReferralPartnerType)
export class PartnershipResolver {
  @Authorized()
  @Query(() => [ReferralPartnerType], { description: 'Your organization’s referral partnerships and invitations, newest first (everyone in the organization may read them)' })
  referralPartners(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext): Promise<ReferralPartnerType[]> {
    return ctx.services.partnerships.list(tenant);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => ReferralPartnerType, { description: 'Invites another organization, named by its slug, to be a referral partner' })
  invitePartner(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => InvitePartnerInput) input: InvitePartnerInput): Promise<ReferralPartnerType> {
    return ctx.services.partnerships.invite(tenant, input);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => ReferralPartnerType, { description: 'Accepts (ACTIVE) or declines (DECLINED) an invitation your organization received' })
  respondToPartnerInvitation(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => RespondToPartnerInvitationInput) input: RespondToPartnerInvitationInput,
  ): Promise<ReferralPartnerType> {
    return ctx.services.partnerships.respond(tenant, input);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => ReferralPartnerType, {
    description: 'Ends a partnership or withdraws an open invitation (either side). No new referral can then be sent between the two; open referrals run their course (docs/referrals.md)',
  })
  endPartnership(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => EndPartnershipInput) input: EndPartnershipInput): Promise<ReferralPartnerType> {
    return ctx.services.partnerships.end(tenant, input);
  }

  @Authorized()
  @Query(() => DirectoryConnection, {
    description: 'Who can receive a referral: practitioners and clinic pools of your organization and its ACTIVE partners, ordered own organization first',
  })
  referralDirectory(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => DirectoryFilter, { nullable: true }) filter: DirectoryFilter | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<DirectoryEntryType>> {
    return ctx.services.directory.list(tenant, { filter, first, after });
  }
}
