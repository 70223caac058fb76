#!/usr/bin/env node
/**
 * Serves the embedded database until SIGINT/SIGTERM. Used by `npm start` when no
 * DATABASE_URL is given: `node packages/db/dist/embedded/cli.js`.
 */
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded';

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.EMBEDDED_DB_DIR ?? '.data/pglite');
  const port = Number(process.env.EMBEDDED_DB_PORT ?? 54329);
  const pg = await startEmbeddedPostgres({ dataDir, port });
  process.stdout.write(`embedded PostgreSQL (PGlite) ready at ${pg.url} (data in ${dataDir})\n`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded PostgreSQL failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
