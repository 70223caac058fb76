import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import type { QueueBackendConfig } from '@fascia/jobs';
import pino from 'pino';
import { scheduleReminder } from '../src/handlers/reminders';
import { type RunningWorker, startWorker } from '../src/runtime';
import { type ClinicFixture, seedAppointment, seedClient, seedClinic, seedPolicy } from './clinical';
import { type TestSmtp, WAIT_TEST_TIMEOUT_MS, dropQueues, seedOrganization, startSmtpServer, testQueueConfig, testWorkerConfig, waitFor } from './support';

/**
 * Due-now reminders as batch jobs (issue 10 goal 4), the worker in-process on each backend, at
 * concurrency 4 (so batches of up to 4): the relay groups the due `reminder.send` rows it claims
 * into `reminder.send-batch` jobs and stamps each row with its batch job's id; each reminder of a
 * batch is delivered once; a reminder whose appointment was cancelled is SKIPPED inside its
 * batch, one already CANCELLED stays so; a reminder that fails for now is retried alone, as its
 * own `reminder.send` job; the reconcile pass finds a batch job the queue lost and leaves one
 * that is still to run.
 */
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe.each([['redis'], ['postgres']] as const)('reminders due now, in batch jobs (%s backend)', (backend) => {
  let t: TestDatabase;
  let smtp: TestSmtp;
  let queueCfg: QueueBackendConfig;
  let running: RunningWorker | null = null;
  let clinic: ClinicFixture;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestDatabase();
    queueCfg = testQueueConfig(backend, t.runtimeUrl);
    const org = await seedOrganization(t, 'Batch Co', 'batch');
    clinic = await seedClinic(t, org.organizationId, { timeZone: 'UTC' });
    await seedPolicy(t, clinic, { leadMinutes: [60], channels: ['EMAIL'] });
    running = await startWorker(
      testWorkerConfig(t.runtimeUrl, queueCfg, {
        smtpUrl: smtp.url,
        smsProvider: 'console',
        schedulers: false,
        concurrency: 4,
        reconcileEveryMs: 1000,
        retryOverride: { attempts: 3, backoffMs: 100 },
      }),
      { logger: log },
    );
  });
  afterAll(async () => {
    await running?.stop();
    await dropQueues(queueCfg);
    await smtp?.close();
    await t?.drop();
  });

  interface Seeded {
    id: string;
    appointmentId: string;
    email: string;
  }

  /**
   * Reminders due now for new clients' appointments two hours ahead, written in ONE transaction
   * (so the relay claims their outbox rows together), after `inTx` has run in it.
   */
  const seedDue = async (emails: string[], inTx?: (em: import('typeorm').EntityManager, seeded: Seeded[]) => Promise<void>): Promise<Seeded[]> => {
    const startsAt = new Date(Date.now() + 2 * 3600_000);
    const people: { email: string; client: string; appointmentId: string }[] = [];
    for (const email of emails) {
      const client = await seedClient(t, clinic, { email, channels: ['EMAIL'] });
      people.push({ email, client, appointmentId: await seedAppointment(t, clinic, client, startsAt) });
    }
    return t.db.system(async (em) => {
      const seeded: Seeded[] = [];
      for (const p of people) {
        const id = await scheduleReminder(em, {
          organizationId: clinic.organizationId,
          clinicId: clinic.clinicId,
          kind: 'APPOINTMENT',
          appointmentId: p.appointmentId,
          planId: null,
          clientId: p.client,
          channel: 'EMAIL',
          leadMinutes: 60,
          dueAt: new Date(),
          sendAt: new Date(),
          appointmentStartsAt: startsAt,
          deliveryKey: `appointment:${p.appointmentId}:batch-test`,
        });
        if (!id) throw new Error('not scheduled');
        seeded.push({ id, appointmentId: p.appointmentId, email: p.email });
      }
      await inTx?.(em, seeded);
      return seeded;
    });
  };
  const rows = async (ids: string[]) =>
    (await t.dataSource.query(
      `SELECT r.id, r.status, r.last_error, o.batch_job_id, o.dispatched_at IS NOT NULL AS dispatched, d.attempts AS delivery_attempts
       FROM reminder r JOIN outbox_message o ON o.id = r.id LEFT JOIN delivery d ON d.delivery_key = r.delivery_key WHERE r.id = ANY($1::uuid[])`,
      [ids],
    )) as { id: string; status: string; last_error: string | null; batch_job_id: string | null; dispatched: boolean; delivery_attempts: number | null }[];
  const settled = (ids: string[]) => async () => (await rows(ids)).every((r) => !['SCHEDULED', 'FAILED'].includes(r.status));
  const mailsTo = (to: string) => smtp.messages.filter((m) => m.to.includes(to));
  const tag = () => randomUUID().slice(0, 8);

  it('hands due reminders over as batch jobs of at most the concurrency, stamps each row with its batch, and delivers each reminder once', async () => {
    const t0 = tag();
    const seeded = await seedDue(Array.from({ length: 6 }, (_, i) => `batch-${t0}-${i}@clients.test`));
    const ids = seeded.map((s) => s.id);
    await waitFor('every reminder of the batches sent', settled(ids), { everyMs: 50 });

    const after = await rows(ids);
    expect(after.map((r) => r.status)).toEqual(ids.map(() => 'SENT'));
    for (const s of seeded) expect(mailsTo(s.email)).toHaveLength(1);
    // Claimed together: 6 due rows of one organization → batches of 4 and 2, each row stamped.
    const batches = [...new Set(after.map((r) => r.batch_job_id))];
    expect(batches).toHaveLength(2);
    expect(batches.every((b) => typeof b === 'string')).toBe(true);
    const q = running!.queues.notifications;
    const jobs = await Promise.all(batches.map((b) => q.getJob(b!)));
    expect(jobs.map((j) => j?.name)).toEqual(['reminder.send-batch', 'reminder.send-batch']);
    expect(jobs.flatMap((j) => (j!.data as { reminderIds: string[] }).reminderIds).sort()).toEqual([...ids].sort());
    expect(jobs.map((j) => (j!.data as { reminderIds: string[] }).reminderIds.length).sort()).toEqual([2, 4]);
    await waitFor('the batch jobs completed', async () => (await Promise.all(batches.map((b) => q.getJobState(b!)))).every((s) => s === 'completed'));
    const results = await Promise.all(batches.map(async (b) => (await q.getJob(b!))!.returnvalue as { sent: number; retried: number }));
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(6);
    // No reminder had a job of its own.
    for (const id of ids) expect(await q.getJobState(id)).toBe('unknown');
  });

  it('SKIPS a reminder whose appointment was cancelled inside its batch, leaves a CANCELLED one as it is, and sends the others', async () => {
    const t0 = tag();
    const emails = [`ok-${t0}-a@clients.test`, `gone-${t0}@clients.test`, `cancelled-${t0}@clients.test`, `ok-${t0}-b@clients.test`];
    const seeded = await seedDue(emails, async (em, s) => {
      // Before the outbox rows commit, so the batch is made with these two in it (the appointment
      // as its owner, committed apart: the worker's role does not write appointments).
      await t.dataSource.query(`UPDATE appointment SET status = 'CANCELLED' WHERE id = $1`, [s[1].appointmentId]);
      await em.query(`UPDATE reminder SET status = 'CANCELLED', last_error = 'appointment cancelled' WHERE id = $1`, [s[2].id]);
    });
    const ids = seeded.map((s) => s.id);
    await waitFor('the batch handled', async () => {
      const r = await rows(ids);
      return r.filter((x) => x.status === 'SENT').length === 2 && r.find((x) => x.id === ids[1])?.status === 'SKIPPED';
    });
    const after = new Map((await rows(ids)).map((r) => [r.id, r]));
    expect(new Set(ids.map((id) => after.get(id)!.batch_job_id)).size).toBe(1);
    expect(after.get(ids[0])!.status).toBe('SENT');
    expect(after.get(ids[1])).toMatchObject({ status: 'SKIPPED', last_error: 'the appointment is cancelled', delivery_attempts: null });
    expect(after.get(ids[2])).toMatchObject({ status: 'CANCELLED', delivery_attempts: null });
    expect(after.get(ids[3])!.status).toBe('SENT');
    expect(mailsTo(emails[1])).toHaveLength(0);
    expect(mailsTo(emails[2])).toHaveLength(0);
    expect(mailsTo(emails[0])).toHaveLength(1);
    expect(mailsTo(emails[3])).toHaveLength(1);
    const q = running!.queues.notifications;
    const batchId = after.get(ids[0])!.batch_job_id!;
    await waitFor('the batch job completed', async () => (await q.getJobState(batchId)) === 'completed');
    expect((await q.getJob(batchId))!.returnvalue).toMatchObject({ reminders: 4, sent: 2, skipped: 1, alreadyHandled: 1, retried: 0 });
  });

  it('retries only the reminder that failed for now (SMTP 451), as its own job; the batch runs once and the others are sent once', async () => {
    const t0 = tag();
    const emails = [`steady-${t0}-a@clients.test`, `flaky-${t0}@clients.test`, `steady-${t0}-b@clients.test`];
    const seeded = await seedDue(emails);
    const ids = seeded.map((s) => s.id);
    await waitFor('all three sent', settled(ids), { everyMs: 50 });
    const after = new Map((await rows(ids)).map((r) => [r.id, r]));
    expect(ids.map((id) => after.get(id)!.status)).toEqual(['SENT', 'SENT', 'SENT']);
    // The flaky one took two tries (451, then accepted); the others one each, never re-run.
    expect(smtp.rcptAttempts.filter((a) => a === emails[1])).toHaveLength(2);
    expect(smtp.rcptAttempts.filter((a) => a === emails[0])).toHaveLength(1);
    expect(smtp.rcptAttempts.filter((a) => a === emails[2])).toHaveLength(1);
    expect(ids.map((id) => after.get(id)!.delivery_attempts)).toEqual([1, 2, 1]);
    for (const e of emails) expect(mailsTo(e)).toHaveLength(1);

    const q = running!.queues.notifications;
    const batchId = after.get(ids[0])!.batch_job_id!;
    await waitFor('the batch job completed', async () => (await q.getJobState(batchId)) === 'completed');
    const batch = (await q.getJob(batchId))!;
    expect(batch.attemptsMade).toBe(1);
    expect(batch.returnvalue).toMatchObject({ reminders: 3, sent: 2, retried: 1 });
    // The retry is the reminder's own job (jobId = reminder id), the others have none.
    const retry = (await q.getJob(ids[1]))!;
    expect(retry.name).toBe('reminder.send');
    expect(retry.data).toEqual({ organizationId: clinic.organizationId, reminderId: ids[1] });
    expect(await q.getJobState(ids[0])).toBe('unknown');
    expect(await q.getJobState(ids[2])).toBe('unknown');
  });

  it('the reconcile pass hands back the reminders of a batch job the queue lost (sent once), and leaves those of a batch job still to run', async () => {
    const t0 = tag();
    const q = running!.queues.notifications;
    const lostBatch = randomUUID();
    const keptBatch = randomUUID();
    // Rows handed over in batches a while ago: one batch the queue never kept (a failover lost
    // the write), one still delayed in the queue. Their reminders are overdue.
    const seeded = await seedDue([`lost-${t0}-a@clients.test`, `lost-${t0}-b@clients.test`, `kept-${t0}@clients.test`], async (em, s) => {
      await em.query(`UPDATE reminder SET send_at = now() - interval '10 seconds', due_at = now() - interval '10 seconds' WHERE id = ANY($1::uuid[])`, [s.map((x) => x.id)]);
      await em.query(`UPDATE outbox_message SET dispatched_at = now() - interval '10 seconds', batch_job_id = $2 WHERE id = ANY($1::uuid[])`, [[s[0].id, s[1].id], lostBatch]);
      await em.query(`UPDATE outbox_message SET dispatched_at = now() - interval '10 seconds', batch_job_id = $2 WHERE id = $1`, [s[2].id, keptBatch]);
      // In the queue before the rows commit: no pass can see this batch missing.
      await q.add('reminder.send-batch', { organizationId: clinic.organizationId, reminderIds: [s[2].id] }, { jobId: keptBatch, delay: 3600_000 });
    });
    const requeuedBefore = running!.reconciler.requeuedTotal;

    await waitFor('the lost batch’s reminders sent', settled([seeded[0].id, seeded[1].id]), { everyMs: 100 });
    expect((await rows([seeded[0].id, seeded[1].id])).map((r) => r.status)).toEqual(['SENT', 'SENT']);
    expect(running!.reconciler.requeuedTotal - requeuedBefore).toBe(2);
    expect(mailsTo(seeded[0].email)).toHaveLength(1);
    expect(mailsTo(seeded[1].email)).toHaveLength(1);
    // Handed over again as a new batch (another id), stamped on their rows.
    const again = await rows([seeded[0].id, seeded[1].id]);
    expect(again.every((r) => r.dispatched && r.batch_job_id !== null && r.batch_job_id !== lostBatch)).toBe(true);

    // The reminder whose batch job is still delayed is left to it: passes go on, nothing re-queued.
    const pass = await running!.reconciler.runOnce();
    expect(pass.requeued).toEqual([]);
    const [kept] = await rows([seeded[2].id]);
    expect(kept).toMatchObject({ status: 'SCHEDULED', batch_job_id: keptBatch, dispatched: true });
    expect(await q.getJobState(keptBatch)).toBe('delayed');
    expect(mailsTo(seeded[2].email)).toHaveLength(0);
    // Then that job runs (promoted), and sends it, once.
    await (await q.getJob(keptBatch))!.promote();
    await waitFor('the kept batch’s reminder sent', settled([seeded[2].id]), { everyMs: 100 });
    expect(mailsTo(seeded[2].email)).toHaveLength(1);
    expect(running!.reconciler.requeuedTotal - requeuedBefore).toBe(2);
  });
});
