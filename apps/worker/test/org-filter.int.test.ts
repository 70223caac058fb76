import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { emitEvent, enqueue, newWebhookSecret, sealWebhookSecret, SWEEPS } from '@fascia/jobs';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { type DbFunction, describeViolations, FUNCTIONS_SQL, functionsReached, functionViolations, loadOrgFilterParser, orgFilterViolations, TENANT_TABLES_SQL, unexcused, type OrgFilterViolation } from '../../../packages/db/src/testing/org-filter';
import { ORG_FILTER_EXCEPTIONS } from '../../api/test/org-filter.exceptions';
import { FakeSmsProvider, FileEmailChannel, SmsChannel } from '../src/channels';
import { type RunningWorker, startWorker } from '../src/runtime';
import { testWorkerConfig, waitFor, WAIT_TEST_TIMEOUT_MS } from './support';

/**
 * Issue 16 §1, the worker's half (the API's is apps/api/test/org-filter.test.ts): every
 * statement the worker sends to a tenant table names its organization, save the sweeps that
 * claim due work across organizations on purpose (listed, with their reasons, in
 * apps/api/test/org-filter.exceptions.ts). Captured from the worker's own data source while it
 * does its jobs on the demo seed: the outbox relay, appointment changes and the reminders they
 * schedule, reminder sends, the four care sweeps (fan-out and per clinic), the referral sweep,
 * the report reconcile and drain, and signed webhooks to a local receiver.
 */

// The API's seed, loaded from its sources (the worker does not depend on the API package).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { seedDemo } = require('../../api/src/seed') as { seedDemo(ds: DataSource): Promise<{ organizationId: string }> };

jest.setTimeout(WAIT_TEST_TIMEOUT_MS);

