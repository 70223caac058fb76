import { Client } from '@fascia/db';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { pickColumns } from '../../common/plain-rows';
import { fieldsAt } from '../../common/selection';
import { CLIENT_COLUMNS } from '../practitioner-task/practitioner-task.resolver';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import { ClientConnection, ClientType, CreateClientInput, UpdateClientInput } from './client.types';

/** Client demographics: every member may manage them (front desk included). Clinical records hang off Client in their own modules. */
@Resolver(() => ClientType)
export class ClientResolver {
  @Authorized()
  @Query(() => ClientConnection, { description: 'Clients by last name; search matches name, email or phone digits' })
  clients(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Arg('clinicId', () => ID, { nullable: true }) clinicId: string | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<Client>> {
    // Only the columns the page's query shows (issue 10; plain-rows.ts `pickColumns`).
    const columns = pickColumns(ctx.db.dataSource.getMetadata(Client), fieldsAt(info, [['nodes'], ['edges', 'node']]), CLIENT_COLUMNS);
    return ctx.services.clients.list(tenant, { first, after, search, clinicId }, columns);
  }

  @Authorized()
  @Query(() => ClientType, { nullable: true })
  client(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Client | null> {
    return ctx.services.clients.get(tenant, id);
  }

  @Authorized()
  @Mutation(() => ClientType)
  createClient(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateClientInput) input: CreateClientInput,
  ): Promise<Client> {
    return ctx.services.clients.create(tenant, input);
  }

  @Authorized()
  @Mutation(() => ClientType)
  updateClient(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateClientInput) input: UpdateClientInput,
  ): Promise<Client> {
    return ctx.services.clients.update(tenant, id, input);
  }
}
