#!/usr/bin/env node
/**
 * `npm run migrate`: applies the migrations and the queue schema as the owner
 * (MIGRATION_DATABASE_URL, else DATABASE_URL). With RUNTIME_DB_PASSWORD it also creates or
 * updates the apps' login (RUNTIME_DB_ROLE, default fascia_runtime): `npm start` does so.
 */
import { migrate } from '../data-source';
import { RUNTIME_ROLE, provisionRuntimeLogin } from '../roles';

async function main(): Promise<void> {
  const url = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start sets it to the embedded database when you have none)');
  const applied = await migrate(url, { queueSchema: process.env.QUEUE_PG_SCHEMA?.trim() || undefined });
  process.stdout.write(applied.length ? `migrations applied: ${applied.join(', ')}\n` : 'database schema is up to date\n');
  const password = process.env.RUNTIME_DB_PASSWORD;
  if (password) {
    const role = process.env.RUNTIME_DB_ROLE?.trim() || RUNTIME_ROLE;
    await provisionRuntimeLogin(url, { role, password });
    process.stdout.write(`runtime login ${role} is ready\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
