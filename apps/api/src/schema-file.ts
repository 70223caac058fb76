import { lexicographicSortSchema, printSchema } from 'graphql';
import { getSchema } from './schema';

export const SCHEMA_HEADER = '# Generated from the resolvers by `npm run schema`; do not edit. CI fails when it is stale.\n\n';

export async function printSchemaFile(): Promise<string> {
  return SCHEMA_HEADER + printSchema(lexicographicSortSchema(await getSchema())) + '\n';
}
