import path from 'node:path';
import { DEV_APP_SECRET, dbPoolSizeOf, loadConfig, reminderBatchSizeOf } from './config';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/fascia' };

describe('worker config from the environment', () => {
  it('runs on defaults for a laptop: PostgreSQL queue, file email, dev secret (with warnings)', () => {
    const { config, warnings } = loadConfig(base, '/srv/fascia');
    expect(config).toMatchObject({
      databaseUrl: base.DATABASE_URL,
      queue: { kind: 'postgres', connectionString: base.DATABASE_URL },
      appSecret: DEV_APP_SECRET,
      adminUrl: 'http://localhost:5173',
      smtpUrl: null,
      mailDir: path.resolve('/srv/fascia', '.data/mail'),
      outboxPollMs: 250,
    });
    expect(warnings.join('\n')).toMatch(/APP_SECRET/);
    expect(warnings.join('\n')).toMatch(/\.eml/);
  });

  it('takes Redis, SMTP and the rest when given', () => {
    const { config, warnings } = loadConfig({
      ...base,
      REDIS_URL: 'redis://cache:6379',
      SMTP_URL: 'smtp://mail:2525',
      APP_SECRET: 'x'.repeat(40),
      ADMIN_URL: 'https://admin.example.com/',
      MAIL_FROM: 'Clinic <hello@example.com>',
      OUTBOX_POLL_MS: '1000',
    });
    expect(config).toMatchObject({ queue: { kind: 'redis', url: 'redis://cache:6379' }, smtpUrl: 'smtp://mail:2525', adminUrl: 'https://admin.example.com', outboxPollMs: 1000 });
    expect(warnings).toEqual([expect.stringMatching(/SMS provider/)]);
  });

  it.each([
    ['no DATABASE_URL', {}, /DATABASE_URL/],
    ['no APP_SECRET in production', { ...base, NODE_ENV: 'production' }, /APP_SECRET is required/],
    ['a short APP_SECRET in production', { ...base, NODE_ENV: 'production', APP_SECRET: 'short' }, /32 characters/],
    ['an SMTP_URL that is not smtp', { ...base, SMTP_URL: 'http://mail' }, /SMTP_URL/],
    ['a poll interval that is not a number', { ...base, OUTBOX_POLL_MS: 'often' }, /OUTBOX_POLL_MS/],
    ['a concurrency above 200', { ...base, WORKER_CONCURRENCY: '500' }, /WORKER_CONCURRENCY/],
    ['no database connections', { ...base, WORKER_DB_POOL_SIZE: '0' }, /WORKER_DB_POOL_SIZE/],
    ['SMTP connections that are not a number', { ...base, SMTP_MAX_CONNECTIONS: 'lots' }, /SMTP_MAX_CONNECTIONS/],
    ['a reminder batch larger than the concurrency', { ...base, WORKER_CONCURRENCY: '5', REMINDER_BATCH_SIZE: '6' }, /REMINDER_BATCH_SIZE \(6\) must not exceed WORKER_CONCURRENCY \(5\)/],
    ['a reminder batch of 0', { ...base, REMINDER_BATCH_SIZE: '0' }, /REMINDER_BATCH_SIZE/],
  ])('refuses %s', (_label, env, message) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });

  it('sizes the pools: concurrency, database connections (enough for the jobs in flight, at most 10 unless set) and SMTP connections', () => {
    const { config } = loadConfig({ ...base, WORKER_CONCURRENCY: '50', SMTP_MAX_CONNECTIONS: '8' });
    expect(config).toMatchObject({ concurrency: 50, smtpMaxConnections: 8, dbPoolSize: undefined });
    expect(dbPoolSizeOf(config)).toBe(10);
    expect(dbPoolSizeOf({ concurrency: 2 })).toBe(6);
    expect(dbPoolSizeOf(loadConfig({ ...base, WORKER_DB_POOL_SIZE: '24' }).config)).toBe(24);
    expect(loadConfig(base).config).toMatchObject({ concurrency: 20, smtpMaxConnections: 10 });
  });

  it('batches due reminders by the concurrency unless REMINDER_BATCH_SIZE says less (1: no batches)', () => {
    expect(reminderBatchSizeOf(loadConfig(base).config)).toBe(20);
    expect(reminderBatchSizeOf(loadConfig({ ...base, WORKER_CONCURRENCY: '5' }).config)).toBe(5);
    expect(reminderBatchSizeOf(loadConfig({ ...base, REMINDER_BATCH_SIZE: '1' }).config)).toBe(1);
    expect(reminderBatchSizeOf({ concurrency: 4, reminderBatchSize: 10 })).toBe(4);
  });
});
