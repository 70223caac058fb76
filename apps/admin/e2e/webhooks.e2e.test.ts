import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { type RunningWorker, startWorker } from '../../worker/src/runtime';
import { testWorkerConfig, waitFor } from '../../worker/test/support';
import { APP_SECRET, E2E_TEST_MS, startHarness, type AdminHarness } from './harness';
import { act, checkA11y, shot, signIn } from './support';

/**
 * Issue 15 §4 in the browser: an organization admin registers a webhook endpoint with the
 * events it wants, copies the signing secret shown once, sends a test event, and reads its
 * delivery in the log — delivered by the real worker to a real local receiver, whose signature
 * check (the `standardwebhooks` package) accepts it with that secret. A bad address is refused
 * at the field.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let worker: RunningWorker | null = null;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const found: Record<string, string[]> = {};

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/fascia`;

  // The receiver is on this machine: both the API (registration) and the worker (sending) are told they may reach it.
  h = await startHarness({ orgName: 'Harbour Physio', adminName: 'Ada Okafor', apiEnv: { WEBHOOK_ALLOW_PRIVATE: '1' } });
  worker = await startWorker(
    testWorkerConfig(h.tdb.runtimeUrl, { kind: 'postgres', connectionString: h.tdb.runtimeUrl }, { appSecret: APP_SECRET, schedulers: false, webhooks: { allowPrivate: true } }),
    { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) },
  );
});

afterAll(async () => {
  await worker?.stop();
  await h?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

test('an organization admin registers an endpoint, keeps the secret, sends a test event and sees it delivered', async () => {
  const { context, page } = await h.newPage();
  try {
    await signIn(page, h.admin, /Good (morning|afternoon|evening)/);
    await page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByText('No endpoints yet').waitFor();

    // A bad address is refused beside the field, before anything is stored.
    const form = page.getByRole('form', { name: 'New webhook endpoint' });
    await form.getByLabel('Receiving address (https)').fill('not an address');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await form.getByText('Enter a full address, e.g. https://example.com/hooks/fascia').waitFor();

    await form.getByLabel('Receiving address (https)').fill(receiverUrl);
    await form.getByLabel('Description').fill('Harbour data warehouse');
    await form.getByLabel('Referrals: each change of state').check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await shot(page, 'webhooks-secret-once');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await expect(page.getByLabel('Signing secret').count()).resolves.toBe(0);

    const card = page.getByRole('region', { name: 'Harbour data warehouse' });
    await card.getByText('appointment.*, referral.*').waitFor();
    await act(card, card.getByRole('button', { name: 'Send test event' }), /A test event was queued/);

    // The real worker signs and sends it; the receiver checks the signature with the secret the page showed.
    await waitFor('the test event at the receiver', async () => received.length > 0);
    const [delivery] = received;
    const payload = new Webhook(secret).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    }) as { type: string };
    expect(payload.type).toBe('webhook.test');

    // The log shows the delivery with the receiver's answer (Refresh until the worker has recorded it).
    const log = card.getByRole('table');
    await waitFor('the delivery in the log', async () => {
      const refresh = card.getByRole('button', { name: 'Refresh the log' });
      if (await refresh.count()) await refresh.click();
      return (await log.count()) > 0 && /204/.test(await log.innerText());
    }, { everyMs: 1_000 });
    await shot(page, 'webhooks-delivered');
    await checkA11y(page, 'webhooks', found);
    expect(found).toEqual({});
  } catch (err) {
    await shot(page, 'webhooks-failed');
    throw err;
  } finally {
    await context.close();
  }
});
