import { randomUUID } from 'node:crypto';
import { createDataSource, Db, SYSTEM_ROLE, systemClock } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { type JobQueue, type QueueBackendConfig, type QueueKey, QUEUES, createQueue, enqueue } from '@fascia/jobs';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import type { Channel, Channels, OutboundMessage } from '../src/channels';
import { DeliveryLog } from '../src/deliveries';
import { reminderSendHandler } from '../src/handlers/reminder-send';
import { reminderSendBatchHandler } from '../src/handlers/reminder-send/batch';
import { OutboxRelay } from '../src/relay';
import { type ClinicFixture, seedClinic, seedDueReminder, seedPolicy } from './clinical';
import { seedOrganization, testQueueConfig } from './support';

/**
 * What the worker's hot path costs in SQL statements, on the worker's own kind of pool
 * (connections that start as fascia_system, so a statement needs no transaction around it):
 *  - a delivered reminder: 3 (load, claim with the reminder's guard, settle with the reminder row);
 *  - a reminder whose cause no longer holds: 2 (load, mark SKIPPED); one already handled: 1;
 *  - a relay batch, however many rows: 2 (claim, settle);
 *  - a batch of delivered reminders, the jobs in flight in one process at once: the same 3
 *    statements however many reminders (the load, the claims and the settles are batched);
 *  - a `reminder.send-batch` job of 12 due reminders: the same 3 statements (and no queue write);
 *  - a relay batch of 40 due reminders with batching on: 2 statements and 2 batch jobs.
 * These numbers hold the gains of issue 10; a change that adds a statement changes them here.
 */
const DELIVERED_REMINDER_STATEMENTS = 3;
const BATCH = 12;

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

class RecordingChannel implements Channel {
  readonly kind = 'EMAIL' as const;
  readonly name = 'recording';
  sent: OutboundMessage[] = [];
  async send(m: OutboundMessage) {
    this.sent.push(m);
    return { providerRef: `ref-${this.sent.length}` };
  }
  async close() {}
}

