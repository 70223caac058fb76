import {
  Queue,
  Worker,
  createPostgresBackend,
  withBackend,
  type IQueueBackend,
  type JobsOptions,
  type Processor,
  type QueueOptions,
  type RedisOptions,
  type WorkerOptions,
} from 'bullmq';
import { QUEUE_ROLE } from '@fascia/db';
import type { JobName } from './registry';

/**
 * Where the queues live. Production runs Redis; a clinic on a laptop (or any setup
 * without `REDIS_URL`) runs BullMQ's PostgreSQL backend in the application database,
 * in its own schema. The job code is the same for both.
 */
export type QueueBackendConfig =
  | {
      kind: 'redis';
      url: string;
      /** Redis key prefix (BullMQ's `prefix`); tests use a unique one per file. Default `fascia`. */
      prefix?: string;
    }
  | {
      kind: 'postgres';
      connectionString: string;
      /** Schema that holds BullMQ's tables. Default `bullmq`. */
      schema?: string;
      /** Pool size of each queue / worker connection. Default 4. */
      poolSize?: number;
    };

export const DEFAULT_REDIS_PREFIX = 'fascia';
export const DEFAULT_PG_SCHEMA = 'bullmq';

/** The variables {@link queueBackendFromEnv} reads (besides DATABASE_URL); infra/k8s/manifests.test.ts checks against them. */
export const QUEUE_ENV_KEYS = ['REDIS_URL', 'QUEUE_PREFIX', 'QUEUE_PG_SCHEMA', 'QUEUE_PG_POOL_SIZE'] as const;

/** REDIS_URL → Redis (ioredis); otherwise DATABASE_URL → BullMQ's PostgreSQL backend. */
export function queueBackendFromEnv(env: NodeJS.ProcessEnv): QueueBackendConfig {
  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl) return { kind: 'redis', url: redisUrl, prefix: env.QUEUE_PREFIX?.trim() || undefined };
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    const poolSize = env.QUEUE_PG_POOL_SIZE?.trim() ? Number(env.QUEUE_PG_POOL_SIZE) : undefined;
    if (poolSize !== undefined && !(Number.isInteger(poolSize) && poolSize >= 1 && poolSize <= 100)) throw new Error('QUEUE_PG_POOL_SIZE must be a whole number from 1 to 100');
    return { kind: 'postgres', connectionString: databaseUrl, schema: env.QUEUE_PG_SCHEMA?.trim() || undefined, poolSize };
  }
  throw new Error('No queue backend: set REDIS_URL (Redis) or DATABASE_URL (BullMQ on PostgreSQL)');
}

/** Describes the backend without its credentials, for logs. */
export function describeQueueBackend(cfg: QueueBackendConfig): string {
  const redact = (raw: string): string => {
    try {
      const u = new URL(raw);
      if (u.password) u.password = '***';
      return u.toString();
    } catch {
      return '(unparseable url)';
    }
  };
  return cfg.kind === 'redis'
    ? `redis ${redact(cfg.url)} prefix=${cfg.prefix ?? DEFAULT_REDIS_PREFIX}`
    : `postgres ${redact(cfg.connectionString)} schema=${cfg.schema ?? DEFAULT_PG_SCHEMA}`;
}

/** ioredis options from a redis:// or rediss:// URL. BullMQ builds (and closes) its own clients from them. */
export function redisOptionsFromUrl(raw: string): RedisOptions {
  const u = new URL(raw);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`REDIS_URL must start with redis:// or rediss://, got ${u.protocol}`);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: db ? Number(db) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/** A queue on either backend. Job names are the registry's. */
export type JobQueue = Queue<unknown, unknown, JobName, unknown, unknown, JobName, IQueueBackend, unknown>;
export type JobWorker = Worker<unknown, unknown, JobName, IQueueBackend>;
export type JobProcessor = Processor<unknown, unknown, JobName>;

/** Job options for the queue's own bookkeeping: completed jobs are kept a while so a re-sent jobId is recognised. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * BullMQ's PostgreSQL connections work as `fascia_queue` (set at connection startup), the
 * role that holds only the queue schema, whatever login the URL names (the apps' runtime
 * login, or the owner in tests). The schema is created and upgraded by the migration
 * step (`migrateQueueSchema` in @fascia/db); here BullMQ only checks that it fits.
 */
function postgresConnection(cfg: Extract<QueueBackendConfig, { kind: 'postgres' }>) {
  return {
    connectionString: cfg.connectionString,
    schema: cfg.schema ?? DEFAULT_PG_SCHEMA,
    options: `-c role=${QUEUE_ROLE}`,
    max: cfg.poolSize ?? 4,
  };
}

export function createQueue(name: string, cfg: QueueBackendConfig, opts: { defaultJobOptions?: JobsOptions } = {}): JobQueue {
  const defaultJobOptions = { ...DEFAULT_JOB_OPTIONS, ...opts.defaultJobOptions };
  if (cfg.kind === 'redis') {
    const options: QueueOptions = { connection: redisOptionsFromUrl(cfg.url), prefix: cfg.prefix ?? DEFAULT_REDIS_PREFIX, defaultJobOptions };
    return new Queue(name, options) as unknown as JobQueue;
  }
  const pg = withBackend(createPostgresBackend);
  return new pg.Queue(name, { connection: postgresConnection(cfg), defaultJobOptions }) as unknown as JobQueue;
}

export interface CreateWorkerOptions {
  concurrency?: number;
  /** Start processing immediately (default) or wait for `worker.run()`. */
  autorun?: boolean;
  /** How long a job stays locked to its worker; a job whose worker died runs again after it. Default 30 s. */
  lockDuration?: number;
  /** How often stalled jobs are looked for. Default: the lock duration. */
  stalledInterval?: number;
}

export function createWorker(name: string, processor: JobProcessor, cfg: QueueBackendConfig, opts: CreateWorkerOptions = {}): JobWorker {
  const lockDuration = opts.lockDuration ?? 30_000;
  const common = { concurrency: opts.concurrency ?? 5, autorun: opts.autorun ?? true, lockDuration, stalledInterval: opts.stalledInterval ?? lockDuration };
  if (cfg.kind === 'redis') {
    const options: WorkerOptions = { ...common, connection: { ...redisOptionsFromUrl(cfg.url), maxRetriesPerRequest: null }, prefix: cfg.prefix ?? DEFAULT_REDIS_PREFIX };
    return new Worker(name, processor, options) as unknown as JobWorker;
  }
  const pg = withBackend(createPostgresBackend);
  return new pg.Worker(name, processor as never, { ...common, connection: postgresConnection(cfg) }) as unknown as JobWorker;
}
