import { Cluster, type ClusterOptions } from 'ioredis';
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
import { z } from 'zod';
import type { JobName } from './registry';

/**
 * Where the queues live. Production runs Redis; a clinic on a laptop (or any setup
 * without `REDIS_URL`) runs BullMQ's PostgreSQL backend in the application database,
 * in its own schema. The job code is the same for both.
 */
export type QueueBackendConfig =
  | {
      kind: 'redis';
      /**
       * `redis://` or `rediss://` for one Redis server; `redis+cluster://` or `rediss+cluster://`
       * with a comma-separated list of seed nodes for a Redis Cluster (see {@link redisClusterFromUrl}).
       */
      url: string;
      /**
       * Redis key prefix (BullMQ's `prefix`); tests use a unique one per file. Default `fascia`.
       * On a cluster each queue's prefix becomes the hash tag `{<prefix>:<queue name>}` ({@link redisPrefixFor}).
       */
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

/**
 * REDIS_URL → Redis (ioredis; one server, or a cluster with `redis+cluster://`); otherwise
 * DATABASE_URL → BullMQ's PostgreSQL backend. A REDIS_URL or QUEUE_PREFIX that cannot work is
 * refused here, at startup, with the variable named.
 */
export function queueBackendFromEnv(env: NodeJS.ProcessEnv): QueueBackendConfig {
  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl) {
    const prefix = env.QUEUE_PREFIX?.trim() || undefined;
    const url = RedisEnv.safeParse({ REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });
    if (!url.success) throw new Error(`Invalid queue settings: ${url.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return { kind: 'redis', url: redisUrl, prefix };
  }
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
    if (isRedisClusterUrl(raw)) return redactRedisUrl(raw);
    try {
      const u = new URL(raw);
      if (u.password) u.password = '***';
      return u.toString();
    } catch {
      return '(unparseable url)';
    }
  };
  return cfg.kind === 'redis'
    ? `redis${isRedisClusterUrl(cfg.url) ? ' cluster' : ''} ${redact(cfg.url)} prefix=${redisPrefixFor(cfg, '<queue>')}`
    : `postgres ${redact(cfg.connectionString)} schema=${cfg.schema ?? DEFAULT_PG_SCHEMA}`;
}

/** ioredis options from a redis:// or rediss:// URL. BullMQ builds (and closes) its own clients from them. */
export function redisOptionsFromUrl(raw: string): RedisOptions {
  const u = new URL(raw);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis:// or rediss:// (or redis+cluster:// for a Redis Cluster), got ${u.protocol}`);
  }
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

/** True for a `redis+cluster://` or `rediss+cluster://` URL. */
export function isRedisClusterUrl(raw: string): boolean {
  return /^rediss?\+cluster:\/\//i.test(raw.trim());
}

/** A Redis Cluster's seed nodes and the options of every node connection, from its URL. */
export interface RedisClusterSettings {
  nodes: { host: string; port: number }[];
  redisOptions: Pick<RedisOptions, 'username' | 'password' | 'tls'>;
}

/**
 * Parses `redis+cluster://[user:password@]host:port[,host:port…]` (`rediss+cluster://` for TLS):
 * the seed nodes ioredis asks for the cluster's layout (one is enough; list several so a node
 * that is down at start does not matter), and the credentials every node shares. A cluster has
 * only database 0, so a path other than `/` or `/0` is refused.
 */
export function redisClusterFromUrl(raw: string): RedisClusterSettings {
  const m = /^(rediss?)\+cluster:\/\/([^/?#]*)(\/[^?#]*)?([?#].*)?$/i.exec(raw.trim());
  if (!m) throw new Error('a cluster URL looks like redis+cluster://[user:password@]host:port,host:port (rediss+cluster:// for TLS)');
  const [, scheme, authority, path] = m;
  if (path && path !== '/' && path !== '/0') throw new Error(`a Redis Cluster has only database 0, got "${path.slice(1)}"`);
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const hostList = at >= 0 ? authority.slice(at + 1) : authority;
  const colon = userinfo.indexOf(':');
  const decode = (v: string): string | undefined => (v ? decodeURIComponent(v) : undefined);
  const username = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
  const password = decode(colon >= 0 ? userinfo.slice(colon + 1) : '');
  const nodes = hostList.split(',').map((entry) => {
    const node = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::([0-9]{1,5}))?$/i.exec(entry.trim());
    const port = node?.[3] === undefined ? 6379 : Number(node[3]);
    if (!node || !(port >= 1 && port <= 65535)) throw new Error(`"${entry}" is not a host:port node of the cluster`);
    return { host: node[1] ?? node[2], port };
  });
  return { nodes, redisOptions: { username, password, tls: scheme.toLowerCase() === 'rediss' ? {} : undefined } };
}

/** The REDIS_URL and QUEUE_PREFIX rules, checked at startup by {@link queueBackendFromEnv}. */
const RedisEnv = z
  .object({
    REDIS_URL: z.string().superRefine((raw, ctx) => {
      try {
        if (isRedisClusterUrl(raw)) redisClusterFromUrl(raw);
        else redisOptionsFromUrl(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof TypeError ? `${redactRedisUrl(raw)} is not a URL` : (err as Error).message });
      }
    }),
    QUEUE_PREFIX: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    // On one server a prefix with braces (the old advice for clusters) still works as it did.
    if (e.QUEUE_PREFIX !== undefined && isRedisClusterUrl(e.REDIS_URL) && !/^[^{}\s]+$/.test(e.QUEUE_PREFIX)) {
      ctx.addIssue({ code: 'custom', path: ['QUEUE_PREFIX'], message: 'on a Redis Cluster the prefix must have no braces or spaces: each queue gets its own hash tag {<prefix>:<queue>}' });
    }
  });

/** A Redis URL with its password hidden, for logs and errors (the cluster form is not a WHATWG URL). */
function redactRedisUrl(raw: string): string {
  return raw.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/**
 * The BullMQ prefix of one queue. BullMQ names a queue's keys `<prefix>:<queue>:<type>` and a
 * Lua script touches several of them at once, which Redis Cluster allows only within one hash
 * slot: on a cluster the prefix is the hash tag `{<prefix>:<queue>}`, so all of a queue's keys
 * hash alike (the part between the first `{` and `}`) and each queue may live on its own node.
 * One server keeps the plain prefix (the keys of existing deployments are unchanged).
 */
export function redisPrefixFor(cfg: Extract<QueueBackendConfig, { kind: 'redis' }>, queueName: string): string {
  const prefix = cfg.prefix ?? DEFAULT_REDIS_PREFIX;
  return isRedisClusterUrl(cfg.url) ? `{${prefix}:${queueName}}` : prefix;
}

/**
 * An ioredis Cluster for a queue or worker. `lazyConnect`: BullMQ connects it when it first
 * needs it (a worker duplicates it). Workers need
 * `maxRetriesPerRequest: null` on the node connections (a blocking read must not give up) and a
 * client-side `blockingTimeout` (a read stuck on a dead connection returns empty after it);
 * queues keep ioredis's default, so a write during a failover fails and its caller retries
 * (the outbox relay backs off and hands the rows over again).
 */
function redisCluster(url: string, opts: { blocking: boolean }): Cluster {
  const { nodes, redisOptions } = redisClusterFromUrl(url);
  const options: ClusterOptions = {
    lazyConnect: true,
    enableReadyCheck: true,
    // A replica's promotion takes a few seconds: commands wait (offline queue) and retry on
    // CLUSTERDOWN / TRYAGAIN / a MOVED after the failover instead of failing at once.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    // blockingTimeout: a blocking read (BullMQ's BZPOPMIN on the queue's marker) caught on a
    // connection that died in a failover otherwise waits forever, and the worker with it (seen in
    // the cluster test); with it the read returns empty and BullMQ fetches again.
    // commandTimeout (queues): a command sent to a node that died is rejected after 15 s instead of
    // holding its caller (the relay's tick, /readyz) until the process restarts.
    redisOptions: { ...redisOptions, ...(opts.blocking ? { maxRetriesPerRequest: null, blockingTimeout: 10_000 } : { commandTimeout: 15_000 }) },
  };
  return new Cluster(nodes, options);
}

/** A queue on a cluster: BullMQ leaves a client it was handed open, so the queue closes its own. */
class ClusterQueue extends Queue {
  constructor(
    name: string,
    opts: QueueOptions,
    private readonly ownClient: Cluster,
  ) {
    super(name, opts);
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      await this.ownClient.quit().catch(() => this.ownClient.disconnect());
    }
  }
}

/**
 * A worker on a cluster. BullMQ duplicates the client it is handed (one for commands, one for
 * the blocking read) and closes the duplicates; the client itself it leaves open, and left open
 * it keeps refreshing its view of the cluster after the worker is gone: closed here.
 */
class ClusterWorker extends Worker {
  constructor(
    name: string,
    processor: Processor,
    opts: WorkerOptions,
    private readonly ownClient: Cluster,
  ) {
    super(name, processor, opts);
  }

  override async close(force = false): Promise<void> {
    try {
      await super.close(force);
    } finally {
      this.ownClient.disconnect();
    }
  }
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
    if (isRedisClusterUrl(cfg.url)) {
      const client = redisCluster(cfg.url, { blocking: false });
      return new ClusterQueue(name, { connection: client, prefix: redisPrefixFor(cfg, name), defaultJobOptions }, client) as unknown as JobQueue;
    }
    const options: QueueOptions = { connection: redisOptionsFromUrl(cfg.url), prefix: redisPrefixFor(cfg, name), defaultJobOptions };
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
    if (isRedisClusterUrl(cfg.url)) {
      const client = redisCluster(cfg.url, { blocking: true });
      return new ClusterWorker(name, processor as Processor, { ...common, connection: client, prefix: redisPrefixFor(cfg, name) }, client) as unknown as JobWorker;
    }
    const options: WorkerOptions = { ...common, connection: { ...redisOptionsFromUrl(cfg.url), maxRetriesPerRequest: null }, prefix: redisPrefixFor(cfg, name) };
    return new Worker(name, processor, options) as unknown as JobWorker;
  }
  const pg = withBackend(createPostgresBackend);
  return new pg.Worker(name, processor as never, { ...common, connection: postgresConnection(cfg) }) as unknown as JobWorker;
}
