import { QUEUES, createQueue, queueBackendFromEnv } from '@fascia/jobs';
import { codeOf, startTestApi, type TestApi } from './harness';
import { member } from './appointments.fixtures';

const HEALTH = `query H { queueHealth { queues { key name waiting active delayed failed completed oldestWaitingSeconds }
  deadLetters { deliveryKey channel recipient status attempts providerRef lastError }
  failedReminders { kind channel status lastError } } }`;

describe('queue health (ORG_ADMIN)', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let other: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Ops Chain');
    other = await t.orgWithAdmin('Other Ops');
  });
  afterAll(() => t.stop());

  it('counts the queues, ages the oldest waiting job and lists only this organization’s dead letters', async () => {
    // The queues on the same backend the API picks (here: BullMQ's PostgreSQL backend in the test database).
    const q = createQueue(QUEUES.notifications, queueBackendFromEnv({ ...process.env, DATABASE_URL: process.env.DATABASE_URL || t.tdb.url }));
    await q.add('reminder.send', { organizationId: admin.organizationId, reminderId: '00000000-0000-4000-8000-000000000001' }, { jobId: 'health-a', timestamp: Date.now() - 90_000 });
    await q.add('reminder.send', { organizationId: admin.organizationId, reminderId: '00000000-0000-4000-8000-000000000002' }, { jobId: 'health-b', delay: 60_000 });
    await t.tdb.dataSource.query(
      `INSERT INTO delivery (organization_id, delivery_key, channel, recipient, template, status, attempts, last_error) VALUES
       ($1, 'k-dead', 'EMAIL', 'bounce@x.test', 'reminder-appointment', 'DEAD', 1, '550 No such user'),
       ($1, 'k-sent', 'EMAIL', 'ok@x.test', 'reminder-appointment', 'SENT', 1, NULL),
       ($2, 'k-other', 'SMS', '+447700900000', 'reminder-appointment', 'DEAD', 5, 'unreachable')`,
      [admin.organizationId, other.organizationId],
    );
    const res = await t.gql(HEALTH, {}, admin.token);
    expect(res.errors).toBeUndefined();
    const n = res.data?.queueHealth.queues.find((x: { key: string }) => x.key === 'notifications');
    expect(n).toMatchObject({ name: 'fascia-notifications', waiting: 1, delayed: 1, active: 0, failed: 0 });
    expect(n.oldestWaitingSeconds).toBeGreaterThanOrEqual(89);
    expect(res.data?.queueHealth.queues.map((x: { key: string }) => x.key).sort()).toEqual(['notifications', 'scheduling']);
    expect(res.data?.queueHealth.deadLetters).toEqual([
      { deliveryKey: 'k-dead', channel: 'EMAIL', recipient: 'bounce@x.test', status: 'DEAD', attempts: 1, providerRef: null, lastError: '550 No such user' },
    ]);
    await q.obliterate({ force: true });
    await q.close();
  });

  it('is for organization administrators only', async () => {
    const desk = await member(t, admin.organizationId, 'FRONT_DESK');
    expect(codeOf(await t.gql(HEALTH, {}, desk.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(HEALTH, {}))).toBe('UNAUTHENTICATED');
  });
});
