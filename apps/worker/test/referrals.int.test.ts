import { randomUUID } from 'node:crypto';
import { applyReferralStep, type Clock, lockReferralAsReceiver, lockReferralAsReferrer, outboxReferralNotifier } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import type { QueueBackendConfig } from '@fascia/jobs';
import pino from 'pino';
import { SmtpEmailChannel } from '../src/channels';
import type { WorkerConfig } from '../src/config';
import { DeliveryLog } from '../src/deliveries';
import { claimReferralFollowUps, REFERRAL_SWEEP_SCHEDULER_KEY, referralFollowUpHandler, registerReferralSweepScheduler } from '../src/handlers';
import { type RunningWorker, startWorker } from '../src/runtime';
import { answer, type ReferralNetwork, seedReferralNetwork, seedSentReferral } from './referral-fixtures';
import { dropQueues, startSmtpServer, testQueueConfig, testWorkerConfig, type TestSmtp, WAIT_TEST_TIMEOUT_MS, waitFor } from './support';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);
const MIN = 60_000;

/** The one clock the worker's handlers read: the tests move it, never wait for it. */
class TestClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date): void {
    this.at = new Date(at);
  }
}

describe.each([['redis'], ['postgres']] as const)('referral notices and follow-ups (%s backend)', (backend) => {
  let t: TestDatabase;
  let smtp: TestSmtp;
  let queueCfg: QueueBackendConfig;
  let config: WorkerConfig;
  let running: RunningWorker;
  let n: ReferralNetwork;
  const clock = new TestClock(new Date('2026-10-01T12:00:00Z'));

  const mailsAbout = (id: string) => smtp.messages.filter((m) => m.text.includes(`/referrals/${id}`));
  const deliveryRows = async (id: string) =>
    (await t.dataSource.query(`SELECT delivery_key, status, recipient, template FROM delivery WHERE delivery_key LIKE $1 ORDER BY delivery_key`, [`referral:${id}:%`])) as {
      delivery_key: string;
      status: string;
      recipient: string;
      template: string;
    }[];
  const inbox = async (id: string) =>
    ((await t.dataSource.query(`SELECT status, reminded_at, escalated_at FROM referral_inbox WHERE id = $1`, [id])) as { status: string; reminded_at: Date | null; escalated_at: Date | null }[])[0];

  /** Jobs settled (completed or failed) on both queues: the progress the waits watch. */
  const settled = async () => {
    let sum = 0;
    for (const q of Object.values(running.queues)) {
      const c = await q.getJobCounts('completed', 'failed');
      sum += (c.completed ?? 0) + (c.failed ?? 0);
    }
    return sum;
  };
  /** Every outbox row handed over and every job of both queues done: the worker is idle. */
  const idle = () =>
    waitFor(
      'the worker idle',
      async () => {
        const [{ pending }] = (await t.dataSource.query(`SELECT count(*)::int AS pending FROM outbox_message WHERE dispatched_at IS NULL`)) as { pending: number }[];
        if (pending > 0) return false;
        for (const q of Object.values(running.queues)) {
          const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
          if (Object.values(c).some((v) => v > 0)) return false;
        }
        return true;
      },
      { progress: settled },
    );
  /** One sweep tick at the clock's time, as the scheduler would run it; then the jobs it made. */
  const sweep = async () => {
    const id = `referral-sweep-test-${randomUUID()}`;
    await running.queues.scheduling.add('referral.sweep', {}, { jobId: id });
    await waitFor(`sweep ${id}`, async () => (await running.queues.scheduling.getJobState(id)) === 'completed', { progress: settled });
    await idle();
  };
  const changed = async (organizationId: string, referralId: string, toStatus: string) => {
    await t.dataSource.query(`INSERT INTO outbox_message (organization_id, job_name, payload) VALUES ($1, 'referral.changed', $2)`, [
      organizationId,
      JSON.stringify({ organizationId, referralId, toStatus }),
    ]);
    await idle();
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestDatabase();
    queueCfg = testQueueConfig(backend, t.runtimeUrl);
    config = testWorkerConfig(t.runtimeUrl, queueCfg, { smtpUrl: smtp.url, retryOverride: { backoffMs: 100, attempts: 3 }, schedulers: false });
    n = await seedReferralNetwork(t);
    running = await startWorker(config, { logger: log, clock, channels: { EMAIL: new SmtpEmailChannel(smtp.url, config.mailFrom) } });
  });

  afterAll(async () => {
    await running?.stop();
    await dropQueues(queueCfg);
    await smtp?.close();
    await t?.drop();
  });

  it('an URGENT referral sent on a Friday evening before the October change: the reminder on Tuesday 08:00 GMT, the escalation on Wednesday, each once', async () => {
    // Friday 23 October 2026, 19:00 BST: after closing; the clock starts Monday 08:00 GMT (the clocks went back on Sunday).
    const r = await seedSentReferral(t, n, { sentAt: new Date('2026-10-23T18:00:00Z'), urgency: 'URGENT' });
    expect(r.dueAt.toISOString()).toBe('2026-10-27T08:00:00.000Z');
    expect(r.escalateAt.toISOString()).toBe('2026-10-28T08:00:00.000Z');

    clock.set(new Date(r.dueAt.getTime() - MIN));
    await sweep();
    expect(mailsAbout(r.id)).toHaveLength(0);
    expect((await inbox(r.id)).reminded_at).toBeNull();

    clock.set(r.dueAt);
    await sweep();
    const [reminder] = await waitFor('the reminder', () => (mailsAbout(r.id).length === 1 ? mailsAbout(r.id) : undefined));
    expect(reminder.to).toEqual([n.receiver.practitioner.email]);
    expect(reminder.subject).toBe('Reminder: an urgent referral from Harbour Massage Leith awaits your answer');
    expect(reminder.text).toContain('Hello Priya Physio,');
    expect(reminder.text).toContain('due for an answer by Tuesday 27 October 2026, 08:00 (Europe/London)');
    expect(reminder.text).not.toContain('Rosa'); // nothing of the client in an email
    expect(reminder.text).not.toContain('back pain');
    expect((await inbox(r.id)).reminded_at?.toISOString()).toBe(r.dueAt.toISOString());

    // Later ticks before the escalation add nothing.
    clock.set(new Date(r.dueAt.getTime() + 60 * MIN));
    await sweep();
    clock.set(new Date(r.escalateAt.getTime() - MIN));
    await sweep();
    expect(mailsAbout(r.id)).toHaveLength(1);

    clock.set(r.escalateAt);
    await sweep();
    await sweep();
    const escalation = await waitFor('the escalation', () => mailsAbout(r.id).find((m) => m.subject.startsWith('Overdue referral')));
    expect(escalation.to).toEqual([n.receiver.manager.email]); // the clinic's manager, not the other clinic's, not the admin
    expect(escalation.subject).toBe('Overdue referral at Northside Physio: from Harbour Massage Leith, still unanswered');
    expect(mailsAbout(r.id)).toHaveLength(2);
    expect((await deliveryRows(r.id)).map((d) => [d.delivery_key, d.status, d.template])).toEqual([
      [`referral:${r.id}:escalation:${n.receiver.manager.userId}`, 'SENT', 'referral-escalation'],
      [`referral:${r.id}:reminder:${n.receiver.practitioner.userId}`, 'SENT', 'referral-reminder'],
    ]);
    expect((await inbox(r.id)).escalated_at?.toISOString()).toBe(r.escalateAt.toISOString());
  });

  it('an EMERGENCY referral sent on a Saturday night is followed up 4 and 8 hours later; a pool referral reminds the clinic manager', async () => {
    const r = await seedSentReferral(t, n, { sentAt: new Date('2026-10-24T21:30:00Z'), urgency: 'EMERGENCY', pool: true });
    expect(r.dueAt.toISOString()).toBe('2026-10-25T01:30:00.000Z'); // across the fall-back hour: 4 elapsed hours
    clock.set(r.dueAt);
    await sweep();
    const [reminder] = await waitFor('the reminder', () => (mailsAbout(r.id).length === 1 ? mailsAbout(r.id) : undefined));
    expect(reminder.to).toEqual([n.receiver.manager.email]);
    clock.set(r.escalateAt);
    await sweep();
    await waitFor('the escalation', () => mailsAbout(r.id).length === 2);
    expect(mailsAbout(r.id).map((m) => m.subject)).toEqual([
      'Reminder: an EMERGENCY referral from Harbour Massage Leith awaits your answer',
      'Overdue referral at Northside Physio: from Harbour Massage Leith, still unanswered',
    ]);
  });

  it('nothing after an answer: an answered referral is never claimed, and a claimed follow-up whose referral was answered meanwhile is not sent', async () => {
    const sentAt = new Date('2026-11-03T10:00:00Z'); // Tuesday
    const answered = await seedSentReferral(t, n, { sentAt, urgency: 'URGENT' });
    await answer(t, n, answered.id, 'ACCEPTED', new Date(sentAt.getTime() + 30 * MIN));
    const late = await seedSentReferral(t, n, { sentAt, urgency: 'URGENT' });

    // The sweep claims `late` while the worker's relay is held back; the receiver answers before its job runs.
    await running.relay.stop();
    clock.set(late.escalateAt);
    const claimed = [...(await claimReferralFollowUps(running.db, 'REMINDER', clock.now())), ...(await claimReferralFollowUps(running.db, 'ESCALATION', clock.now()))];
    expect(claimed.map((c) => c.referral_id).sort()).toEqual([late.id, late.id]);
    await answer(t, n, late.id, 'DECLINED', clock.now());
    running.relay.start();
    await idle();
    await sweep();
    expect(mailsAbout(answered.id)).toHaveLength(0);
    expect(mailsAbout(late.id)).toHaveLength(0);
    expect(await deliveryRows(late.id)).toEqual([]);
    expect(await inbox(answered.id)).toMatchObject({ status: 'ACCEPTED', reminded_at: null, escalated_at: null });
  });

  it('a claim that loses to an answer committed after the load sends nothing (the guard locks the inbox row)', async () => {
    const r = await seedSentReferral(t, n, { sentAt: new Date('2026-11-17T10:00:00Z'), urgency: 'URGENT' });
    /** The real delivery log, with the receiver's answer committed between the handler's load and the claim. */
    class AnsweredMeanwhile extends DeliveryLog {
      override async deliverOnce(...args: Parameters<DeliveryLog['deliverOnce']>) {
        await answer(t, n, r.id, 'ACCEPTED', clock.now());
        return super.deliverOnce(...args);
      }
    }
    const deliveries = new AnsweredMeanwhile(running.db, { EMAIL: new SmtpEmailChannel(smtp.url, config.mailFrom) }, log);
    const handler = referralFollowUpHandler({ db: running.db, deliveries, adminUrl: config.adminUrl, clock });
    clock.set(r.dueAt);
    const result = await handler({ organizationId: n.receiver.organizationId, referralId: r.id, kind: 'REMINDER' }, { jobId: randomUUID(), attempt: 1, maxAttempts: 3, log });
    expect(result).toMatchObject({ outcome: 'skipped', statuses: ['SKIPPED'] });
    expect(await deliveryRows(r.id)).toEqual([]);
    expect(mailsAbout(r.id)).toHaveLength(0);
  });

  it('EXPIRED at the end of validity, on both sides, grants revoked, the referrer told once; no follow-up after it', async () => {
    // Monday 16 November 10:00 GMT, ROUTINE (due Thursday), valid for 2 days: it expires on Wednesday before its reminder.
    const r = await seedSentReferral(t, n, { sentAt: new Date('2026-11-16T10:00:00Z'), urgency: 'ROUTINE', validForDays: 2 });
    expect(r.validUntil.toISOString()).toBe('2026-11-18T10:00:00.000Z');
    clock.set(new Date(r.validUntil.getTime() - MIN));
    await sweep();
    expect((await inbox(r.id)).status).toBe('SENT');

    clock.set(r.validUntil);
    await sweep();
    await sweep();
    const sides = (await t.dataSource.query(
      `SELECT 'referral' AS side, status FROM referral WHERE id = $1 UNION ALL SELECT 'inbox', status FROM referral_inbox WHERE id = $1 ORDER BY side`,
      [r.id],
    )) as { side: string; status: string }[];
    expect(sides).toEqual([
      { side: 'inbox', status: 'EXPIRED' },
      { side: 'referral', status: 'EXPIRED' },
    ]);
    const events = (await t.dataSource.query(`SELECT organization_id, from_status, to_status, actor_user_id FROM referral_event WHERE referral_id = $1 ORDER BY organization_id`, [
      r.id,
    ])) as { organization_id: string; from_status: string; to_status: string; actor_user_id: string | null }[];
    expect(events.map((e) => [e.organization_id, e.from_status, e.to_status, e.actor_user_id]).sort()).toEqual(
      [
        [n.referrer.organizationId, 'SENT', 'EXPIRED', null],
        [n.receiver.organizationId, 'SENT', 'EXPIRED', null],
      ].sort(),
    );
    const grants = (await t.dataSource.query(`SELECT revoked_at FROM access_grant WHERE referral_id = $1`, [r.id])) as { revoked_at: Date | null }[];
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((g) => g.revoked_at !== null)).toBe(true);

    const told = await waitFor('the referrer told', () => (mailsAbout(r.id).length === 1 ? mailsAbout(r.id) : undefined));
    expect(told.map((m) => [m.to.join(','), m.subject])).toEqual([[n.referrer.user.email, 'Referral to Northside Physio expired unanswered']]);
    expect(told[0].text).toContain('was not answered by Wednesday 18 November 2026, 10:00 (Europe/London) and has expired');

    // Past its deadline and its escalation: nothing more, ever.
    clock.set(new Date(r.escalateAt.getTime() + 60 * MIN));
    await sweep();
    expect(mailsAbout(r.id)).toHaveLength(1);
    expect(await inbox(r.id)).toMatchObject({ reminded_at: null, escalated_at: null });
  });

  it('two sweeps racing claim each follow-up once: every reminder is sent exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await seedSentReferral(t, n, { sentAt: new Date('2026-11-10T09:00:00Z'), urgency: 'ROUTINE', pool: i % 2 === 0 })).id);
    const due = new Date('2026-11-13T09:00:00Z'); // Tuesday + 3 business days
    clock.set(due);
    await running.relay.stop();
    const [a, b] = await Promise.all([claimReferralFollowUps(running.db, 'REMINDER', due, 7), claimReferralFollowUps(running.db, 'REMINDER', due, 7)]);
    const rest = [];
    for (;;) {
      const more = await Promise.all([claimReferralFollowUps(running.db, 'REMINDER', due, 7), claimReferralFollowUps(running.db, 'REMINDER', due, 7)]);
      rest.push(...more.flat());
      if (more.every((m) => m.length === 0)) break;
    }
    const all = [...a, ...b, ...rest].map((c) => c.referral_id);
    expect(all.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    expect(new Set(all).size).toBe(all.length);
    running.relay.start();
    await idle();
    await sweep(); // and the scheduled sweep after them finds nothing left
    for (const id of ids) expect(mailsAbout(id)).toHaveLength(1);
  });

  it('every state change tells the other side, once per person and state', async () => {
    const r = await seedSentReferral(t, n, { sentAt: new Date('2026-12-01T10:00:00Z') });
    const pool = await seedSentReferral(t, n, { sentAt: new Date('2026-12-01T10:00:00Z'), pool: true });
    const A = n.referrer.organizationId;
    const B = n.receiver.organizationId;
    await changed(B, r.id, 'SENT');
    await changed(B, pool.id, 'SENT');
    await changed(A, r.id, 'ACCEPTED');
    await changed(A, r.id, 'SCHEDULED');
    await changed(A, r.id, 'COMPLETED');
    await changed(B, r.id, 'CLOSED');
    await changed(A, pool.id, 'DECLINED');
    await changed(B, pool.id, 'CANCELLED');
    await changed(A, r.id, 'ACCEPTED'); // a message written twice: one email

    const seen = (id: string) => mailsAbout(id).map((m) => [m.to.join(','), m.subject]);
    expect(seen(r.id)).toEqual([
      [n.receiver.practitioner.email, 'New urgent referral from Harbour Massage Leith'],
      [n.referrer.user.email, 'Referral accepted by Northside Physio'],
      [n.referrer.user.email, 'Referral scheduled by Northside Physio'],
      [n.referrer.user.email, 'Referral completed by Northside Physio: their reply is in'],
      [n.receiver.practitioner.email, 'Referral closed by Harbour Massage Leith'],
    ]);
    expect(seen(pool.id)).toEqual([
      [n.receiver.manager.email, 'New urgent referral from Harbour Massage Leith'],
      [n.referrer.user.email, 'Referral declined by Northside Physio'],
      [n.receiver.manager.email, 'Referral cancelled by Harbour Massage Leith'],
    ]);
    const newOne = mailsAbout(r.id)[0];
    expect(newOne.text).toContain('Please accept or decline it by Wednesday 2 December 2026, 10:00 (Europe/London).');
    expect(newOne.text).toContain(`Open the referral: http://admin.fascia.test/referrals/${r.id}`);
  });

  it('through the core: an accept tells the referrer, and an answered referral gets no reminder at its deadline', async () => {
    const r = await seedSentReferral(t, n, { sentAt: new Date('2026-12-07T10:00:00Z') });
    const B = n.receiver;
    await t.db.tenant({ organizationId: B.organizationId, userId: B.practitioner.userId }, async (tx) => {
      const locked = await lockReferralAsReceiver(tx, r.id);
      await applyReferralStep(tx, locked, { action: 'ACCEPT', actor: { userId: B.practitioner.userId, name: B.practitioner.name }, now: clock.now(), notify: outboxReferralNotifier });
    });
    await idle();
    expect(mailsAbout(r.id).map((m) => [m.to.join(','), m.subject])).toEqual([[n.referrer.user.email, 'Referral accepted by Northside Physio']]);
    clock.set(r.escalateAt);
    await sweep();
    expect(mailsAbout(r.id)).toHaveLength(1);
    expect(await inbox(r.id)).toMatchObject({ status: 'ACCEPTED', reminded_at: null, escalated_at: null });

    const c = await seedSentReferral(t, n, { sentAt: new Date('2026-12-07T10:00:00Z'), pool: true });
    await t.db.tenant({ organizationId: n.referrer.organizationId, userId: n.referrer.user.userId }, async (tx) => {
      const locked = await lockReferralAsReferrer(tx, c.id);
      await applyReferralStep(tx, locked, { action: 'CANCEL', actor: { userId: n.referrer.user.userId, name: n.referrer.user.name }, reason: 'Seen elsewhere', now: clock.now(), notify: outboxReferralNotifier });
    });
    await idle();
    expect(mailsAbout(c.id).map((m) => [m.to.join(','), m.subject])).toEqual([[n.receiver.manager.email, 'Referral cancelled by Harbour Massage Leith']]);
  });

  it('a notice naming the wrong organization sends nothing and fails for good', async () => {
    const r = await seedSentReferral(t, n, { sentAt: new Date('2026-12-02T10:00:00Z') });
    const id = randomUUID();
    await t.dataSource.query(`INSERT INTO outbox_message (id, organization_id, job_name, payload) VALUES ($1, $2, 'referral.changed', $3)`, [
      id,
      n.referrer.organizationId,
      JSON.stringify({ organizationId: n.referrer.organizationId, referralId: r.id, toStatus: 'SENT' }),
    ]);
    await waitFor('the job failed', async () => (await running.queues.notifications.getJobState(id)) === 'failed', { progress: settled });
    const job = await running.queues.notifications.getJob(id);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/does not belong to organization/);
    expect(mailsAbout(r.id)).toHaveLength(0);
  });

  it('the sweep scheduler is upserted under one stable key', async () => {
    const q = running.queues.scheduling;
    await registerReferralSweepScheduler(q);
    await registerReferralSweepScheduler(q, '*/2 * * * *'); // a restart with another pattern
    const schedulers = (await q.getJobSchedulers(0, -1, true)).filter((s) => s.key === REFERRAL_SWEEP_SCHEDULER_KEY);
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0].pattern).toBe('*/2 * * * *');
    expect(schedulers[0].template?.opts).toMatchObject({ removeOnComplete: true, attempts: 3 });
    await q.removeJobScheduler(REFERRAL_SWEEP_SCHEDULER_KEY);
  });
});