describe('every statement the worker sends names its organization, or is a listed sweep (issue 16 §1)', () => {
  let t: TestDatabase;
  let running: RunningWorker | null = null;
  let receiver: Server;
  let organizationId: string;
  const sent: string[] = [];
  let hooks = 0;

  beforeAll(async () => {
    await loadOrgFilterParser();
    t = await createTestDatabase();
    ({ organizationId } = await seedDemo(t.dataSource));
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hooks++;
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    const secret = newWebhookSecret();
    const config = testWorkerConfig(
      t.runtimeUrl,
      { kind: 'postgres', connectionString: t.runtimeUrl },
      { schedulers: false, webhooks: { allowPrivate: true, disableAfterFailures: 5, disableAfterMs: 0, timeoutMs: 5_000 } },
    );
    const [{ id: adminId }] = (await t.dataSource.query(`SELECT user_id AS id FROM membership WHERE organization_id = $1 AND role = 'ORG_ADMIN'`, [organizationId])) as { id: string }[];
    await t.dataSource.query(`INSERT INTO webhook_endpoint (organization_id, url, events, secret_sealed, created_by) VALUES ($1, $2, $3, $4, $5)`, [
      organizationId,
      `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      ['appointment.*', 'note.signed'],
      sealWebhookSecret(config.appSecret, secret),
      adminId,
    ]);
    running = await startWorker(config, {
      logger: pino({ level: 'silent' }),
      // Nothing leaves the test: email to .eml files in a temporary directory, SMS to the fake provider.
      channels: { EMAIL: new FileEmailChannel(`${process.env.TMPDIR ?? '/tmp'}/fascia-org-filter`, 'x@y.z', pino({ level: 'silent' })), SMS: new SmsChannel(new FakeSmsProvider()) },
      onQuery: (sql) => sent.push(sql),
    });
  });
  afterAll(async () => {
    await running?.stop();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await t?.drop();
  });

  /** Waits until the outbox is relayed and no job is waiting or running. */
  const settle = async (what: string) => {
    const pending = async () => {
      const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message WHERE dispatched_at IS NULL`)) as { n: number }[];
      let jobs = 0;
      for (const q of Object.values(running!.queues)) {
        const c = await q.getJobCounts('waiting', 'active', 'prioritized');
        jobs += Object.values(c).reduce((a, b) => a + b, 0);
      }
      return n + jobs;
    };
    await waitFor(what, async () => (await pending()) === 0, { progress: () => sent.length });
  };

  it('does the worker’s jobs on the demo seed', async () => {
    const q = running!.queues.scheduling;
    // Appointment changes (the reminders they schedule) and a webhook event per booked appointment.
    const booked = (await t.dataSource.query(`SELECT id FROM appointment WHERE organization_id = $1 AND status = 'BOOKED' AND starts_at > now() ORDER BY starts_at LIMIT 5`, [organizationId])) as { id: string }[];
    expect(booked.length).toBeGreaterThan(0);
    await t.dataSource.transaction(async (em) => {
      for (const a of booked) {
        await enqueue(em, 'appointment.changed', { organizationId, appointmentId: a.id });
        await emitEvent(em, 'appointment.booked', organizationId, { appointmentId: a.id });
      }
    });
    await settle('appointment changes and webhooks');
    // Reminders due now: sent.
    const due = (await t.dataSource.query(
      `UPDATE reminder SET send_at = now() WHERE id IN (SELECT id FROM reminder WHERE organization_id = $1 AND status = 'SCHEDULED' ORDER BY send_at LIMIT 3) RETURNING id`,
      [organizationId],
    )) as [{ id: string }[], number];
    await t.dataSource.transaction(async (em) => {
      for (const r of due[0]) await enqueue(em, 'reminder.send', { organizationId, reminderId: r.id }, { id: randomUUID() });
    });
    await settle('reminders');
    // The sweeps: each fans out to every clinic.
    for (const sweep of SWEEPS) await q.add('sweep.fanout', { sweep }, { jobId: `org-filter-${sweep}` });
    await settle('care sweeps');
    await q.add('referral.sweep', {}, { jobId: 'org-filter-referral-sweep' });
    await q.add('report.reconcile', {}, { jobId: 'org-filter-report-reconcile' });
    await settle('referral sweep and report reconcile');
    await q.add('report.drain', {}, { jobId: 'org-filter-report-drain' });
    await settle('report drain');
    const failed = [...(await q.getJobs(['failed'])), ...(await running!.queues.notifications.getJobs(['failed']))].map((j) => `${j.name}: ${j.failedReason}`);
    expect(failed).toEqual([]);
    expect(hooks).toBeGreaterThan(0);
    console.info(`[org-filter] worker: ${booked.length} appointment changes, ${due[0].length} reminders sent, ${hooks} webhooks, ${sent.length} statements`);
  });

  it('names the organization in every statement it sent, and in the functions they run, save the listed exceptions', async () => {
    const tenantTables = new Set(((await t.dataSource.query(TENANT_TABLES_SQL)) as { name: string }[]).map((r) => r.name));
    const statements = [...new Set(sent)];
    const functions = functionsReached(statements, (await t.dataSource.query(FUNCTIONS_SQL)) as DbFunction[], { triggers: true });
    const found: OrgFilterViolation[] = [...statements.flatMap((sql) => orgFilterViolations(sql, tenantTables)), ...functionViolations(functions, tenantTables)];
    console.info(`[org-filter] worker: ${statements.length} distinct statements, ${functions.length} functions, ${found.length} findings before exceptions`);
    const left = unexcused(found, ORG_FILTER_EXCEPTIONS);
    if (left.length) throw new Error(`${new Set(left.map((v) => v.sql)).size} statement(s) read a tenant table without naming the organization:\n\n${describeViolations(left)}`);
    const used = new Set(found.flatMap((v) => ORG_FILTER_EXCEPTIONS.filter((e) => e.table === v.table && e.statement.test(v.sql))));
    expect(ORG_FILTER_EXCEPTIONS.filter((e) => e.app === 'worker' && !used.has(e)).map((e) => e.reason)).toEqual([]);
  });
});
