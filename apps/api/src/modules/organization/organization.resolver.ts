import { Organization, User } from '@fascia/db';
import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { MeType } from './organization.types';

@Resolver()
export class OrganizationResolver {
  @Authorized()
  @Query(() => MeType, { description: 'The signed-in user, the organization they act for, and their roles' })
  async me(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext): Promise<MeType> {
    return ctx.db.tenant(tenant, async (tx) => {
      const user = await tx.em.findOneByOrFail(User, { id: tenant.userId });
      const organization = await tx.em.findOneByOrFail(Organization, { id: tenant.organizationId });
      return { user, organization, roles: tenant.roles, clinicIds: tenant.clinicIds ?? [] };
    });
  }
}
