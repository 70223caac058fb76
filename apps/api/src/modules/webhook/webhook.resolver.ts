import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { WebhookDeliveryType, WebhookEndpointInput, WebhookEndpointPatch, WebhookEndpointType, WebhookEndpointWithSecretType } from './webhook.types';

@Resolver(() => WebhookEndpointType)
export class WebhookResolver {
  @Authorized('ORG_ADMIN')
  @Query(() => [WebhookEndpointType], { description: "The organization's webhook endpoints" })
  webhookEndpoints(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpointType[]> {
    return ctx.services.webhooks.list(tenant);
  }

  @Authorized('ORG_ADMIN')
  @Query(() => [WebhookDeliveryType], { description: "An endpoint's latest deliveries, newest first" })
  webhookDeliveries(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
  ): Promise<WebhookDeliveryType[]> {
    return ctx.services.webhooks.deliveries(tenant, endpointId, first ?? 50);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => WebhookEndpointWithSecretType, { description: 'Registers an endpoint; its secret is in the answer, this once' })
  createWebhookEndpoint(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput) {
    return ctx.services.webhooks.create(tenant, input);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => WebhookEndpointType, { description: 'Changes the URL, description or events, or enables/disables the endpoint' })
  updateWebhookEndpoint(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('patch', () => WebhookEndpointPatch) patch: WebhookEndpointPatch,
  ) {
    return ctx.services.webhooks.update(tenant, id, patch);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => WebhookEndpointWithSecretType, { description: 'A new signing secret; the old one stops working at once' })
  rotateWebhookSecret(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    return ctx.services.webhooks.rotateSecret(tenant, id);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => Boolean, { description: 'Deletes the endpoint and its delivery log' })
  deleteWebhookEndpoint(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    return ctx.services.webhooks.remove(tenant, id);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => ID, { description: 'Queues a webhook.test event to this endpoint; returns the event id' })
  sendTestWebhook(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    return ctx.services.webhooks.sendTest(tenant, id);
  }
}
