import { randomBytes, randomUUID } from 'node:crypto';
import { QUEUES, createQueue, createWorker, type JobQueue, type JobWorker, type QueueBackendConfig } from '@fascia/jobs';
import { codeOf, startTestApi, type TestApi } from './harness';
import { member } from './appointments.fixtures';

const HEALTH = `query H { queueHealth { failedJobs { queue jobId name attemptsMade failedReason deliveryKeys } } }`;
const RETRY = `mutation R($input: DeadLetterInput!) { retryDeadLetter(input: $input) { queue jobId name action } }`;
const DISCARD = `mutation D($input: DeadLetterInput!) { discardDeadLetter(input: $input) { queue jobId name action } }`;

/** Polls until `read` returns a value (tests wait on progress, not on a clock). */
async function until<T>(read: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await read();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/**
 * Dead letters on both BullMQ backends: a job made to fail (one attempt) lands in the failed
 * set and on the operations page; an organization admin retries it (its DEAD delivery made
 * sendable again, the job run from its first attempt, this time to success) and discards
 * another (removed; its delivery stays DEAD); both are audited; no one else may.
 */
describe.each(['postgres', 'redis'] as const)('dead letters on the %s backend', (backend) => {
  let t: TestApi;
  let cfg: QueueBackendConfig;
  let queue: JobQueue;
  let worker: JobWorker;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let other: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  /** The processor fails the job ids in here, and runs the others to success. */
  const failing = new Set<string>();
  const ran: string[] = [];
  const saved = { REDIS_URL: process.env.REDIS_URL, QUEUE_PREFIX: process.env.QUEUE_PREFIX };

  beforeAll(async () => {
    t = await startTestApi();
    const databaseUrl = process.env.DATABASE_URL || t.tdb.url;
    if (backend === 'redis') {
      const prefix = `fascia-test-${randomBytes(6).toString('hex')}`;
      // The API picks its queue backend from the environment on first use (services.ts).
      process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
      process.env.QUEUE_PREFIX = prefix;
      cfg = { kind: 'redis', url: process.env.REDIS_URL, prefix };
    } else {
      delete process.env.REDIS_URL;
      cfg = { kind: 'postgres', connectionString: databaseUrl };
    }
    admin = await t.orgWithAdmin(`Dead ${backend}`);
    other = await t.orgWithAdmin(`Other ${backend}`);
    // Reading the queue health opens the API's queue handles on this backend.
    expect((await t.gql(HEALTH, {}, admin.token)).errors).toBeUndefined();
    queue = createQueue(QUEUES.notifications, cfg);
    worker = createWorker(
      QUEUES.notifications,
      async (job) => {
        ran.push(String(job.id));
        if (failing.has(String(job.id))) throw new Error('550 mailbox unavailable');
        return 'sent';
      },
      cfg,
      { concurrency: 2 },
    );
  });

  afterAll(async () => {
    await worker?.close();
    if (cfg?.kind === 'redis') await queue.obliterate({ force: true });
    await queue?.close();
    await t.stop();
    if (saved.REDIS_URL === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = saved.REDIS_URL;
    if (saved.QUEUE_PREFIX === undefined) delete process.env.QUEUE_PREFIX;
    else process.env.QUEUE_PREFIX = saved.QUEUE_PREFIX;
  });

  async function deadJob(organizationId: string): Promise<string> {
    const jobId = randomUUID();
    failing.add(jobId);
    // What the worker's delivery log leaves behind for a message it gave up on.
    await t.tdb.dataSource.query(
      `INSERT INTO delivery (organization_id, delivery_key, channel, recipient, template, status, attempts, last_error, outbox_id)
       VALUES ($1, $2, 'EMAIL', 'bounce@x.test', 'staff-invitation', 'DEAD', 1, '550 mailbox unavailable', $3)`,
      [organizationId, `invitation:${jobId}`, jobId],
    );
    await queue.add('staff.invitation.send', { organizationId, invitationId: randomUUID() }, { jobId, attempts: 1 });
    await until(async () => (await queue.getJobState(jobId)) === 'failed', `job ${jobId} to fail`);
    return jobId;
  }

  const deliveryStatus = async (jobId: string) =>
    ((await t.tdb.dataSource.query(`SELECT status FROM delivery WHERE outbox_id = $1`, [jobId])) as { status: string }[])[0]?.status;

  it('lists a failed job, retries it to success, discards another, and audits both', async () => {
    const retried = await deadJob(admin.organizationId);
    const discarded = await deadJob(admin.organizationId);
    const foreign = await deadJob(other.organizationId);

    const health = await t.gql(HEALTH, {}, admin.token);
    expect(health.errors).toBeUndefined();
    const ids = health.data?.queueHealth.failedJobs.map((j: { jobId: string }) => j.jobId);
    expect(ids).toEqual(expect.arrayContaining([retried, discarded]));
    expect(ids).not.toContain(foreign);
    expect(health.data?.queueHealth.failedJobs.find((j: { jobId: string }) => j.jobId === retried)).toEqual({
      queue: 'notifications',
      jobId: retried,
      name: 'staff.invitation.send',
      attemptsMade: 1,
      failedReason: '550 mailbox unavailable',
      deliveryKeys: [`invitation:${retried}`],
    });

    // Retried: the delivery is sendable again (FAILED, not DEAD) and the job runs, to success this time.
    failing.delete(retried);
    const r = await t.gql(RETRY, { input: { queue: 'notifications', jobId: retried } }, admin.token);
    expect(r.errors).toBeUndefined();
    expect(r.data?.retryDeadLetter).toEqual({ queue: 'notifications', jobId: retried, name: 'staff.invitation.send', action: 'RETRIED' });
    expect(await deliveryStatus(retried)).toBe('FAILED');
    await until(async () => (await queue.getJobState(retried)) === 'completed', 'the retried job to complete');
    expect(ran.filter((id) => id === retried)).toHaveLength(2);

    // Retrying again: it is no longer a dead letter.
    expect(codeOf(await t.gql(RETRY, { input: { queue: 'notifications', jobId: retried } }, admin.token))).toBe('CONFLICT');

    // Discarded: gone from the queue; its delivery stays DEAD, the record of what was not sent.
    const d = await t.gql(DISCARD, { input: { queue: 'notifications', jobId: discarded, reason: 'The invitation was withdrawn' } }, admin.token);
    expect(d.errors).toBeUndefined();
    expect(d.data?.discardDeadLetter.action).toBe('DISCARDED');
    expect(await queue.getJob(discarded)).toBeFalsy();
    expect(await deliveryStatus(discarded)).toBe('DEAD');

    const after = await t.gql(HEALTH, {}, admin.token);
    const left = after.data?.queueHealth.failedJobs.map((j: { jobId: string }) => j.jobId);
    expect(left).not.toContain(retried);
    expect(left).not.toContain(discarded);

    const audit = (await t.tdb.dataSource.query(
      `SELECT action, record_id, detail->>'reason' AS reason FROM audit_event WHERE organization_id = $1 AND action LIKE 'deadLetter.%' ORDER BY occurred_at`,
      [admin.organizationId],
    )) as { action: string; record_id: string; reason: string | null }[];
    expect(audit).toEqual([
      { action: 'deadLetter.retry', record_id: retried, reason: null },
      { action: 'deadLetter.discard', record_id: discarded, reason: 'The invitation was withdrawn' },
    ]);

    // Another organization's dead letter is not found from here (and is left as it is).
    const cross = await t.gql(RETRY, { input: { queue: 'notifications', jobId: foreign } }, admin.token);
    expect(codeOf(cross)).toBe('NOT_FOUND');
    expect(await queue.getJobState(foreign)).toBe('failed');
    expect(await deliveryStatus(foreign)).toBe('DEAD');
  });

  it('is for organization admins only, and says what is wrong with bad input', async () => {
    const jobId = await deadJob(admin.organizationId);
    const manager = await member(t, admin.organizationId, 'CLINIC_MANAGER');
    expect(codeOf(await t.gql(RETRY, { input: { queue: 'notifications', jobId } }, manager.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(DISCARD, { input: { queue: 'notifications', jobId } }, manager.token))).toBe('FORBIDDEN');
    expect(await queue.getJobState(jobId)).toBe('failed');

    const bad = await t.gql(RETRY, { input: { queue: 'email', jobId } }, admin.token);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.field).toBe('input.queue');
    expect(bad.errors?.[0].message).toMatch(/notifications, scheduling/);
  });
});
