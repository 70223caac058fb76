import { Practitioner } from '@fascia/db';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import type { Loaders as RequestLoaders } from '../../loaders';
import { CurrentTenant, Loaders, Parent } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import { ClinicType } from '../clinic/clinic.types';
import { toAvailabilityDto, type AvailabilityDto } from './practitioner.service';
import {
  AvailabilityInput,
  AvailabilityType,
  CreatePractitionerInput,
  DisciplineEnum,
  PractitionerConnection,
  PractitionerType,
  UpdatePractitionerInput,
} from './practitioner.types';
import type { Clinic, Discipline } from '@fascia/db';

@Resolver(() => PractitionerType)
export class PractitionerResolver {
  @Authorized()
  @Query(() => PractitionerConnection, { description: 'Practitioners by name; clinicId keeps those with availability there' })
  practitioners(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('clinicId', () => ID, { nullable: true }) clinicId: string | null,
    @Arg('discipline', () => DisciplineEnum, { nullable: true }) discipline: Discipline | null,
  ): Promise<Page<Practitioner>> {
    return ctx.services.practitioners.list(tenant, { first, after, clinicId, discipline });
  }

  @Authorized()
  @Query(() => PractitionerType, { nullable: true })
  practitioner(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Practitioner | null> {
    return ctx.services.practitioners.get(tenant, id);
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Mutation(() => PractitionerType)
  createPractitioner(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreatePractitionerInput) input: CreatePractitionerInput,
  ): Promise<Practitioner> {
    return ctx.services.practitioners.create(tenant, input);
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Mutation(() => PractitionerType)
  updatePractitioner(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdatePractitionerInput) input: UpdatePractitionerInput,
  ): Promise<Practitioner> {
    return ctx.services.practitioners.update(tenant, id, input);
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Mutation(() => PractitionerType, {
    description: "Replaces the practitioner's weekly availability at the clinics your role reaches (windows elsewhere stay); at least one window — clearPractitionerAvailability removes a clinic's",
  })
  setPractitionerAvailability(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('practitionerId', () => ID) practitionerId: string,
    @Arg('windows', () => [AvailabilityInput]) windows: AvailabilityInput[],
  ): Promise<Practitioner> {
    return ctx.services.practitioners.setAvailability(tenant, practitionerId, windows);
  }

  @Authorized('ORG_ADMIN', 'CLINIC_MANAGER')
  @Mutation(() => PractitionerType, { description: "Removes every availability window of the practitioner at one clinic" })
  clearPractitionerAvailability(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('practitionerId', () => ID) practitionerId: string,
    @Arg('clinicId', () => ID) clinicId: string,
  ): Promise<Practitioner> {
    return ctx.services.practitioners.clearAvailability(tenant, practitionerId, clinicId);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => PractitionerType, { description: "Links a member's login to the practitioner: they then record clinical work as this practitioner" })
  linkPractitionerLogin(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('practitionerId', () => ID) practitionerId: string,
    @Arg('userId', () => ID) userId: string,
  ): Promise<Practitioner> {
    return ctx.services.practitioners.linkLogin(tenant, practitionerId, userId);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => PractitionerType, { description: "Removes the practitioner's login link (the login keeps its membership)" })
  unlinkPractitionerLogin(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('practitionerId', () => ID) practitionerId: string): Promise<Practitioner> {
    return ctx.services.practitioners.unlinkLogin(tenant, practitionerId);
  }

  @FieldResolver(() => [AvailabilityType])
  async availability(@Parent() p: Practitioner, @Loaders() loaders: RequestLoaders): Promise<AvailabilityDto[]> {
    return (await loaders.availabilityByPractitioner.load(p.id)).map(toAvailabilityDto);
  }
}

@Resolver(() => AvailabilityType)
export class AvailabilityResolver {
  @FieldResolver(() => ClinicType)
  async clinic(@Parent() a: AvailabilityDto, @Loaders() loaders: RequestLoaders): Promise<Clinic> {
    return (await loaders.clinicById.load(a.clinicId)) as Clinic;
  }
}
