import { describeQueueBackend, queueBackendFromEnv, redisOptionsFromUrl } from './connection';

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
  it('never logs a password', () => {
    expect(describeQueueBackend({ kind: 'redis', url: 'redis://:secret@h:6379' })).not.toContain('secret');
    expect(describeQueueBackend({ kind: 'postgres', connectionString: 'postgres://u:secret@h/db' })).not.toContain('secret');
  });
});
