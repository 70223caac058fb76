import { describeQueueBackend, isRedisClusterUrl, queueBackendFromEnv, redisClusterFromUrl, redisOptionsFromUrl, redisPrefixFor } from './connection';

describe('queue backend from the environment', () => {
  it('uses Redis when REDIS_URL is set, even with a DATABASE_URL', () => {
    expect(queueBackendFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://x/y' })).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: undefined });
  });
  it("falls back to BullMQ's PostgreSQL backend on DATABASE_URL", () => {
    expect(queueBackendFromEnv({ DATABASE_URL: 'postgres://u@h/db', REDIS_URL: '  ' })).toEqual({ kind: 'postgres', connectionString: 'postgres://u@h/db', schema: undefined });
  });
  it('takes the PostgreSQL backend’s pool size from QUEUE_PG_POOL_SIZE, and refuses a bad one', () => {
    expect(queueBackendFromEnv({ DATABASE_URL: 'postgres://u@h/db', QUEUE_PG_POOL_SIZE: '2' })).toMatchObject({ kind: 'postgres', poolSize: 2 });
    expect(() => queueBackendFromEnv({ DATABASE_URL: 'postgres://u@h/db', QUEUE_PG_POOL_SIZE: '0' })).toThrow(/QUEUE_PG_POOL_SIZE/);
    expect(() => queueBackendFromEnv({ DATABASE_URL: 'postgres://u@h/db', QUEUE_PG_POOL_SIZE: 'many' })).toThrow(/QUEUE_PG_POOL_SIZE/);
  });
  it('fails with a clear message when neither is set', () => {
    expect(() => queueBackendFromEnv({})).toThrow(/REDIS_URL.*DATABASE_URL/);
  });
  it('parses redis URLs into ioredis options', () => {
    expect(redisOptionsFromUrl('rediss://user:p%40ss@cache.internal:6380/2')).toEqual({ host: 'cache.internal', port: 6380, username: 'user', password: 'p@ss', db: 2, tls: {} });
    expect(redisOptionsFromUrl('redis://127.0.0.1')).toMatchObject({ host: '127.0.0.1', port: 6379, db: undefined, tls: undefined });
    expect(() => redisOptionsFromUrl('http://x')).toThrow(/redis:\/\//);
  });
  it('takes a Redis Cluster as redis+cluster:// with its seed nodes, and refuses what cannot work at startup, naming the variable', () => {
    const url = 'redis+cluster://10.0.0.1:7000,10.0.0.2:7001,cache-3.internal';
    expect(queueBackendFromEnv({ REDIS_URL: url, QUEUE_PREFIX: 'fascia' })).toEqual({ kind: 'redis', url, prefix: 'fascia' });
    expect(isRedisClusterUrl(url)).toBe(true);
    expect(isRedisClusterUrl('redis://10.0.0.1:7000')).toBe(false);
    expect(redisClusterFromUrl(url)).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: 'cache-3.internal', port: 6379 },
      ],
      redisOptions: { username: undefined, password: undefined, tls: undefined },
    });
    expect(redisClusterFromUrl('rediss+cluster://app:p%40ss@[::1]:7000/0')).toEqual({ nodes: [{ host: '::1', port: 7000 }], redisOptions: { username: 'app', password: 'p@ss', tls: {} } });
    expect(() => queueBackendFromEnv({ REDIS_URL: 'redis+cluster://h1:7000,h2:99999' })).toThrow(/REDIS_URL: "h2:99999" is not a host:port node/);
    expect(() => queueBackendFromEnv({ REDIS_URL: 'redis+cluster://h1:7000/2' })).toThrow(/REDIS_URL: a Redis Cluster has only database 0/);
    expect(() => queueBackendFromEnv({ REDIS_URL: 'redis+cluster://' })).toThrow(/REDIS_URL: "" is not a host:port node/);
    expect(() => queueBackendFromEnv({ REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL: REDIS_URL must start with redis:\/\//);
    expect(() => queueBackendFromEnv({ REDIS_URL: 'cache:6379:x' })).toThrow(/REDIS_URL/);
    // Braces in the prefix: the old advice for a cluster; now each queue gets its own tag.
    expect(() => queueBackendFromEnv({ REDIS_URL: url, QUEUE_PREFIX: '{fascia}' })).toThrow(/QUEUE_PREFIX: on a Redis Cluster the prefix must have no braces/);
    expect(queueBackendFromEnv({ REDIS_URL: 'redis://h:6379', QUEUE_PREFIX: '{fascia}' })).toMatchObject({ prefix: '{fascia}' });
  });
  it('gives each queue on a cluster its own hash tag, and leaves one server’s keys as they were', () => {
    const cluster = { kind: 'redis', url: 'redis+cluster://h1:7000', prefix: 'fascia' } as const;
    // BullMQ names keys <prefix>:<queue>:<type>: every key of a queue carries {fascia:<queue>}, so one slot per queue.
    expect(redisPrefixFor(cluster, 'fascia-notifications')).toBe('{fascia:fascia-notifications}');
    expect(redisPrefixFor({ kind: 'redis', url: 'redis+cluster://h1:7000' }, 'fascia-scheduling')).toBe('{fascia:fascia-scheduling}');
    expect(redisPrefixFor({ kind: 'redis', url: 'redis://h:6379' }, 'fascia-notifications')).toBe('fascia');
    expect(redisPrefixFor({ kind: 'redis', url: 'redis://h:6379', prefix: 'x' }, 'fascia-notifications')).toBe('x');
  });
  it('never logs a password', () => {
    expect(describeQueueBackend({ kind: 'redis', url: 'redis+cluster://app:secret@h1:7000,h2:7001' })).toBe('redis cluster redis+cluster://app:***@h1:7000,h2:7001 prefix={fascia:<queue>}');
    expect(describeQueueBackend({ kind: 'redis', url: 'redis://:secret@h:6379' })).not.toContain('secret');
    expect(describeQueueBackend({ kind: 'postgres', connectionString: 'postgres://u:secret@h/db' })).not.toContain('secret');
  });
});
