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

/**
 * The parent object of a field resolver, as it is. type-graphql's `@Root()` converts it to the
 * parameter's reflected class on every call: for an entity imported as a type that class is
 * `Function`, so each call compiled a `new Function()` and copied the row onto it (1.4 µs and
 * a function object per field per row — a calendar's 222 appointments × 3 fields); for a value
 * import, a new instance and a copy. The rows here are plain objects the resolvers only read.
 */
export function Parent() {
  return createParameterDecorator<GraphQLContext>(({ root }) => root);
}
