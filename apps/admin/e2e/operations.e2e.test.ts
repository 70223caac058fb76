import { randomUUID } from 'node:crypto';
import { QUEUES, createQueue, createWorker, queueBackendFromEnv, type JobQueue, type JobWorker } from '@fascia/jobs';
import { E2E_TEST_MS, axeViolations, startHarness, type AdminHarness } from './harness';

/**
 * Issue 13 item 9 (operations), in the browser: two jobs made to fail land in the dead letters;
 * the organization admin retries one from the Operations page (it runs again, to success this
 * time) and discards the other with a reason. The page is checked by axe-core with the list shown.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let queue: JobQueue;
let worker: JobWorker;
const failing = new Set<string>();

async function until<T>(read: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await read();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

beforeAll(async () => {
  h = await startHarness({ orgName: 'Queue Street Massage', adminName: 'Ada Okafor' });
  // The backend the API picks (services.ts): REDIS_URL, else BullMQ's PostgreSQL backend in the database.
  const cfg = queueBackendFromEnv({ ...process.env, DATABASE_URL: process.env.DATABASE_URL || h.tdb.url });
  queue = createQueue(QUEUES.notifications, cfg);
  // Stands in for the worker: fails the jobs named in `failing`, runs the others to success.
  worker = createWorker(
    QUEUES.notifications,
    async (job) => {
      if (failing.has(String(job.id))) throw new Error('550 mailbox unavailable');
      return 'sent';
    },
    cfg,
  );
});

afterAll(async () => {
  await worker?.close();
  await queue?.close();
  await h?.stop();
});

async function deadJob(): Promise<string> {
  const jobId = randomUUID();
  failing.add(jobId);
  await queue.add('staff.invitation.send', { organizationId: h.admin.organizationId, invitationId: randomUUID() }, { jobId, attempts: 1 });
  await until(async () => (await queue.getJobState(jobId)) === 'failed', `job ${jobId} to fail`);
  return jobId;
}

test('an organization admin retries one dead-lettered job and discards another from the Operations page', async () => {
  const retried = await deadJob();
  const discarded = await deadJob();
  const { context, page } = await h.newPage();
  try {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(h.admin.email);
    await page.getByLabel('Password').fill(h.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).click();
    const table = page.getByRole('table', { name: 'Jobs the worker gave up on' });
    await table.waitFor();
    const row = (id: string) => table.getByRole('row').filter({ hasText: id });
    await row(retried).waitFor();
    await row(discarded).waitFor();
    expect(await row(retried).innerText()).toContain('550 mailbox unavailable');
    const violations = await axeViolations(page);
    expect(violations).toEqual([]);

    failing.delete(retried);
    await row(retried).getByRole('button', { name: /^Retry/ }).click();
    await page.getByRole('status').filter({ hasText: '“Send a staff invitation” will run again.' }).waitFor();
    await until(async () => (await queue.getJobState(retried)) === 'completed', 'the retried job to complete');
    await row(retried).waitFor({ state: 'detached' });

    await row(discarded).getByRole('button', { name: /^Discard…/ }).click();
    await row(discarded).getByLabel('Why discard it? (optional)').fill('The person was invited again by hand');
    await row(discarded).getByRole('button', { name: 'Discard for good' }).click();
    await page.getByRole('status').filter({ hasText: 'was discarded; it will not run again.' }).waitFor();
    await table.waitFor({ state: 'detached' });
    await page.getByText('No jobs in the dead letters').waitFor();
    expect(await queue.getJob(discarded)).toBeFalsy();

    const audit = (await h.tdb.dataSource.query(
      `SELECT action, detail->>'reason' AS reason FROM audit_event WHERE organization_id = $1 AND action LIKE 'deadLetter.%' ORDER BY occurred_at`,
      [h.admin.organizationId],
    )) as { action: string; reason: string | null }[];
    expect(audit).toEqual([
      { action: 'deadLetter.retry', reason: null },
      { action: 'deadLetter.discard', reason: 'The person was invited again by hand' },
    ]);
  } finally {
    await context.close();
  }
});