describe('statements per job on the worker’s pool', () => {
  let t: TestDatabase;
  let workerDs: DataSource;
  let db: Db;
  let clinic: ClinicFixture;
  const statements: string[] = [];
  const channel = new RecordingChannel();

  beforeAll(async () => {
    t = await createTestDatabase();
    workerDs = createDataSource({ url: t.runtimeUrl, poolSize: 4, sessionRole: SYSTEM_ROLE, onQuery: (sql) => statements.push(sql) });
    await workerDs.initialize();
    db = new Db(workerDs);
    const org = await seedOrganization(t, 'Count Co', 'count');
    clinic = await seedClinic(t, org.organizationId, { timeZone: 'UTC' });
    await seedPolicy(t, clinic, { leadMinutes: [10], channels: ['EMAIL'] });
  });
  afterAll(async () => {
    if (workerDs?.isInitialized) await workerDs.destroy();
    await t?.drop();
  });

  const reminder = () => seedDueReminder(t, clinic, { deliveryKeySuffix: 'count' });

  const send = (id: string) =>
    reminderSendHandler({
      db,
      deliveries: new DeliveryLog(db, { EMAIL: channel } as Channels, log),
      appSecret: 'integration-test-secret-0123456789abcdef',
      adminUrl: 'http://admin.test',
      clock: systemClock,
      queues: {} as Readonly<Record<QueueKey, JobQueue>>,
    })({ organizationId: clinic.organizationId, reminderId: id }, { jobId: id, attempt: 1, maxAttempts: 3, log });

  const counted = async <T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
    statements.length = 0;
    const result = await fn();
    return { result, statements: [...statements] };
  };

  it(`a delivered reminder costs ${DELIVERED_REMINDER_STATEMENTS} statements, none of them BEGIN/COMMIT or a role switch, and is SENT with its delivery`, async () => {
    const r = await reminder();
    const { result, statements: sql } = await counted(() => send(r.id));
    expect(result.outcome).toBe('sent');
    expect(sql).toHaveLength(DELIVERED_REMINDER_STATEMENTS);
    expect(sql.filter((s) => /^(START TRANSACTION|BEGIN|COMMIT)|set_config/i.test(s.trim()))).toEqual([]);
    const [row] = (await t.dataSource.query(
      `SELECT r.status, r.attempts, d.status AS delivery_status, d.attempts AS delivery_attempts, d.claimed_until FROM reminder r JOIN delivery d ON d.id = r.delivery_id WHERE r.id = $1`,
      [r.id],
    )) as { status: string; attempts: number; delivery_status: string; delivery_attempts: number; claimed_until: Date | null }[];
    expect(row).toEqual({ status: 'SENT', attempts: 1, delivery_status: 'SENT', delivery_attempts: 1, claimed_until: null });

    // Run again (a job handed over twice): already handled, one statement, nothing sent.
    const sentBefore = channel.sent.length;
    const again = await counted(() => send(r.id));
    expect(again.result).toMatchObject({ outcome: 'already-handled', reason: 'reminder-sent' });
    expect(again.statements).toHaveLength(1);
    expect(channel.sent).toHaveLength(sentBefore);
  });

  it(`${BATCH} reminders sent at once through one handler cost ${DELIVERED_REMINDER_STATEMENTS} statements in all, and each is SENT once with its own delivery`, async () => {
    const rs: { id: string; appointmentId: string }[] = [];
    for (let i = 0; i < BATCH; i++) rs.push(await reminder());
    const deps = {
      db,
      deliveries: new DeliveryLog(db, { EMAIL: channel } as Channels, log),
      appSecret: 'integration-test-secret-0123456789abcdef',
      adminUrl: 'http://admin.test',
      clock: systemClock,
      queues: {} as Readonly<Record<QueueKey, JobQueue>>,
    };
    const handle = reminderSendHandler(deps);
    const sentBefore = channel.sent.length;
    const { result, statements: sql } = await counted(() =>
      Promise.all(rs.map((r) => handle({ organizationId: clinic.organizationId, reminderId: r.id }, { jobId: r.id, attempt: 1, maxAttempts: 3, log }))),
    );
    expect(result.map((x) => x.outcome)).toEqual(rs.map(() => 'sent'));
    expect(sql).toHaveLength(DELIVERED_REMINDER_STATEMENTS);
    expect(channel.sent.length - sentBefore).toBe(BATCH);
    const rows = (await t.dataSource.query(
      `SELECT r.status, r.attempts, d.status AS delivery_status, d.attempts AS delivery_attempts FROM reminder r JOIN delivery d ON d.id = r.delivery_id WHERE r.id = ANY($1::uuid[])`,
      [rs.map((r) => r.id)],
    )) as unknown[];
    expect(rows).toEqual(rs.map(() => ({ status: 'SENT', attempts: 1, delivery_status: 'SENT', delivery_attempts: 1 })));
    // The same jobs again (handed over twice): already handled, one statement for the batch, nothing sent.
    const again = await counted(() => Promise.all(rs.map((r) => handle({ organizationId: clinic.organizationId, reminderId: r.id }, { jobId: r.id, attempt: 1, maxAttempts: 3, log }))));
    expect(again.result.map((x) => x.outcome)).toEqual(rs.map(() => 'already-handled'));
    expect(again.statements).toHaveLength(1);
    expect(channel.sent.length - sentBefore).toBe(BATCH);
  });

  it(`a reminder.send-batch job of ${BATCH} due reminders costs ${DELIVERED_REMINDER_STATEMENTS} statements in all, and each is SENT once`, async () => {
    const rs: { id: string }[] = [];
    for (let i = 0; i < BATCH; i++) rs.push(await reminder());
    const deps = {
      db,
      deliveries: new DeliveryLog(db, { EMAIL: channel } as Channels, log),
      appSecret: 'integration-test-secret-0123456789abcdef',
      adminUrl: 'http://admin.test',
      clock: systemClock,
      queues: {} as Readonly<Record<QueueKey, JobQueue>>,
    };
    const batch = reminderSendBatchHandler(deps, reminderSendHandler(deps));
    const sentBefore = channel.sent.length;
    const { result, statements: sql } = await counted(() =>
      batch({ organizationId: clinic.organizationId, reminderIds: rs.map((r) => r.id) }, { jobId: 'batch-1', attempt: 1, maxAttempts: 5, log }),
    );
    expect(result).toMatchObject({ outcome: 'batch', reminders: BATCH, sent: BATCH, retried: 0, failed: 0 });
    expect(sql).toHaveLength(DELIVERED_REMINDER_STATEMENTS);
    expect(channel.sent.length - sentBefore).toBe(BATCH);
    // Run again (a batch job retried after a crash): one statement, nothing sent.
    const again = await counted(() => batch({ organizationId: clinic.organizationId, reminderIds: rs.map((r) => r.id) }, { jobId: 'batch-1', attempt: 2, maxAttempts: 5, log }));
    expect(again.result).toMatchObject({ reminders: BATCH, sent: 0, alreadyHandled: BATCH });
    expect(again.statements).toHaveLength(1);
    expect(channel.sent.length - sentBefore).toBe(BATCH);
  });

  it('a reminder whose appointment was cancelled costs 2 statements and is SKIPPED, nothing sent', async () => {
    const r = await reminder();
    await t.dataSource.query(`UPDATE appointment SET status = 'CANCELLED' WHERE id = $1`, [r.appointmentId]);
    const sentBefore = channel.sent.length;
    const { result, statements: sql } = await counted(() => send(r.id));
    expect(result).toMatchObject({ outcome: 'skipped', reason: 'the appointment is cancelled' });
    expect(sql).toHaveLength(2);
    expect(channel.sent).toHaveLength(sentBefore);
    expect(((await t.dataSource.query(`SELECT status FROM reminder WHERE id = $1`, [r.id])) as { status: string }[])[0].status).toBe('SKIPPED');
  });

  describe.each([['redis'], ['postgres']] as const)('the relay (%s backend)', (backend) => {
    let cfg: QueueBackendConfig;
    let queue: JobQueue;
    beforeAll(async () => {
      cfg = testQueueConfig(backend, t.runtimeUrl);
      queue = createQueue(QUEUES.notifications, cfg);
      await queue.waitUntilReady();
    });
    afterAll(async () => {
      if (cfg.kind === 'redis') await queue.obliterate({ force: true });
      await queue.close();
    });

    it('hands a batch of 40 rows to the queue in 2 statements', async () => {
      await t.db.system((em) => em.query(`UPDATE outbox_message SET dispatched_at = now(), claimed_until = NULL WHERE dispatched_at IS NULL`));
      const ids: string[] = [];
      await t.db.tenant({ organizationId: clinic.organizationId, userId: null }, async (tx) => {
        for (let i = 0; i < 40; i++) ids.push(await enqueue(tx.em, 'reminder.send', { organizationId: clinic.organizationId, reminderId: '00000000-0000-4000-8000-0000000000' + String(i).padStart(2, '0') }));
      });
      const relay = new OutboxRelay(db, { notifications: queue }, log, { pollMs: 50, batchSize: 100 });
      const { result, statements: sql } = await counted(() => relay.runOnce());
      expect(result).toBe(40);
      expect(sql).toHaveLength(2);
      for (const id of ids) expect(await queue.getJob(id)).toBeDefined();
      expect(((await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message WHERE id = ANY($1::uuid[]) AND dispatched_at IS NOT NULL`, [ids])) as { n: number }[])[0].n).toBe(40);
    });

    it('with batching on, hands 40 due reminders over as 2 batch jobs of 20, in 2 statements, each row stamped with its batch job', async () => {
      await t.db.system((em) => em.query(`UPDATE outbox_message SET dispatched_at = now(), claimed_until = NULL WHERE dispatched_at IS NULL`));
      const reminderIds: string[] = [];
      await t.db.tenant({ organizationId: clinic.organizationId, userId: null }, async (tx) => {
        for (let i = 0; i < 40; i++) {
          const reminderId = randomUUID();
          reminderIds.push(reminderId);
          await enqueue(tx.em, 'reminder.send', { organizationId: clinic.organizationId, reminderId }, { id: reminderId });
        }
      });
      const relay = new OutboxRelay(db, { notifications: queue }, log, { pollMs: 50, batchSize: 100, reminderBatchSize: 20 });
      const { result, statements: sql } = await counted(() => relay.runOnce());
      expect(result).toBe(40);
      expect(sql).toHaveLength(2);
      const stamped = (await t.dataSource.query(`SELECT id, batch_job_id FROM outbox_message WHERE id = ANY($1::uuid[]) AND dispatched_at IS NOT NULL`, [reminderIds])) as { id: string; batch_job_id: string }[];
      expect(stamped).toHaveLength(40);
      const batches = [...new Set(stamped.map((r) => r.batch_job_id))];
      expect(batches).toHaveLength(2);
      const jobs = await Promise.all(batches.map((b) => queue.getJob(b)));
      expect(jobs.map((j) => j?.name)).toEqual(['reminder.send-batch', 'reminder.send-batch']);
      expect(jobs.map((j) => (j!.data as { reminderIds: string[] }).reminderIds.length)).toEqual([20, 20]);
      expect(jobs.flatMap((j) => (j!.data as { reminderIds: string[] }).reminderIds).sort()).toEqual([...reminderIds].sort());
      for (const id of reminderIds) expect(await queue.getJob(id)).toBeFalsy();
    });
  });
});
