import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { emitEvent, newWebhookSecret, type QueueBackendConfig, sealWebhookSecret, type WebhookEventType } from '@fascia/jobs';
import pino from 'pino';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { WorkerConfig } from '../src/config';
import { postWebhook } from '../src/handlers';
import { type RunningWorker, startWorker } from '../src/runtime';
import { dropQueues, seedOrganization, type Seed, startSmtpServer, testQueueConfig, testWorkerConfig, type TestSmtp, WAIT_TEST_TIMEOUT_MS, waitFor } from './support';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);

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
  const accepted: { id: string; payload: { type: string; data: Record<string, string> } }[] = [];
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
        const payload = verifier.verify(body, req.headers as Record<string, string>) as { type: string; data: Record<string, string> };
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

describe('signed webhooks through the worker (issue 15 §4)', () => {
  let t: TestDatabase;
  let smtp: TestSmtp;
  let queueCfg: QueueBackendConfig;
  let config: WorkerConfig;
  let running: RunningWorker;
  let org: Seed;
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
        [org.organizationId, url, events, sealWebhookSecret(config.appSecret, plain), org.inviterId],
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
    queueCfg = testQueueConfig('redis', t.runtimeUrl);
    config = testWorkerConfig(t.runtimeUrl, queueCfg, {
      smtpUrl: smtp.url,
      retryOverride: { backoffMs: 100, attempts: 6 },
      // Five failures in a row disable: the good endpoint's two events fail twice each (four at most in a row).
      webhooks: { allowPrivate: true, disableAfterFailures: 5, disableAfterMs: 0, timeoutMs: 5_000 },
      schedulers: false,
    });
    org = await seedOrganization(t, 'Hook Clinic', 'hooks');
    good = await startReceiver(secret, { failFirst: 2 });
    broken = await startReceiver(brokenSecret, { failFirst: 0, alwaysFail: true });
    goodId = await endpoint(good.url, ['appointment.*', 'note.signed'], secret);
    brokenId = await endpoint(broken.url, ['plan.*'], brokenSecret);
    running = await startWorker(config, { logger: log });
  });
  afterAll(async () => {
    await running?.stop();
    await dropQueues(queueCfg);
    await good?.close();
    await broken?.close();
    await smtp?.close();
    await t?.drop();
  });

  it('delivers each subscribed event once, signed so that standardwebhooks verifies it, after the receiver failed twice', async () => {
    const appointmentId = randomUUID();
    const noteId = randomUUID();
    await emit('appointment.booked', { appointmentId });
    await emit('note.signed', { noteId, appointmentId });
    await emit('reassessment.recorded', { reassessmentId: randomUUID() }); // not subscribed by either endpoint

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
    await emit('plan.versioned', { planId: randomUUID(), version: '2' });
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
    const mail = await waitFor('the admin told', () => smtp.messages.find((m) => m.to.includes('admin@hooks.test')));
    expect(mail.subject).toBe('A webhook endpoint was disabled');
    expect(mail.text).toContain(broken.url);
    const [d] = await deliveries(brokenId);
    expect(d).toMatchObject({ status: 'FAILED', attempts: 5, last_status_code: 503 });
    expect(broken.received).toHaveLength(5);

    // A later event: the disabled endpoint gets no delivery at all.
    const before = broken.received.length;
    await emit('plan.versioned', { planId: randomUUID(), version: '3' });
    await emit('appointment.cancelled', { appointmentId: randomUUID() }); // the good endpoint's: proves the worker ran past it
    await waitFor('the next event delivered to the good endpoint', () => good.accepted.some((a) => a.payload.type === 'appointment.cancelled'), { progress: settled });
    expect(await deliveries(brokenId)).toHaveLength(1);
    expect(broken.received).toHaveLength(before);
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
