import { Reminder } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import type { QueueBackendConfig } from '@fascia/jobs';
import pino from 'pino';
import { scheduleReminder } from '../src/handlers/reminders';
import { type RunningWorker, startWorker } from '../src/runtime';
import { type ClinicFixture, seedAppointment, seedClient, seedClinic, seedPolicy } from './clinical';
import { type TestSmtp, WAIT_TEST_TIMEOUT_MS, dropQueues, seedOrganization, startSmtpServer, testQueueConfig, testWorkerConfig, waitFor } from './support';

/**
 * The reconcile pass (src/reconcile.ts) on each queue backend: a reminder whose job the queue
 * lost (removed here, as a Redis failover loses an unreplicated write) is handed back to the
 * relay and sent once; a reminder whose job is still in the queue is left to it.
 */
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe.each([['redis'], ['postgres']] as const)('the reconcile pass (%s backend)', (backend) => {
  let t: TestDatabase;
  let smtp: TestSmtp;
  let queueCfg: QueueBackendConfig;
  let running: RunningWorker | null = null;
  let clinic: ClinicFixture;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestDatabase();
    queueCfg = testQueueConfig(backend, t.runtimeUrl);
    const org = await seedOrganization(t, 'Reconcile Co', 'reconcile');
    clinic = await seedClinic(t, org.organizationId, { timeZone: 'UTC' });
    await seedPolicy(t, clinic, { leadMinutes: [60], channels: ['EMAIL'] });
    running = await startWorker(
      testWorkerConfig(t.runtimeUrl, queueCfg, { smtpUrl: smtp.url, smsProvider: 'console', schedulers: false, reconcileEveryMs: 1000, retryOverride: { attempts: 3, backoffMs: 100 } }),
      { logger: log },
    );
  });
  afterAll(async () => {
    await running?.stop();
    await dropQueues(queueCfg);
    await smtp?.close();
    await t?.drop();
  });

  /** A reminder due in `seconds` for a new client's appointment two hours ahead, scheduled as the worker schedules it. */
  const reminderDueIn = async (email: string, seconds: number): Promise<string> => {
    const client = await seedClient(t, clinic, { email, channels: ['EMAIL'] });
    const startsAt = new Date(Date.now() + 2 * 3600_000);
    const appointmentId = await seedAppointment(t, clinic, client, startsAt);
    const sendAt = new Date(Date.now() + seconds * 1000);
    const id = await t.db.system((em) =>
      scheduleReminder(em, {
        organizationId: clinic.organizationId,
        clinicId: clinic.clinicId,
        kind: 'APPOINTMENT',
        appointmentId,
        planId: null,
        clientId: client,
        channel: 'EMAIL',
        leadMinutes: 60,
        dueAt: sendAt,
        sendAt,
        appointmentStartsAt: startsAt,
        deliveryKey: `appointment:${appointmentId}:reconcile-test`,
      }),
    );
    if (!id) throw new Error('not scheduled');
    return id;
  };
  const status = async (id: string) => (await t.db.system((em) => em.findOneBy(Reminder, { id })))?.status;
  const mailsTo = (to: string) => smtp.messages.filter((m) => m.to.includes(to));

  it('re-queues an overdue reminder whose job is gone, once; leaves one whose job is in the queue', async () => {
    const q = running!.queues.notifications;
    // Due in an hour, so both jobs are surely still delayed when the queue has them (a reminder due
    // in seconds could already run on a busy machine before the test saw it queued).
    const lost = await reminderDueIn('lost@clients.test', 3600);
    const kept = await reminderDueIn('kept@clients.test', 3600);
    await waitFor('both jobs handed to the queue', async () => (await q.getJobState(lost)) === 'delayed' && (await q.getJobState(kept)) === 'delayed');
    // The queue loses one job, as a failover loses a write its replica never had.
    await q.remove(lost);
    expect(await q.getJobState(lost)).toBe('unknown');
    const requeuedBefore = running!.reconciler.requeuedTotal;
    // Then the hour passes: both fall due (the rows' times moved back, the kept job's delay ended).
    await t.dataSource.query(`UPDATE reminder SET send_at = now() - interval '5 seconds', due_at = now() - interval '5 seconds' WHERE id = ANY($1)`, [[lost, kept]]);
    await t.dataSource.query(`UPDATE outbox_message SET run_at = now() - interval '5 seconds' WHERE id = ANY($1)`, [[lost, kept]]);
    await (await q.getJob(kept))!.promote();

    await waitFor('both reminders sent', async () => (await status(lost)) === 'SENT' && (await status(kept)) === 'SENT', { everyMs: 100 });
    expect(running!.reconciler.requeuedTotal - requeuedBefore).toBe(1);
    // The row is settled inside the job, and the queue marks the job completed only after the
    // handler returns: on a busy machine the test can look in between and see it still active.
    await waitFor('the re-queued job completed', async () => (await q.getJobState(lost)) === 'completed', { everyMs: 100 });
    // Passes go on after; neither reminder is re-queued again, nor sent twice.
    const passes = running!.reconciler.passes;
    await waitFor('two more passes', () => running!.reconciler.passes >= passes + 2);
    expect(running!.reconciler.requeuedTotal - requeuedBefore).toBe(1);
    expect(mailsTo('lost@clients.test')).toHaveLength(1);
    expect(mailsTo('kept@clients.test')).toHaveLength(1);
  });

  it('looks the jobs up only for overdue live reminders: a pass over a sent one and a future one re-queues nothing', async () => {
    await reminderDueIn('later@clients.test', 3600);
    const pass = await running!.reconciler.runOnce();
    expect(pass.requeued).toEqual([]);
  });
});
