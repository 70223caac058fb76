import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { GraphQLContext } from '../context';
import type { Loaders } from '../loaders';
import { requireTenant } from '../auth/tenant.decorator';

/**
 * Field resolvers run once per row of a long list (an appointment's practitioner, a task's
 * client) installed as plain graphql-js resolvers (issue 10, docs/architecture.md "Hot reads"):
 * type-graphql declares the field (its type, nullability, description), then `getSchema` replaces
 * the field's `resolve` with the function named here. type-graphql's own wrapper builds a
 * `resolverData` object, looks the resolver class up in its container, sorts and maps the
 * parameter list into a new array and calls each parameter decorator — per field per row.
 *
 * Only for fields whose type-graphql declaration has no `@Authorized` and no middleware:
 * `installPlainResolvers` refuses (at start-up) to replace one that does, so a role check can
 * never be dropped this way. A field resolver that checks roles per row does it itself with
 * `hasRole` (auth/auth-checker.ts), as `Appointment.note` does.
 */
export type PlainResolver<TParent> = GraphQLFieldResolver<TParent, GraphQLContext>;
export type PlainResolvers<TParent> = Readonly<Record<string, PlainResolver<TParent>>>;

/**
 * The request's loaders, as `@Loaders()` hands them: UNAUTHENTICATED without a tenant (the
 * loaders exist exactly when a tenant does). A plain resolver calls it before anything else, so
 * it refuses as the decorator did.
 */
export function loadersOf(ctx: GraphQLContext): Loaders {
  if (ctx.loaders) return ctx.loaders;
  requireTenant(ctx);
  return ctx.loaders as unknown as Loaders;
}

/**
 * Replaces `resolve` of the named fields (`{ TypeName: { field: resolver } }`). Throws when a
 * type or field does not exist, when the field is not a type-graphql field resolver, or when
 * its declaration carries roles or middlewares (they would be silently dropped).
 */
export function installPlainResolvers(schema: GraphQLSchema, table: Readonly<Record<string, PlainResolvers<never>>>): GraphQLSchema {
  const storage = getMetadataStorage();
  for (const [typeName, fields] of Object.entries(table)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`installPlainResolvers: no object type ${typeName}`);
    const typeFields = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = typeFields[fieldName];
      if (!field) throw new Error(`installPlainResolvers: no field ${typeName}.${fieldName}`);
      // Arguments are type-graphql's to convert (and input-guard's to check): not for a plain resolver.
      if (field.args.length > 0) throw new Error(`installPlainResolvers: ${typeName}.${fieldName} takes arguments`);
      const declared = storage.fieldResolvers.filter((r) => r.schemaName === fieldName && r.getObjectType && objectTypeName(storage, r.getObjectType()) === typeName);
      if (declared.length !== 1) throw new Error(`installPlainResolvers: ${typeName}.${fieldName} is not one type-graphql field resolver`);
      const d = declared[0];
      // `@Authorized()` leaves `roles` as [] (a tenant is needed); without it, undefined.
      if (d.roles !== undefined || (d.middlewares?.length ?? 0) > 0) {
        throw new Error(`installPlainResolvers: ${typeName}.${fieldName} has @Authorized or a middleware; it must keep type-graphql's resolver`);
      }
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}

/** The GraphQL name type-graphql gave the class `target` (@ObjectType('Name') or the class name). */
function objectTypeName(storage: ReturnType<typeof getMetadataStorage>, target: unknown): string | undefined {
  return storage.objectTypes.find((t) => t.target === target)?.name;
}
