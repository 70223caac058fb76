#!/usr/bin/env node
/**
 * Runs the embedded PostgreSQL until SIGINT/SIGTERM. Used by `npm start` when no
 * DATABASE_URL is given: `node packages/db/dist/embedded/cli.js`, with
 * EMBEDDED_DB_DIR, EMBEDDED_DB_PORT and EMBEDDED_DB_PASSWORD. Prints `ready at <url>`
 * (without the password) once the application database accepts connections.
 */
import path from 'node:path';
import { EmbeddedDbError, startEmbeddedPostgres } from './embedded';

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.EMBEDDED_DB_DIR ?? '.data/postgres');
  const port = Number(process.env.EMBEDDED_DB_PORT ?? 54329);
  const password = process.env.EMBEDDED_DB_PASSWORD;
  if (!password) throw new EmbeddedDbError('EMBEDDED_DB_PASSWORD is not set (npm start keeps one in .data/db-password).');
  const pg = await startEmbeddedPostgres({
    dataDir,
    port,
    password,
    database: process.env.EMBEDDED_DB_NAME ?? 'fascia',
    onLog: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`embedded PostgreSQL ready at ${pg.displayUrl} (data in ${dataDir})\n`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await pg.stop();
    process.stdout.write('embedded PostgreSQL stopped cleanly\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGHUP', () => void stop());
  await pg.exited;
  if (!stopping) {
    process.stderr.write('embedded PostgreSQL exited unexpectedly (see its log above)\n');
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded PostgreSQL failed to start: ${err instanceof EmbeddedDbError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
