import 'reflect-metadata';
import { DataSource, type Logger, type QueryRunner } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { DEFAULT_QUEUE_SCHEMA, migrateQueueSchema } from './roles';
import { SnakeNamingStrategy } from './naming';

export interface DataSourceOptions {
  /** postgres://… — a real server, or the embedded one `npm start` runs. */
  url: string;
  poolSize?: number;
  applicationName?: string;
  /** Called with every SQL statement sent; tests use it to count statements (no N+1). */
  onQuery?: (sql: string, parameters?: unknown[]) => void;
  /**
   * A role every connection takes at startup (`-c role=…`), as BullMQ's connections take
   * `fascia_queue`. The worker's connections start as `fascia_system`, so a statement of its
   * own needs no transaction to switch role ({@link systemQuery}). `Db.tenant` and `Db.system`
   * still switch role per transaction on such a pool. Such connections also plan prepared
   * statements generically from the first run (`plan_cache_mode=force_generic_plan`): the
   * worker's named statements (systemQuery: one text per batch size) would otherwise be
   * planned again for each of their first five runs on every connection (measured: PostgreSQL
   * CPU per reminder 1.0 → 0.72 ms, docs/worker.md "Throughput"). Unnamed statements (TypeORM's)
   * are planned per run as before.
   */
  sessionRole?: typeof SYSTEM_ROLE;
}

/** The role of the paths that act across organizations (sign-in, the outbox relay, the worker). */
export const SYSTEM_ROLE = 'fascia_system';

const sessionRoles = new WeakMap<DataSource, string>();

/** The role a data source's connections start as (see {@link DataSourceOptions.sessionRole}), if any. */
export const sessionRoleOf = (dataSource: DataSource): string | null => sessionRoles.get(dataSource) ?? null;

class ObservingLogger implements Logger {
  constructor(private readonly onQuery: (sql: string, parameters?: unknown[]) => void) {}
  logQuery(query: string, parameters?: unknown[], _qr?: QueryRunner): void {
    this.onQuery(query, parameters);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

export function createDataSource(options: DataSourceOptions): DataSource {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+; migrations create the extensions
    // the schema needs, so the apps' login (which owns nothing) never tries to.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    applicationName: options.applicationName ?? 'fascia',
    extra: { max: options.poolSize ?? 10, ...(options.sessionRole ? { options: `-c role=${options.sessionRole} -c plan_cache_mode=force_generic_plan` } : {}) },
    ...(options.onQuery ? { logging: ['query'] as const, logger: new ObservingLogger(options.onQuery) } : { logging: false }),
  });
  if (options.sessionRole) sessionRoles.set(dataSource, options.sessionRole);
  return dataSource;
}

/**
 * Applies every pending migration, then brings BullMQ's queue schema (used when there is
 * no Redis) up to date; returns the names of the migrations applied. Run as the owner.
 */
export async function migrate(url: string, options: { queueSchema?: string } = {}): Promise<string[]> {
  const ds = createDataSource({ url, poolSize: 1, applicationName: 'fascia-migrate' });
  await ds.initialize();
  let applied: string[];
  try {
    applied = (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await ds.destroy();
  }
  await migrateQueueSchema(url, options.queueSchema ?? DEFAULT_QUEUE_SCHEMA);
  return applied;
}
