import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchemaFile } from '../schema-file';

/** Writes apps/api/schema.graphql, which is committed; a test fails when it is stale. */
async function main(): Promise<void> {
  const target = path.resolve(__dirname, '../../schema.graphql');
  writeFileSync(target, await printSchemaFile());
  process.stdout.write(`schema written to ${target}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
