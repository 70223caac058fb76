import { Webhook } from 'standardwebhooks';
import { codeOf, startTestApi, type TestApi } from './harness';
import { BOOK, insertClient, member, nextWeekday, site } from './appointments.fixtures';

const CREATE = `mutation C($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url events enabled consecutiveFailures } } }`;
const UPDATE = `mutation U($id: ID!, $patch: WebhookEndpointPatch!) { updateWebhookEndpoint(id: $id, patch: $patch) { id url events enabled disabledAt } }`;
const ROTATE = `mutation R($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id } } }`;
const LIST = `{ webhookEndpoints { id url events enabled } }`;
const TEST = `mutation T($id: ID!) { sendTestWebhook(id: $id) }`;
const DELIVERIES = `query D($id: ID!) { webhookDeliveries(endpointId: $id) { id status } }`;
const LOG = `query D($id: ID!) { webhookDeliveries(endpointId: $id) { eventType status attempts lastStatusCode tries { attempt attemptedAt ok statusCode durationMs error } } }`;
const DELETE = `mutation X($id: ID!) { deleteWebhookEndpoint(id: $id) }`;

// A public address written as such: the check needs no DNS.
const PUBLIC = 'https://93.184.215.14/hooks/fascia';

describe('webhook endpoints (issue 15 §4)', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let endpointId: string;

  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Hooked Chain');
  });
  afterAll(() => t.stop());

  const outbox = async (jobName: string) =>
    (await t.tdb.dataSource.query(`SELECT payload FROM outbox_message WHERE organization_id = $1 AND job_name = $2 ORDER BY created_at`, [admin.organizationId, jobName])) as {
      payload: { type: string; eventId: string; endpointId?: string; data: Record<string, string | null> };
    }[];

  it('registers an endpoint and shows its whsec_ secret once; standardwebhooks accepts the secret', async () => {
    const res = await t.gql(CREATE, { input: { url: PUBLIC, events: ['appointment.*', 'note.signed'], description: 'Chain tools' } }, admin.token);
    expect(res.errors).toBeUndefined();
    const created = res.data?.createWebhookEndpoint as { secret: string; endpoint: { id: string; events: string[]; enabled: boolean } };
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(() => new Webhook(created.secret)).not.toThrow();
    expect(created.endpoint).toMatchObject({ events: ['appointment.*', 'note.signed'], enabled: true });
    endpointId = created.endpoint.id;
    const [stored] = (await t.tdb.dataSource.query(`SELECT secret_sealed FROM webhook_endpoint WHERE id = $1`, [endpointId])) as { secret_sealed: string }[];
    expect(stored.secret_sealed).not.toContain(created.secret.slice(6));
    const rotated = await t.gql(ROTATE, { id: endpointId }, admin.token);
    expect((rotated.data?.rotateWebhookSecret as { secret: string }).secret).not.toBe(created.secret);
    expect((await t.gql(LIST, {}, admin.token)).data?.webhookEndpoints).toHaveLength(1);
  });

  it.each([
    ['http://127.0.0.1:8080/hooks', /127\.0\.0\.1, a private, loopback or link-local address/],
    ['https://10.1.2.3/hooks', /10\.1\.2\.3, a private/],
    ['https://169.254.169.254/latest', /169\.254\.169\.254, a private/],
    ['https://[::1]/hooks', /::1, a private/],
    ['https://localhost/hooks', /resolves to (127\.0\.0\.1|::1), a private/],
    ['ftp://example.com/x', /must start with https:\/\//],
    ['https://user:pw@93.184.215.14/x', /must not carry a user name/],
    ['not a url', /not a valid absolute address/],
  ])('refuses %s with a sentence naming why', async (url, message) => {
    const res = await t.gql(CREATE, { input: { url, events: ['plan.*'] } }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('input.url');
    expect(res.errors?.[0].message).toMatch(message);
  });

  it('refuses unknown events, and lets only organization admins manage endpoints', async () => {
    const res = await t.gql(CREATE, { input: { url: PUBLIC, events: ['client.deleted'] } }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/must be one of appointment\.\*, plan\.\*/);
    const none = await t.gql(CREATE, { input: { url: PUBLIC, events: [] } }, admin.token);
    expect(none.errors?.[0].message).toMatch(/at least one event/);
    const manager = await member(t, admin.organizationId, 'CLINIC_MANAGER');
    expect(codeOf(await t.gql(LIST, {}, manager.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CREATE, { input: { url: PUBLIC, events: ['plan.*'] } }, manager.token))).toBe('FORBIDDEN');
  });

  it('writes the event in the booking’s own transaction, ids only', async () => {
    const s = await site(t, admin.token);
    const clientId = await insertClient(t, admin.organizationId, 'Iris Ids');
    const startsAt = `${nextWeekday('Europe/London', 2)}T10:00`;
    const booked = await t.gql(BOOK, { input: { clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, clientId, durationMinutes: 60, startsAt } }, admin.token);
    expect(booked.errors).toBeUndefined();
    const events = await outbox('webhook.event');
    const appointmentId = (booked.data?.bookAppointment as { id: string }).id;
    const event = events.find((e) => e.payload.type === 'appointment.booked')!;
    expect(event.payload.data).toEqual({ appointmentId, clinicId: s.clinicId, practitionerId: s.practitionerId, clientId, rescheduledFrom: null });
  });

  it("shows every try the worker logged in the admin's delivery log, oldest first, in one statement", async () => {
    // A delivery and its tries as the worker writes them (apps/worker/src/handlers/webhooks.ts).
    const [d] = (await t.tdb.dataSource.query(
      `INSERT INTO webhook_delivery (organization_id, endpoint_id, event_id, event_type, payload, status, attempts, last_status_code, last_attempt_at)
       VALUES ($1, $2, gen_random_uuid(), 'appointment.booked', '{}', 'SUCCEEDED', 2, 200, now()) RETURNING id`,
      [admin.organizationId, endpointId],
    )) as { id: string }[];
    await t.tdb.dataSource.query(
      `INSERT INTO webhook_attempt (organization_id, delivery_id, attempt, attempted_at, ok, status_code, duration_ms, error)
       VALUES ($1, $2, 2, '2026-11-29T10:00:05Z', true, 200, 12, NULL), ($1, $2, 1, '2026-11-29T10:00:00Z', false, 503, 40, 'HTTP 503: not now')`,
      [admin.organizationId, d.id],
    );
    t.tdb.queries.length = 0;
    const res = await t.gql(LOG, { id: endpointId }, admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.webhookDeliveries).toEqual([
      {
        eventType: 'appointment.booked',
        status: 'SUCCEEDED',
        attempts: 2,
        lastStatusCode: 200,
        tries: [
          { attempt: 1, attemptedAt: '2026-11-29T10:00:00.000Z', ok: false, statusCode: 503, durationMs: 40, error: 'HTTP 503: not now' },
          { attempt: 2, attemptedAt: '2026-11-29T10:00:05.000Z', ok: true, statusCode: 200, durationMs: 12, error: null },
        ],
      },
    ]);
    expect(t.tdb.queries.filter((q) => /webhook_attempt/.test(q))).toHaveLength(1);
    await t.tdb.dataSource.query(`DELETE FROM webhook_delivery WHERE id = $1`, [d.id]);
  });

  it('queues a test event to one endpoint, disables and enables it, shows its (empty) delivery log, deletes it', async () => {
    const res = await t.gql(TEST, { id: endpointId }, admin.token);
    expect(res.errors).toBeUndefined();
    const test = (await outbox('webhook.event')).find((e) => e.payload.type === 'webhook.test')!;
    expect(test.payload).toMatchObject({ eventId: res.data?.sendTestWebhook, endpointId });
    const off = await t.gql(UPDATE, { id: endpointId, patch: { enabled: false } }, admin.token);
    expect(off.data?.updateWebhookEndpoint).toMatchObject({ enabled: false });
    const on = await t.gql(UPDATE, { id: endpointId, patch: { enabled: true, events: ['referral.*'] } }, admin.token);
    expect(on.data?.updateWebhookEndpoint).toMatchObject({ enabled: true, disabledAt: null, events: ['referral.*'] });
    expect((await t.gql(DELIVERIES, { id: endpointId }, admin.token)).data?.webhookDeliveries).toEqual([]);
    expect((await t.gql(DELETE, { id: endpointId }, admin.token)).data?.deleteWebhookEndpoint).toBe(true);
    expect(codeOf(await t.gql(TEST, { id: endpointId }, admin.token))).toBe('NOT_FOUND');
  });
});
