import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { emitEvent, newWebhookSecret, OCCURRED_AT_SQL, type QueueBackendConfig, sealWebhookSecret, type WebhookEventType } from '@fascia/jobs';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { WorkerConfig } from '../src/config';
import { postWebhook } from '../src/handlers';
import { type RunningWorker, startWorker } from '../src/runtime';
import { dropQueues, startSmtpServer, testQueueConfig, testWorkerConfig, type TestSmtp, WAIT_TEST_TIMEOUT_MS, waitFor } from './support';

// The API's demo seed, loaded from its sources (the worker does not depend on the API package).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { seedDemo, DEMO_ADMIN } = require('../../api/src/seed') as { seedDemo(ds: DataSource): Promise<{ organizationId: string }>; DEMO_ADMIN: { email: string } };

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);

interface Accepted {
  id: string;
  payload: { type: string; timestamp: string; data: Record<string, string> };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/**
 * A real HTTP receiver that checks every request with the `standardwebhooks` package (an
 * implementation of the scheme nobody here wrote) and fails on purpose: the first `failFirst`
 * tries of each message id get a 503; a message that does not verify gets a 400.
 */
async function startReceiver(secret: string, opts: { failFirst: number; alwaysFail?: boolean }) {
  const verifier = new Webhook(secret);
  const tries = new Map<string, number>();
  const received: Received[] = [];
  const accepted: Accepted[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id']);
      const n = (tries.get(id) ?? 0) + 1;
      tries.set(id, n);
      let answered = 200;
      try {
        const payload = verifier.verify(body, req.headers as Record<string, string>) as Accepted['payload'];
        if (opts.alwaysFail || n <= opts.failFirst) answered = 503;
        else accepted.push({ id, payload });
      } catch {
        answered = 400;
      }
      received.push({ headers: req.headers, body, answered });
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hooks`, localhostUrl: `http://localhost:${port}/hooks`, received, accepted, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each([['redis'], ['postgres']] as const)('signed webhooks through the worker, on the demo seed (issue 15 §4, %s backend)', (backend) => {
  let t: TestDatabase;
  let smtp: TestSmtp;
  let queueCfg: QueueBackendConfig;
  let config: WorkerConfig;
  let running: RunningWorker;
  let org: { organizationId: string; adminId: string };
  /** Records of the demo chain the events name. */
  let demo: { appointmentIds: string[]; noteId: string; noteAppointmentId: string; planId: string };
  const secret = newWebhookSecret();
  const brokenSecret = newWebhookSecret();
  let good: Awaited<ReturnType<typeof startReceiver>>;
  let broken: Awaited<ReturnType<typeof startReceiver>>;
  let goodId: string;
  let brokenId: string;

  const endpoint = async (url: string, events: string[], plain: string) =>
    (
      (await t.dataSource.query(
        `INSERT INTO webhook_endpoint (organization_id, url, events, secret_sealed, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [org.organizationId, url, events, sealWebhookSecret(config.appSecret, plain), org.adminId],
      )) as { id: string }[]
    )[0].id;
  const emit = (type: WebhookEventType, data: Record<string, string>) => t.dataSource.transaction((em) => emitEvent(em, type, org.organizationId, data));
  const deliveries = async (endpointId: string) =>
    (await t.dataSource.query(`SELECT id, event_id, event_type, status, attempts, last_status_code FROM webhook_delivery WHERE endpoint_id = $1 ORDER BY created_at`, [
      endpointId,
    ])) as { id: string; event_id: string; event_type: string; status: string; attempts: number; last_status_code: number | null }[];
  const settled = async () => {
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM webhook_attempt`)) as { n: number }[];
    return n;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestDatabase();
    queueCfg = testQueueConfig(backend, t.runtimeUrl);
    config = testWorkerConfig(t.runtimeUrl, queueCfg, {
      smtpUrl: smtp.url,
      retryOverride: { backoffMs: 100, attempts: 6 },
      // Five failures in a row disable: the good endpoint's events fail twice each (four at most in a row).
      webhooks: { allowPrivate: true, disableAfterFailures: 5, disableAfterMs: 0, timeoutMs: 5_000 },
      schedulers: false,
    });
    // The demo chain as `npm start` seeds it: three clinics, months of care, the referral network.
    const { organizationId } = await seedDemo(t.dataSource);
    const [admin] = (await t.dataSource.query(`SELECT id FROM app_user WHERE email = $1`, [DEMO_ADMIN.email])) as { id: string }[];
    org = { organizationId, adminId: admin.id };
    const appointments = (await t.dataSource.query(`SELECT id FROM appointment WHERE organization_id = $1 AND status = 'BOOKED' ORDER BY starts_at, id LIMIT 4`, [organizationId])) as { id: string }[];
    const [note] = (await t.dataSource.query(`SELECT id, appointment_id, plan_id FROM session_note WHERE organization_id = $1 ORDER BY signed_at DESC, id LIMIT 1`, [organizationId])) as {
      id: string;
      appointment_id: string;
      plan_id: string;
    }[];
    demo = { appointmentIds: appointments.map((a) => a.id), noteId: note.id, noteAppointmentId: note.appointment_id, planId: note.plan_id };
    expect(demo.appointmentIds).toHaveLength(4);
    // The demo's own history (its bookings, notes and plans emitted events as they were written)
    // happened before these endpoints existed: the worker is not asked to replay it here.
    await t.dataSource.query(`UPDATE outbox_message SET dispatched_at = now() WHERE dispatched_at IS NULL`);
    good = await startReceiver(secret, { failFirst: 2 });
    broken = await startReceiver(brokenSecret, { failFirst: 0, alwaysFail: true });
    goodId = await endpoint(good.url, ['appointment.*', 'note.signed'], secret);
    brokenId = await endpoint(broken.url, ['plan.*'], brokenSecret);
    running = await startWorker(config, { logger: log });
  }, WAIT_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await running?.stop();
    await dropQueues(queueCfg);
    await good?.close();
    await broken?.close();
    await smtp?.close();
    await t?.drop();
  });

