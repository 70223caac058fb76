#!/usr/bin/env node
import { migrate } from '../data-source';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start sets it to the embedded database when you have none)');
  const applied = await migrate(url);
  process.stdout.write(applied.length ? `migrations applied: ${applied.join(', ')}\n` : 'database schema is up to date\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
