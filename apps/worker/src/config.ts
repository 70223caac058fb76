import path from 'node:path';
import { allowPrivateWebhooksFromEnv, DEV_APP_SECRET, FHIR_EXPORT_DEFAULT_DIR, type JobRetryPolicy, type QueueBackendConfig, type SweepName, queueBackendFromEnv } from '@fascia/jobs';

export { DEV_APP_SECRET };
import { z } from 'zod';

export interface WorkerConfig {
  databaseUrl: string;
  queue: QueueBackendConfig;
  /** HMAC key for invitation links (shared with the API). */
  appSecret: string;
  /** Base URL of the admin app, for links in messages. */
  adminUrl: string;
  /** smtp:// or smtps:// URL; when absent, messages are written as .eml files to {@link mailDir}. */
  smtpUrl: string | null;
  mailDir: string;
  mailFrom: string;
  outboxPollMs: number;
  outboxBatchSize: number;
  /** Jobs run at once per queue, per process; also the reminder sends at once per process (batch jobs' included). */
  concurrency: number;
  /**
   * REMINDER_BATCH_SIZE: due reminders of one organization per `reminder.send-batch` job (the
   * relay's grouping; docs/worker.md). At most {@link concurrency}; 1 turns batching off.
   * Default: the concurrency.
   */
  reminderBatchSize?: number;
  /**
   * PostgreSQL connections of the worker's own pool (BullMQ's PostgreSQL backend has its
   * own). A job holds one for one statement at a time, so a few serve many jobs in flight.
   * Default: min(concurrency × 2 + 2, 10).
   */
  dbPoolSize?: number;
  /** SMTP connections kept open and reused (nodemailer's pool). Default DEFAULT_SMTP_MAX_CONNECTIONS (10). */
  smtpMaxConnections?: number;
  /** Overrides the registry's retry policy for every job (tests use short backoffs). */
  retryOverride?: Partial<JobRetryPolicy>;
  /** Development SMS provider: 'file' (JSON lines under {@link smsDir}, default) or 'console'. */
  smsProvider?: 'file' | 'console';
  smsDir?: string;
  /** BullMQ job lock: a job whose worker died is retried after this (and the stalled check interval). Default 30 s. */
  lockDurationMs?: number;
  /** Register the periodic sweeps' job schedulers at start (default true). */
  schedulers?: boolean;
  /** Cron pattern of each sweep, evaluated in UTC; each fans out one job per clinic. */
  sweepPatterns?: Partial<Record<SweepName, string>>;
  /** Cron pattern (UTC) of the referral follow-up sweep (`sweep:referral-follow-ups`); default every minute. */
  referralSweepPattern?: string;
  /** How often the report roll-ups drain their dirty marks (ms; scheduler `report:drain`); default 5 s. */
  reportDrainEveryMs?: number;
  /**
   * Webhook deliveries (issue 15): WEBHOOK_ALLOW_PRIVATE (private/loopback targets, for tests and
   * closed networks), WEBHOOK_DISABLE_AFTER_FAILURES and WEBHOOK_DISABLE_AFTER_HOURS (an endpoint
   * failing that many times in a row over that long is disabled), WEBHOOK_TIMEOUT_MS; https is
   * required in production.
   */
  webhooks?: Partial<import('./handlers/webhooks').WebhookSettings>;
  /** Where organization FHIR exports are written (`FHIR_EXPORT_DIR`; default `.data/exports`, absolute). */
  fhirExportDir?: string;
  /**
   * REMINDER_RECONCILE_MS: how often the reconcile pass runs (reconcile.ts): reminders overdue by
   * more than this whose queue job was lost are handed back to the relay, and the job schedulers
   * re-registered. Default {@link DEFAULT_RECONCILE_EVERY_MS}.
   */
  reconcileEveryMs?: number;
  /** WORKER_HEALTH_PORT: serve /healthz and /readyz on this port (0: any free one); undefined: no health endpoint. */
  healthPort?: number;
  healthHost?: string;
}

/** Jobs at once per queue per process when WORKER_CONCURRENCY is not set (measured: docs/worker.md, "Throughput"). */
export const DEFAULT_CONCURRENCY = 20;

/** SMTP connections per process when SMTP_MAX_CONNECTIONS is not set: a send waits for a free one (measured: docs/worker.md, "Throughput"). */
export const DEFAULT_SMTP_MAX_CONNECTIONS = 10;

/** How often the reconcile pass runs when REMINDER_RECONCILE_MS is not set. */
export const DEFAULT_RECONCILE_EVERY_MS = 60_000;

/** The worker's own PostgreSQL pool: WORKER_DB_POOL_SIZE, or enough for the jobs in flight up to 10. */
export const dbPoolSizeOf = (config: Pick<WorkerConfig, 'concurrency' | 'dbPoolSize'>): number => config.dbPoolSize ?? Math.min(config.concurrency * 2 + 2, 10);

