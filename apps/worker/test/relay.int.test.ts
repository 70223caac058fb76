import { OutboxMessage } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { type JobQueue, type QueueBackendConfig, QUEUES, createQueue, enqueue } from '@fascia/jobs';
import pino from 'pino';
import { OutboxRelay } from '../src/relay';
import { type Seed, seedInvitation, seedOrganization, testQueueConfig, waitFor, WAIT_TEST_TIMEOUT_MS } from './support';

// A failure guard only: waits fail when progress stalls (support.ts waitFor), never on a deadline.
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** The relay alone, with no BullMQ worker: the jobs it adds stay in the queue to be looked at. */
describe.each([['redis'], ['postgres']] as const)('outbox relay (%s backend)', (backend) => {
  let t: TestDatabase;
  let cfg: QueueBackendConfig;
  let queue: JobQueue;
  let acme: Seed;
  let invitationId: string;
  const relay = () => new OutboxRelay(t.db, { notifications: queue }, log, { pollMs: 50, batchSize: 10 });
  const outbox = (id: string) => t.db.system((em) => em.findOneByOrFail(OutboxMessage, { id }));
  const add = (runAt?: Date) =>
    t.db.tenant({ organizationId: acme.organizationId, userId: null }, (tx) =>
      enqueue(tx.em, 'staff.invitation.send', { organizationId: acme.organizationId, invitationId }, { runAt }),
    );
  const pending = () => t.db.system((em) => em.query(`SELECT count(*)::int AS n FROM outbox_message WHERE dispatched_at IS NULL`)) as Promise<{ n: number }[]>;

  beforeAll(async () => {
    t = await createTestDatabase();
    cfg = testQueueConfig(backend, t.runtimeUrl);
    queue = createQueue(QUEUES.notifications, cfg);
    await queue.waitUntilReady();
    acme = await seedOrganization(t, 'Acme Massage', 'acme');
    ({ invitationId } = await seedInvitation(t, acme, 'rosa@staff.test'));
  });
  afterAll(async () => {
    if (queue) {
      if (cfg.kind === 'redis') await queue.obliterate({ force: true });
      await queue.close();
    }
    await t?.drop();
  });
  beforeEach(async () => {
    // Each test starts with an empty outbox.
    await t.db.system((em) => em.query(`UPDATE outbox_message SET dispatched_at = now(), claimed_until = NULL, last_error = NULL WHERE dispatched_at IS NULL`));
  });

  it('hands each row over exactly once when several relays run at the same time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(await add());
    const relays = [relay(), relay(), relay()];
    let total = 0;
    for (let round = 0; round < 5; round++) total += (await Promise.all(relays.map((r) => r.runOnce()))).reduce((a, b) => a + b, 0);
    expect(total).toBe(25);
    expect((await pending())[0].n).toBe(0);
    for (const id of ids) {
      const job = await queue.getJob(id);
      expect(job?.name).toBe('staff.invitation.send');
      expect(job?.data).toEqual({ organizationId: acme.organizationId, invitationId });
      expect(job?.opts.attempts).toBe(5);
      const row = await outbox(id);
      expect(row).toMatchObject({ attempts: 1, lastError: null, runAt: null });
      expect(row.dispatchedAt).toBeInstanceOf(Date);
    }
  });

  it('delays a row scheduled for later until its run_at, and keeps run_at', async () => {
    const runAt = new Date(Date.now() + 10 * 60_000);
    const id = await add(runAt);
    expect(await relay().runOnce()).toBe(1);
    expect(await queue.getJobState(id)).toBe('delayed');
    const job = await queue.getJob(id);
    expect(job!.delay).toBeGreaterThan(9 * 60_000);
    expect(job!.delay).toBeLessThanOrEqual(10 * 60_000);
    expect((await outbox(id)).runAt?.getTime()).toBe(runAt.getTime());
  });

  it('leaves a row claimed by another relay alone until the claim runs out, then hands it over (a relay that died)', async () => {
    const id = await add();
    // What a relay killed between claim and hand-over leaves behind.
    await t.db.system((em) => em.query(`UPDATE outbox_message SET claimed_until = now() + interval '30 seconds', attempts = 1 WHERE id = $1`, [id]));
    expect(await relay().runOnce()).toBe(0);
    expect(await queue.getJob(id)).toBeUndefined();
    // The lease runs out.
    await t.db.system((em) => em.query(`UPDATE outbox_message SET claimed_until = now() - interval '1 second' WHERE id = $1`, [id]));
    expect(await relay().runOnce()).toBe(1);
    expect(await queue.getJob(id)).toBeDefined();
    expect(await outbox(id)).toMatchObject({ attempts: 2, lastError: null });
  });

  it('a row handed over twice is still one job', async () => {
    const id = await add();
    expect(await relay().runOnce()).toBe(1);
    await t.db.system((em) => em.update(OutboxMessage, { id }, { dispatchedAt: null }));
    expect(await relay().runOnce()).toBe(1);
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(jobs.filter((j) => j.id === id)).toHaveLength(1);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(jobs.length);
  });

  it('keeps a row it cannot hand over pending, with the reason, and backs off', async () => {
    const [row] = (await t.db.system((em) =>
      em.query(`INSERT INTO outbox_message (organization_id, job_name, payload) VALUES ($1, 'no.such.job', '{}') RETURNING id`, [acme.organizationId]),
    )) as { id: string }[];
    expect(await relay().runOnce()).toBe(0);
    const after = await outbox(row.id);
    expect(after.dispatchedAt).toBeNull();
    expect(after.lastError).toMatch(/Unknown job "no.such.job"/);
    expect(after.attempts).toBe(1);
    expect(after.claimedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(after.runAt).toBeNull();
    // Not picked again before its backoff is over.
    expect(await relay().runOnce()).toBe(0);
    expect((await outbox(row.id)).attempts).toBe(1);
  });

  it('start() polls and stop() waits for the pass in progress', async () => {
    const r = relay();
    r.start();
    const id = await add();
    await waitFor('the row dispatched', async () => (await outbox(id)).dispatchedAt !== null, { everyMs: 20 });
    await r.stop();
    expect((await outbox(id)).dispatchedAt).toBeInstanceOf(Date);
    const later = await add();
    await new Promise((res) => setTimeout(res, 150));
    expect((await outbox(later)).dispatchedAt).toBeNull();
  });
});
