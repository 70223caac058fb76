import { ROLES, type ReferralEvent, type ShareableRecordType } from '@fascia/db';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import { CLINICAL_ROLES } from '../../auth/scope';
import {
  AcceptReferralInput,
  AssignReferralInput,
  CompleteReferralInput,
  CreateReferralInput,
  LinkReferralClientInput,
  ReferralConnection,
  ReferralDraftType,
  ReferralEventType,
  ReferralFilter,
  ReferralReasonInput,
  ReferralType,
  SharedRecordsType,
  SharedRecordTypeEnum,
} from './referral.types';

/** Everyone who books (front desk too) sees the inbox and links a referred client; clinical steps need a clinical role. */
const ALL_ROLES = [...ROLES];

@Resolver(() => ReferralType)
export class ReferralResolver {
  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReferralType, { description: 'A referral from a client’s chart: DRAFT, or SENT at once with `send: true`' })
  createReferral(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => CreateReferralInput) input: CreateReferralInput): Promise<ReferralType> {
    return ctx.services.referrals.create(tenant, input);
  }

  @Authorized(...CLINICAL_ROLES)
  @Query(() => ReferralDraftType, { nullable: true, description: 'A referral pre-filled from a re-assessment’s REFER / STOP_AND_REFER advice (nothing stored)' })
  referralDraftFromNextStep(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('reassessmentId', () => ID) reassessmentId: string): Promise<ReferralDraftType | null> {
    return ctx.services.referrals.draftFromNextStep(tenant, reassessmentId);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReferralType, { description: 'DRAFT → SENT (the referrer): delivered to the receiver with the consent’s grants' })
  sendReferral(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<ReferralType> {
    return ctx.services.referrals.send(tenant, id);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReferralType, { description: 'The referrer cancels an open referral (DRAFT, SENT, ACCEPTED, SCHEDULED), with a reason; access ends' })
  cancelReferral(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => ReferralReasonInput) input: ReferralReasonInput): Promise<ReferralType> {
    return ctx.services.referrals.cancel(tenant, input.id, input.reason, input.expectedStatus ?? null);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReferralType, { description: 'COMPLETED → CLOSED (the referrer, once the reply is read); access ends' })
  closeReferral(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<ReferralType> {
    return ctx.services.referrals.close(tenant, id);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReferralType, { description: 'The client withdrew consent: the receiver’s access to the shared records ends at once; the referral stays' })
  withdrawReferralConsent(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => ReferralReasonInput) input: ReferralReasonInput): Promise<ReferralType> {
    return ctx.services.referrals.withdrawConsent(tenant, input.id, input.reason, input.expectedStatus ?? null);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReferralType, { description: 'SENT → ACCEPTED (the receiver)' })
  acceptReferral(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => AcceptReferralInput) input: AcceptReferralInput): Promise<ReferralType> {
    return ctx.services.referrals.accept(tenant, input.id, input.note ?? null, input.expectedStatus ?? null);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReferralType, { description: 'SENT → DECLINED (the receiver), with a reason; access ends' })
  declineReferral(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => ReferralReasonInput) input: ReferralReasonInput): Promise<ReferralType> {
    return ctx.services.referrals.decline(tenant, input.id, input.reason, input.expectedStatus ?? null);
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Mutation(() => ReferralType, { description: 'A pool referral is assigned to a practitioner of the receiving clinic (by its manager)' })
  assignReferral(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => AssignReferralInput) input: AssignReferralInput): Promise<ReferralType> {
    return ctx.services.referrals.assign(tenant, input.id, input.practitionerId);
  }

  @Authorized(...ALL_ROLES)
  @Mutation(() => ReferralType, { description: 'Links the referred client to a client record of your organization (existing, or created from what the referral carries)' })
  linkReferralClient(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => LinkReferralClientInput) input: LinkReferralClientInput): Promise<ReferralType> {
    return ctx.services.referrals.linkClient(tenant, input);
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => ReferralType, { description: 'SCHEDULED → COMPLETED with the reply (findings, treatment, recommendations, onward referral), which the referrer sees' })
  completeReferral(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => CompleteReferralInput) input: CompleteReferralInput): Promise<ReferralType> {
    return ctx.services.referrals.complete(tenant, input.id, input.reply);
  }

  @Authorized(...ALL_ROLES)
  @Query(() => ReferralType, { nullable: true, description: 'One referral, from your side (SENT or RECEIVED)' })
  referral(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<ReferralType | null> {
    return ctx.services.referrals.get(tenant, id);
  }

  @Authorized(...CLINICAL_ROLES)
  @Query(() => ReferralConnection, { description: 'Referrals your organization sent (from the clinics you reach), newest first' })
  referralsOutbox(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ReferralFilter, { nullable: true }) filter: ReferralFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<ReferralType>> {
    return ctx.services.referrals.outbox(tenant, filter, first, after);
  }

  @Authorized(...ALL_ROLES)
  @Query(() => ReferralConnection, { description: 'Referrals sent to your organization (to the clinics you reach), newest first' })
  referralsInbox(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ReferralFilter, { nullable: true }) filter: ReferralFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<ReferralType>> {
    return ctx.services.referrals.inbox(tenant, filter, first, after);
  }

  @Authorized(...CLINICAL_ROLES)
  @Query(() => [ReferralType], { description: 'The referrals made for one client of your organization' })
  clientReferrals(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('clientId', () => ID) clientId: string): Promise<ReferralType[]> {
    return ctx.services.referrals.forClient(tenant, clientId);
  }

  @Authorized(...CLINICAL_ROLES)
  @Query(() => SharedRecordsType, {
    description: 'The records the client consented to share with you on a referral you received; FORBIDDEN once consent was withdrawn or the referral ended. Every read is audited with its grant.',
  })
  referralSharedRecords(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('referralId', () => ID) referralId: string,
    @Arg('types', () => [SharedRecordTypeEnum], { nullable: true, description: 'Only these (default: every consented type)' }) types: ShareableRecordType[] | null,
  ): Promise<SharedRecordsType> {
    return ctx.services.referrals.sharedRecords(tenant, referralId, types);
  }

  @FieldResolver(() => [ReferralEventType], { description: 'The timeline on your side: who changed what, when and why' })
  async events(@Root() referral: ReferralType, @Loaders() loaders: RequestLoaders): Promise<ReferralEventType[]> {
    const rows: ReferralEvent[] = await loaders.referralEventsByReferral.load(referral.id);
    return rows.map((e) => ({
      id: e.id,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorName: e.actorName,
      byOwnOrganization: e.actorOrganizationId === referral.organizationId,
      reason: e.reason,
      at: e.at,
    }));
  }
}