/** Reminders per batch job: REMINDER_BATCH_SIZE, or the concurrency — never more than the concurrency (the SMTP gap's bound). */
export const reminderBatchSizeOf = (config: Pick<WorkerConfig, 'concurrency' | 'reminderBatchSize'>): number => Math.min(config.reminderBatchSize ?? config.concurrency, config.concurrency);

const Env = z.object({
  DATABASE_URL: z.string().trim().min(1, 'DATABASE_URL is required'),
  APP_SECRET: z.string().trim().optional(),
  ADMIN_URL: z.url().default('http://localhost:5173'),
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional()
    .or(z.literal('')),
  MAIL_FROM: z.string().trim().min(3).default('Fascia <no-reply@fascia.localhost>'),
  MAIL_DIR: z.string().trim().optional(),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(DEFAULT_CONCURRENCY),
  WORKER_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).optional(),
  REMINDER_BATCH_SIZE: z.coerce.number().int().min(1).max(200).optional(),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(DEFAULT_SMTP_MAX_CONNECTIONS),
  SMS_PROVIDER: z.enum(['file', 'console']).default('file'),
  SMS_DIR: z.string().trim().optional(),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  REMINDER_RECONCILE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(DEFAULT_RECONCILE_EVERY_MS),
  SWEEPS: z.enum(['on', 'off']).default('on'),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(15),
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  FHIR_EXPORT_DIR: z.string().trim().optional(),
  NODE_ENV: z.string().optional(),
  /** Port of the health endpoint (/healthz, /readyz); unset: no HTTP endpoint (npm start). */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_HEALTH_HOST: z.string().trim().default('0.0.0.0'),
});

/** The worker's environment schema (infra/k8s/manifests.test.ts checks the manifests set what it needs). */
export const workerEnvSchema = Env;

/** Reads and checks the environment; throws one error listing every problem. `warnings` are for the log. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): { config: WorkerConfig; warnings: string[] } {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid worker environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  if (e.REMINDER_BATCH_SIZE !== undefined && e.REMINDER_BATCH_SIZE > e.WORKER_CONCURRENCY) {
    throw new Error(`Invalid worker environment: REMINDER_BATCH_SIZE (${e.REMINDER_BATCH_SIZE}) must not exceed WORKER_CONCURRENCY (${e.WORKER_CONCURRENCY}): a batch's sends are bounded by the concurrency`);
  }
  const warnings: string[] = [];
  let appSecret = e.APP_SECRET ?? '';
  if (!appSecret) {
    if (e.NODE_ENV === 'production') throw new Error('APP_SECRET is required in production');
    appSecret = DEV_APP_SECRET;
    warnings.push('APP_SECRET is not set: using the development secret; invitation links are forgeable by anyone who reads the source');
  } else if (appSecret.length < 32 && e.NODE_ENV === 'production') {
    throw new Error('APP_SECRET must be at least 32 characters in production');
  }
  const smtpUrl = e.SMTP_URL ? e.SMTP_URL : null;
  const mailDir = path.resolve(cwd, e.MAIL_DIR ?? '.data/mail');
  if (!smtpUrl) warnings.push(`SMTP_URL is not set: email is written as .eml files to ${mailDir}`);
  warnings.push(
    e.SMS_PROVIDER === 'console' ? 'SMS_PROVIDER=console: text messages are logged, not sent' : `No SMS provider is configured: text messages are written to ${path.resolve(cwd, e.SMS_DIR ?? '.data/sms')}/sms.jsonl`,
  );
  return {
    config: {
      databaseUrl: e.DATABASE_URL,
      queue: queueBackendFromEnv(env),
      appSecret,
      adminUrl: e.ADMIN_URL.replace(/\/+$/, ''),
      smtpUrl,
      mailDir,
      mailFrom: e.MAIL_FROM,
      outboxPollMs: e.OUTBOX_POLL_MS,
      outboxBatchSize: e.OUTBOX_BATCH_SIZE,
      concurrency: e.WORKER_CONCURRENCY,
      reminderBatchSize: e.REMINDER_BATCH_SIZE,
      dbPoolSize: e.WORKER_DB_POOL_SIZE,
      smtpMaxConnections: e.SMTP_MAX_CONNECTIONS,
      smsProvider: e.SMS_PROVIDER,
      smsDir: path.resolve(cwd, e.SMS_DIR ?? '.data/sms'),
      lockDurationMs: e.WORKER_LOCK_MS,
      reconcileEveryMs: e.REMINDER_RECONCILE_MS,
      schedulers: e.SWEEPS === 'on',
      webhooks: {
        allowPrivate: allowPrivateWebhooksFromEnv(env),
        requireHttps: e.NODE_ENV === 'production',
        disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
        disableAfterMs: e.WEBHOOK_DISABLE_AFTER_HOURS * 3600_000,
        timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      },
      fhirExportDir: path.resolve(cwd, e.FHIR_EXPORT_DIR ?? FHIR_EXPORT_DEFAULT_DIR),
      healthPort: e.WORKER_HEALTH_PORT,
      healthHost: e.WORKER_HEALTH_HOST,
    },
    warnings,
  };
}
