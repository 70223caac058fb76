import { type Clock, createDataSource, Db, SYSTEM_ROLE, systemClock } from '@fascia/db';
import { type JobQueue, type JobWorker, type QueueKey, QUEUES, createQueue, createWorker, describeQueueBackend, fhirExportDir } from '@fascia/jobs';
import { type Channels, createChannels } from './channels';
import { DEFAULT_RECONCILE_EVERY_MS, type WorkerConfig, dbPoolSizeOf, reminderBatchSizeOf } from './config';
import { DeliveryLog } from './deliveries';
import { createHandlers, createProcessor, type ExpireReferral, registerReferralSweepScheduler, registerReportSchedulers, registerSweepSchedulers } from './handlers';
import { type HealthServer, type Readiness, startHealthServer } from './health';
import { createLogger, type Logger } from './logger';
import { ReminderReconciler } from './reconcile';
import { OutboxRelay } from './relay';

export interface StartOptions {
  logger?: Logger;
  /** Replaces the channels built from the config (SMTP or file). */
  channels?: Channels;
  /** The one clock the handlers read (default: the system's); tests may fix it. */
  clock?: Clock;
  /** The referral core's EXPIRED transition (default: `expireReferral` of @fascia/db). */
  expireReferral?: ExpireReferral;
  /** Sees every SQL statement the worker's data source sends (tests: statement counts, the org-filter check). */
  onQuery?: (sql: string, parameters?: unknown[]) => void;
}

export interface RunningWorker {
  readonly db: Db;
  readonly queues: Readonly<Record<QueueKey, JobQueue>>;
  readonly workers: readonly JobWorker[];
  readonly relay: OutboxRelay;
  /** The periodic pass that recovers reminders whose queue job was lost, and re-registers the schedulers (reconcile.ts). */
  readonly reconciler: ReminderReconciler;
  /** The /healthz and /readyz server, when the config has a health port. */
  readonly health: HealthServer | null;
  /** What /readyz answers: the database answers, every queue connection works, and the worker is started and not stopping. */
  readiness(): Promise<Readiness>;
  /**
   * Stops everything, in order: the relay (no new jobs), then the BullMQ workers (they
   * finish the jobs in hand), then the queues, the channels and the database. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * The one place that starts and stops the worker process's parts. main.ts calls it with
 * the environment's config; tests call it in-process.
 */
export async function startWorker(config: WorkerConfig, opts: StartOptions = {}): Promise<RunningWorker> {
  const log = opts.logger ?? createLogger();
  const clock = opts.clock ?? systemClock;
  // Connections start as fascia_system: a reminder's load, claim and settle are one statement
  // each, with no transaction around them (systemQuery). Db.system still switches per transaction.
  const dataSource = createDataSource({
    url: config.databaseUrl,
    poolSize: dbPoolSizeOf(config),
    applicationName: 'fascia-worker',
    sessionRole: SYSTEM_ROLE,
    onQuery: opts.onQuery,
  });
  await dataSource.initialize();
  const db = new Db(dataSource);
  const channels = opts.channels ?? createChannels(config, log, clock);

  const queues = {} as Record<QueueKey, JobQueue>;
  const workers: JobWorker[] = [];
  let relay: OutboxRelay | null = null;
  let reconciler: ReminderReconciler | null = null;
  let stopping: Promise<void> | null = null;
  let started = false;
  let health: HealthServer | null = null;

  const readiness = async (): Promise<Readiness> => {
    if (stopping) return { ready: false, checks: { worker: 'draining' } };
    if (!started) return { ready: false, checks: { worker: 'starting' } };
    const checks: Record<string, string> = {};
    const database = dataSource.query('SELECT 1').then(
      () => 'ok',
      () => 'unreachable',
    );
    // A count is one round trip on either backend (Redis or PostgreSQL): the queue connection works.
    const queuesOk = Promise.all(Object.values(queues).map((q) => q.getJobCounts('waiting'))).then(
      () => 'ok',
      () => 'unreachable',
    );
    checks.database = await database;
    checks.queues = await queuesOk;
    checks.workers = workers.every((w) => w.isRunning()) ? 'ok' : 'not running';
    return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('worker stopping');
      await reconciler?.stop();
      await relay?.stop();
      // Workers first: they finish the jobs in hand and stop taking new ones.
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
      await Promise.allSettled(Object.values(channels).map((c) => c?.close()));
      if (dataSource.isInitialized) await dataSource.destroy();
      await health?.close();
      log.info('worker stopped');
    })();
    return stopping;
  };

  try {
    if (config.healthPort !== undefined) {
      health = await startHealthServer(readiness, { port: config.healthPort, host: config.healthHost });
      log.info({ port: health.port }, 'health endpoint listening (/healthz, /readyz)');
    }
    for (const [key, name] of Object.entries(QUEUES) as [QueueKey, string][]) {
      queues[key] = createQueue(name, config.queue);
      queues[key].on('error', (err) => log.error({ queue: name, err: err.message }, 'queue error'));
    }
    await Promise.all(Object.values(queues).map((q) => q.waitUntilReady()));

    const deliveries = new DeliveryLog(db, channels, log, config.lockDurationMs);
    const handlers = createHandlers({
      db,
      deliveries,
      appSecret: config.appSecret,
      adminUrl: config.adminUrl,
      clock,
      queues,
      retryOverride: config.retryOverride,
      expireReferral: opts.expireReferral,
      webhooks: config.webhooks,
      fhirExportDir: config.fhirExportDir ?? fhirExportDir(),
      reminderSendConcurrency: config.concurrency,
    });
    const processor = createProcessor(handlers, log);
    for (const name of Object.values(QUEUES)) {
      const worker = createWorker(name, processor, config.queue, { concurrency: config.concurrency, lockDuration: config.lockDurationMs });
      worker.on('error', (err) => log.error({ queue: name, err: err.message }, 'worker error'));
      worker.on('failed', (job, err) =>
        log.warn({ queue: name, job: job?.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job attempt failed'),
      );
      workers.push(worker);
    }
    await Promise.all(workers.map((w) => w.waitUntilReady()));

    // Upserts under stable keys: run at every start, and again by every reconcile pass (a
    // scheduler whose next tick a Redis failover lost ticks again), never duplicating one.
    const registerSchedulers = async (): Promise<string[]> => {
      const keys = await registerSweepSchedulers(queues.scheduling, config.sweepPatterns, config.retryOverride);
      keys.push(await registerReferralSweepScheduler(queues.scheduling, config.referralSweepPattern, config.retryOverride));
      keys.push(...(await registerReportSchedulers(queues.scheduling, { everyMs: config.reportDrainEveryMs, retryOverride: config.retryOverride })));
      return keys;
    };
    if (config.schedulers !== false) log.info({ schedulers: await registerSchedulers() }, 'sweep schedulers registered');

    relay = new OutboxRelay(db, queues, log, {
      pollMs: config.outboxPollMs,
      batchSize: config.outboxBatchSize,
      retryOverride: config.retryOverride,
      reminderBatchSize: reminderBatchSizeOf(config),
    });
    relay.start();
    reconciler = new ReminderReconciler(db, queues, log, {
      everyMs: config.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS,
      registerSchedulers: config.schedulers !== false ? registerSchedulers : undefined,
    });
    reconciler.start();
    started = true;
    log.info({ queue: describeQueueBackend(config.queue), email: channels.EMAIL?.name ?? 'none', sms: channels.SMS?.name ?? 'none', pollMs: config.outboxPollMs }, 'worker started');
  } catch (err) {
    await stop();
    throw err;
  }

  return { db, queues, workers, relay, reconciler, health, readiness, stop };
}
