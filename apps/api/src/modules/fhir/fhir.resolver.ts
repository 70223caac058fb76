import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { FhirExportType } from './fhir.types';

@Resolver()
export class FhirExportResolver {
  @Authorized('ORG_ADMIN')
  @Query(() => [FhirExportType], { description: 'The organization’s FHIR exports, newest first (the last 20)' })
  fhirExports(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext): Promise<FhirExportType[]> {
    return ctx.services.fhir.listExports(tenant);
  }

  @Authorized('ORG_ADMIN')
  @Query(() => FhirExportType, { nullable: true, description: 'One FHIR export, with its progress' })
  fhirExport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<FhirExportType | null> {
    return ctx.services.fhir.getExport(tenant, id);
  }

  @Authorized('ORG_ADMIN')
  @Mutation(() => FhirExportType, { description: 'Starts a whole-organization FHIR export (the worker writes it; follow it with fhirExport)' })
  startFhirExport(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext): Promise<FhirExportType> {
    return ctx.services.fhir.startExport(tenant);
  }
}
