import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { ReminderPolicyInput, ReminderPolicyType, ReminderPreviewInput, ReminderPreviewType } from './reminder-policy.types';

@Resolver(() => ReminderPolicyType)
export class ReminderPolicyResolver {
  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Query(() => ReminderPolicyType, { description: "The clinic's reminder policy, or the default (isDefault) when it has none" })
  reminderPolicy(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('clinicId', () => ID) clinicId: string): Promise<ReminderPolicyType> {
    return ctx.services.reminderPolicies.get(tenant, clinicId);
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Mutation(() => ReminderPolicyType, { description: "Sets (replaces) the clinic's reminder policy; validated as the worker validates it" })
  setReminderPolicy(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('clinicId', () => ID) clinicId: string,
    @Arg('input', () => ReminderPolicyInput) input: ReminderPolicyInput,
  ): Promise<ReminderPolicyType> {
    return ctx.services.reminderPolicies.set(tenant, clinicId, input);
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Query(() => ReminderPreviewType, { description: 'Renders a template (or the built-in one) with sample values, as the worker would; an unknown placeholder is BAD_USER_INPUT naming it' })
  reminderPreview(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('clinicId', () => ID) clinicId: string,
    @Arg('input', () => ReminderPreviewInput) input: ReminderPreviewInput,
  ): Promise<ReminderPreviewType> {
    return ctx.services.reminderPolicies.preview(tenant, clinicId, input);
  }
}