  it('delivers each subscribed event once, signed so that standardwebhooks verifies it, after the receiver failed twice', async () => {
    const appointmentId = demo.appointmentIds[0];
    await emit('appointment.booked', { appointmentId });
    await emit('note.signed', { noteId: demo.noteId, appointmentId: demo.noteAppointmentId });
    await emit('reassessment.recorded', { reassessmentId: randomUUID(), planId: demo.planId }); // not subscribed by either endpoint

    await waitFor('both events accepted', () => good.accepted.length >= 2, { progress: settled });
    const rows = await waitFor(
      'both deliveries settled',
      async () => {
        const r = await deliveries(goodId);
        return r.length === 2 && r.every((d) => d.status === 'SUCCEEDED') ? r : undefined;
      },
      { progress: settled },
    );
    // Exactly one successful delivery per event; three tries each (503, 503, 200), each logged.
    expect(good.accepted.map((a) => a.payload.type).sort()).toEqual(['appointment.booked', 'note.signed']);
    expect(new Set(good.accepted.map((a) => a.id)).size).toBe(2);
    expect(good.received.filter((r) => r.answered === 400)).toHaveLength(0);
    for (const d of rows) {
      expect(d).toMatchObject({ attempts: 3, last_status_code: 200 });
      const attempts = (await t.dataSource.query(`SELECT attempt, ok, status_code, duration_ms FROM webhook_attempt WHERE delivery_id = $1 ORDER BY attempt`, [d.id])) as {
        attempt: number;
        ok: boolean;
        status_code: number;
        duration_ms: number;
      }[];
      expect(attempts.map((a) => [a.attempt, a.ok, a.status_code])).toEqual([
        [1, false, 503],
        [2, false, 503],
        [3, true, 200],
      ]);
      for (const a of attempts) expect(a.duration_ms).toBeGreaterThanOrEqual(0);
    }
    // Ids and the event type only: the payload names the records, not their content.
    const booked = good.accepted.find((a) => a.payload.type === 'appointment.booked')!;
    expect(booked.payload.data).toEqual({ organizationId: org.organizationId, appointmentId });
    expect(booked.payload.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // Standard Webhooks headers: the message id is the same on every retry.
    const tries = good.received.filter((r) => r.headers['webhook-id'] === booked.id);
    expect(tries).toHaveLength(3);
    expect(String(tries[0].headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // The reassessment event had no subscriber: no delivery anywhere.
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE event_type = 'reassessment.recorded'`)) as { n: number }[];
    expect(n).toBe(0);
  });

  it("the receiver's verifier refuses a replayed (stale) message and a forged timestamp", () => {
    const genuine = good.received.find((r) => r.answered === 200)!;
    const verifier = new Webhook(secret);
    const headers = genuine.headers as Record<string, string>;
    expect(() => verifier.verify(genuine.body, headers)).not.toThrow();
    // Replayed six minutes later: the timestamp is outside the verifier's five-minute tolerance.
    const realNow = Date.now();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(realNow + 6 * 60_000);
    try {
      expect(() => verifier.verify(genuine.body, headers)).toThrow(WebhookVerificationError);
      expect(() => verifier.verify(genuine.body, headers)).toThrow(/too old/i);
    } finally {
      spy.mockRestore();
    }
    // A fresh timestamp on the old signature: no signature matches.
    expect(() => verifier.verify(genuine.body, { ...headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) + 1) })).toThrow(/signature/i);
    // Another endpoint's secret does not verify it either.
    expect(() => new Webhook(brokenSecret).verify(genuine.body, headers)).toThrow(WebhookVerificationError);
  });

  it('disables an endpoint that keeps failing, tells whoever registered it, and sends it nothing more', async () => {
    await emit('plan.versioned', { planId: demo.planId, version: '2' });
    const [endpointRow] = await waitFor(
      'the failing endpoint disabled',
      async () => {
        const r = (await t.dataSource.query(`SELECT enabled, disabled_reason, consecutive_failures FROM webhook_endpoint WHERE id = $1`, [brokenId])) as {
          enabled: boolean;
          disabled_reason: string | null;
          consecutive_failures: number;
        }[];
        return r[0].enabled ? undefined : r;
      },
      { progress: settled },
    );
    expect(endpointRow.consecutive_failures).toBe(5);
    expect(endpointRow.disabled_reason).toMatch(/Disabled after 5 failed deliveries in a row/);
    const mail = await waitFor('the admin told', () => smtp.messages.find((m) => m.to.includes(DEMO_ADMIN.email)));
    expect(mail.subject).toBe('A webhook endpoint was disabled');
    expect(mail.text).toContain(broken.url);
    const [d] = await deliveries(brokenId);
    expect(d).toMatchObject({ status: 'FAILED', attempts: 5, last_status_code: 503 });
    expect(broken.received).toHaveLength(5);

    // A later event: the disabled endpoint gets no delivery at all.
    const before = broken.received.length;
    await emit('plan.versioned', { planId: demo.planId, version: '3' });
    await emit('appointment.cancelled', { appointmentId: demo.appointmentIds[1] }); // the good endpoint's: proves the worker ran past it
    await waitFor('the next event delivered to the good endpoint', () => good.accepted.some((a) => a.payload.type === 'appointment.cancelled'), { progress: settled });
    expect(await deliveries(brokenId)).toHaveLength(1);
    expect(broken.received).toHaveLength(before);
  });

  it("stamps an event with its change's transaction time, not the fan-out's", async () => {
    // The change's transaction stays open while another event goes all the way to the receiver:
    // this one is fanned out only after its commit, well after its transaction began.
    const qr = t.dataSource.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    let eventId: string;
    let at: string;
    try {
      eventId = await emitEvent(qr.manager, 'appointment.checked_in', org.organizationId, { appointmentId: demo.appointmentIds[2] });
      [{ at }] = (await qr.query(`SELECT ${OCCURRED_AT_SQL} AS at`)) as { at: string }[];
      await emit('appointment.no_show', { appointmentId: demo.appointmentIds[3] });
      await waitFor('the other event accepted', () => good.accepted.some((a) => a.payload.type === 'appointment.no_show'), { progress: settled });
      await qr.commitTransaction();
    } finally {
      await qr.release();
    }
    const got = await waitFor('the held event accepted', () => good.accepted.find((a) => a.payload.type === 'appointment.checked_in'), { progress: settled });
    expect(got.id).toBe(`msg_${eventId}`);
    expect(got.payload.timestamp).toBe(at);
    const [row] = (await t.dataSource.query(`SELECT payload->>'occurredAt' AS occurred_at FROM outbox_message WHERE payload->>'eventId' = $1`, [eventId])) as { occurred_at: string }[];
    expect(row.occurred_at).toBe(at);
    // The fan-out (the delivery row) and every send (webhook-timestamp) came after it.
    const [d] = (await t.dataSource.query(`SELECT created_at FROM webhook_delivery WHERE event_id = $1`, [eventId])) as { created_at: Date }[];
    const noShow = good.accepted.find((a) => a.payload.type === 'appointment.no_show')!;
    expect(d.created_at.getTime()).toBeGreaterThan(new Date(noShow.payload.timestamp).getTime());
    expect(d.created_at.getTime()).toBeGreaterThan(new Date(at).getTime());
    const sent = good.received.filter((r) => r.headers['webhook-id'] === got.id).map((r) => Number(r.headers['webhook-timestamp']));
    expect(sent.every((s) => s >= Math.floor(new Date(at).getTime() / 1000))).toBe(true);
  });

  it("a referral the worker's sweep expires emits referral.expired in the expiry's own transaction, delivered signed", async () => {
    const referrals = await startReceiver(secret, { failFirst: 0 });
    try {
      const referralsId = await endpoint(referrals.url, ['referral.*'], secret);
      // One of the demo's unanswered referrals to its partner clinic, its validity ended a minute ago.
      const [r] = (await t.dataSource.query(`SELECT id FROM referral WHERE organization_id = $1 AND status = 'SENT' ORDER BY id LIMIT 1`, [org.organizationId])) as { id: string }[];
      expect(r).toBeDefined();
      await t.dataSource.query(`UPDATE referral SET valid_until = now() - interval '1 minute' WHERE id = $1`, [r.id]);
      await t.dataSource.query(`UPDATE referral_inbox SET valid_until = now() - interval '1 minute' WHERE id = $1`, [r.id]);
      const sweepId = `referral-sweep-${randomUUID()}`;
      await running.queues.scheduling.add('referral.sweep', {}, { jobId: sweepId });
      await waitFor('the sweep', async () => (await running.queues.scheduling.getJobState(sweepId)) === 'completed', { progress: settled });
      const [status] = (await t.dataSource.query(`SELECT status FROM referral WHERE id = $1`, [r.id])) as { status: string }[];
      expect(status.status).toBe('EXPIRED');
      // The notice and the event: one transaction (the same transaction time), the referrer's organization.
      const rows = (await t.dataSource.query(
        `SELECT organization_id, job_name, payload, created_at FROM outbox_message
          WHERE payload->>'referralId' = $1 OR payload->'data'->>'referralId' = $1 ORDER BY job_name`,
        [r.id],
      )) as { organization_id: string; job_name: string; payload: { type?: string; toStatus?: string; occurredAt?: string }; created_at: Date }[];
      const expiry = rows.filter((x) => x.payload.toStatus === 'EXPIRED' || x.payload.type === 'referral.expired');
      expect(expiry.map((x) => [x.job_name, x.organization_id])).toEqual([
        ['referral.changed', org.organizationId],
        ['webhook.event', org.organizationId],
      ]);
      expect(expiry[0].created_at.getTime()).toBe(expiry[1].created_at.getTime());
      const got = await waitFor('referral.expired accepted', () => referrals.accepted.find((a) => a.payload.type === 'referral.expired'), { progress: settled });
      expect(got.payload.data).toEqual({ organizationId: org.organizationId, referralId: r.id });
      expect(got.payload.timestamp).toBe(expiry[1].payload.occurredAt);
      // The receiver answered before the worker wrote the attempt down: wait for the log.
      const logged = await waitFor('the delivery logged', async () => ((await deliveries(referralsId)).every((d) => d.status === 'SUCCEEDED') ? deliveries(referralsId) : undefined), {
        progress: settled,
      });
      expect(logged.map((d) => [d.event_type, d.status, d.attempts, d.last_status_code])).toEqual([['referral.expired', 'SUCCEEDED', 1, 200]]);
    } finally {
      await referrals.close();
    }
  });

  it('refuses private, loopback and link-local targets at delivery time unless the operator allows them', async () => {
    const settings = { allowPrivate: false, requireHttps: false, timeoutMs: 2_000 };
    const before = good.received.length;
    const literal = await postWebhook(good.url, {}, '{}', settings);
    expect(literal).toMatchObject({ ok: false, statusCode: null });
    expect(literal.error).toMatch(/127\.0\.0\.1, a private, loopback or link-local address/);
    // A name that resolves to loopback (what DNS rebinding does) is refused when the connection is made.
    const named = await postWebhook(good.localhostUrl, {}, '{}', settings);
    expect(named.ok).toBe(false);
    expect(named.error).toMatch(/private, loopback or link-local/);
    expect((await postWebhook('http://169.254.169.254/latest/meta-data', {}, '{}', settings)).error).toMatch(/169\.254\.169\.254/);
    expect((await postWebhook(good.url, {}, '{}', { ...settings, requireHttps: true })).error).toMatch(/HTTPS/);
    expect(good.received).toHaveLength(before); // nothing reached the receiver
  });
});
