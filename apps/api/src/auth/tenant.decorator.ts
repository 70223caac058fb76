import { createParameterDecorator } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../context';
import type { Loaders } from '../loaders';
import { unauthenticated } from '../common/errors';

export function requireTenant(context: GraphQLContext): Tenant {
  if (!context.tenant) throw context.authError ?? unauthenticated();
  return context.tenant;
}

/** Hands the resolver the request's tenant; throws UNAUTHENTICATED when there is none. */
export function CurrentTenant() {
  return createParameterDecorator<GraphQLContext>(({ context }) => requireTenant(context));
}

/** Hands the resolver the request's DataLoaders (tenant-scoped). */
export function Loaders() {
  return createParameterDecorator<GraphQLContext>(({ context }): Loaders => {
    requireTenant(context);
    return context.loaders as Loaders;
  });
}
