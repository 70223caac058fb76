import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { CLINICAL_ROLES } from '../../auth/scope';
import type { MyDay } from './my-day.service';
import { MyDayType } from './my-day.types';

@Resolver(() => MyDayType)
export class MyDayResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => MyDayType, {
    nullable: true,
    description:
      "A practitioner's day in one statement: today's appointments at each of their clinics, each client's last pain score and open tasks. Without practitionerId, the caller's own (null: no practitioner record linked). A practitioner sees only their own; a clinic manager anyone's at their clinics.",
  })
  async myDay(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('practitionerId', () => ID, { nullable: true }) practitionerId: string | null): Promise<MyDay | null> {
    const day = await ctx.services.myDay.get(tenant, { practitionerId });
    // The appointments' clinics were read with the day: their time zones load nothing more.
    if (day && ctx.loaders) for (const c of day.clinicRows) ctx.loaders.clinicById.prime(c.id, c);
    return day;
  }
}
