import { Clinic, Room } from '@fascia/db';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders, Parent } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import { ClinicConnection, ClinicType, CreateClinicInput, CreateRoomInput, RoomType, UpdateClinicInput } from './clinic.types';

@Resolver(() => ClinicType)
export class ClinicResolver {
  @Authorized()
  @Query(() => ClinicConnection, { description: 'The clinics you can see, by name' })
  clinics(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<Clinic>> {
    return ctx.services.clinics.list(tenant, { first, after });
  }

  @Authorized()
  @Query(() => ClinicType, { nullable: true })
  clinic(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Clinic | null> {
    return ctx.services.clinics.get(tenant, id);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => ClinicType)
  createClinic(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => CreateClinicInput) input: CreateClinicInput): Promise<Clinic> {
    return ctx.services.clinics.create(tenant, input);
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Mutation(() => ClinicType)
  updateClinic(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateClinicInput) input: UpdateClinicInput,
  ): Promise<Clinic> {
    return ctx.services.clinics.update(tenant, id, input);
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Mutation(() => RoomType)
  createRoom(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('input', () => CreateRoomInput) input: CreateRoomInput): Promise<Room> {
    return ctx.services.clinics.createRoom(tenant, input);
  }

  @FieldResolver(() => [RoomType])
  rooms(@Parent() clinic: Clinic, @Loaders() loaders: RequestLoaders): Promise<Room[]> {
    return loaders.roomsByClinic.load(clinic.id);
  }
}
