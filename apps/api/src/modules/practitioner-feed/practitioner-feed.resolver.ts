import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { PractitionerFeedLinkType, PractitionerFeedType } from './practitioner-feed.types';

/** Any member may call these; the service lets a practitioner manage only their own feed, managers any. */
@Resolver(() => PractitionerFeedType)
export class PractitionerFeedResolver {
  @Authorized()
  @Query(() => PractitionerFeedType, { description: "A practitioner's calendar feed (its state; the token is never shown again)" })
  practitionerFeed(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('practitionerId', () => ID) practitionerId: string): Promise<PractitionerFeedType> {
    return ctx.services.feeds.get(tenant, practitionerId);
  }

  @Authorized()
  @Mutation(() => PractitionerFeedLinkType, { description: 'Makes a new feed URL (the old one stops working); the URL is shown this once' })
  rotatePractitionerFeed(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('practitionerId', () => ID) practitionerId: string,
    @Arg('includeClientNames', () => Boolean, { nullable: true }) includeClientNames?: boolean | null,
  ): Promise<PractitionerFeedLinkType> {
    return ctx.services.feeds.rotate(tenant, practitionerId, includeClientNames);
  }

  @Authorized()
  @Mutation(() => PractitionerFeedType, { description: 'Revokes the feed URL: it answers 404 from now on' })
  revokePractitionerFeed(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('practitionerId', () => ID) practitionerId: string): Promise<PractitionerFeedType> {
    return ctx.services.feeds.revoke(tenant, practitionerId);
  }

  @Authorized()
  @Mutation(() => PractitionerFeedType, { description: "Whether the feed shows clients' full names (otherwise initials)" })
  setPractitionerFeedNames(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('practitionerId', () => ID) practitionerId: string,
    @Arg('includeClientNames', () => Boolean) includeClientNames: boolean,
  ): Promise<PractitionerFeedType> {
    return ctx.services.feeds.setIncludeClientNames(tenant, practitionerId, includeClientNames);
  }
}
