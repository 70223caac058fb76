import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedOptions {
  /** Where PGlite keeps its files; kept between runs. */
  dataDir: string;
  port: number;
  host?: string;
}

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WebAssembly, served on a local port so TypeORM, pg and
 * BullMQ connect to it like to any server. All connections share one session:
 * correct but serial — right for one clinic on a laptop, not for a chain.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  mkdirSync(options.dataDir, { recursive: true });
  // The contrib entry points ship typed as ES modules only; load them dynamically.
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  const db = await PGlite.create(options.dataDir, { extensions: { btree_gist } });
  // BullMQ pins search_path through a startup option that the socket server ignores.
  await db.exec(`CREATE SCHEMA IF NOT EXISTS bullmq; SET search_path TO public, bullmq;`);
  const server = new PGLiteSocketServer({ db, port: options.port, host, maxConnections: 200 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@${host}:${options.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
