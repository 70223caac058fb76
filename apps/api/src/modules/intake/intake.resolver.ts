import type { Client } from '@fascia/db';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders, Parent } from '../../auth/tenant.decorator';
import { ClientType } from '../client/client.types';
import { CLINICAL_ROLES } from '../../auth/scope';
import { toIntakeDto } from './intake.service';
import { IntakeType, RecordIntakeInput } from './intake.types';

@Resolver(() => IntakeType)
export class IntakeResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => IntakeType, { nullable: true })
  async intake(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<IntakeType | null> {
    const r = await ctx.services.intakes.get(tenant, id);
    return r ? toIntakeDto(r) : null;
  }

  @Authorized(...CLINICAL_ROLES)
  @Mutation(() => IntakeType, { description: "Validates and screens an intake and stores it as the client's next intake version" })
  async recordIntake(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => RecordIntakeInput) input: RecordIntakeInput,
  ): Promise<IntakeType> {
    return toIntakeDto(await ctx.services.intakes.record(tenant, { ...input }));
  }
}

@Resolver(() => ClientType)
export class ClientIntakesResolver {
  @Authorized(...CLINICAL_ROLES)
  @FieldResolver(() => [IntakeType], { description: 'Intake versions, newest first (clinical: not for the front desk)' })
  async intakes(@Parent() client: Client, @Loaders() loaders: RequestLoaders): Promise<IntakeType[]> {
    return (await loaders.intakesByClient.load(client.id)).map(toIntakeDto);
  }
}
