import type { Membership, Practitioner, User } from '@fascia/db';
import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders, Parent } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import { UserType } from '../organization/organization.types';
import { PractitionerType } from '../practitioner/practitioner.types';
import type { InvitationDto } from './staff.service';
import { InvitationType, InviteStaffInput, MemberConnection, MemberType } from './staff.types';

@Resolver(() => MemberType)
export class StaffResolver {
  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Query(() => MemberConnection, { description: 'Staff memberships, oldest first' })
  members(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('status', () => String, { nullable: true, description: 'Only INVITED or only ACTIVE memberships (e.g. the count of pending invitations); null: both' })
    status: string | null,
  ): Promise<Page<Membership>> {
    return ctx.services.staff.members(tenant, { first, after, status });
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Mutation(() => InvitationType, { description: 'Invite a person to a role; they receive an email with a link to accept' })
  inviteStaff(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => InviteStaffInput) input: InviteStaffInput): Promise<InvitationDto> {
    return ctx.services.staff.invite(tenant, input);
  }

  @FieldResolver(() => UserType, { description: 'For an INVITED member: only what the inviter typed (email, name) until they accept' })
  async user(@Parent() m: Membership, @Loaders() loaders: RequestLoaders): Promise<UserType> {
    if (m.status === 'INVITED') {
      const inv = await loaders.invitationByMembership.load(m.id);
      return { id: m.userId, email: inv?.email ?? '', displayName: inv?.displayName ?? inv?.email ?? '', status: 'INVITED' };
    }
    return (await loaders.userById.load(m.userId)) as User;
  }

  @FieldResolver(() => PractitionerType, { nullable: true, description: "The practitioner record this member's login acts as" })
  practitioner(@Parent() m: Membership, @Loaders() loaders: RequestLoaders): Promise<Practitioner | null> {
    return loaders.practitionerByUser.load(m.userId);
  }
}
