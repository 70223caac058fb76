import { Delivery, Reminder, systemClock } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import type { JobQueue, QueueKey } from '@fascia/jobs';
import pino from 'pino';
import type { Channel, Channels, OutboundMessage } from '../src/channels';
import { type AttemptInfo, type DeliveryOutcome, DeliveryLog, type DeliveryRequest } from '../src/deliveries';
import { reminderSendHandler } from '../src/handlers/reminder-send';
import { type ClinicFixture, seedClinic, seedDueReminder, seedPolicy } from './clinical';
import { seedOrganization, WAIT_TEST_TIMEOUT_MS, waitFor } from './support';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
// A failure guard only: waits fail when progress stalls (support.ts waitFor), never on a deadline.
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);

/** An email channel that records what it sent and can be held mid-send. */
class RecordingChannel implements Channel {
  readonly kind = 'EMAIL' as const;
  readonly name = 'recording';
  sent: OutboundMessage[] = [];
  during: (() => Promise<void>) | null = null;
  async send(m: OutboundMessage) {
    await this.during?.();
    this.sent.push(m);
    return { providerRef: `ref-${this.sent.length}` };
  }
  async close() {}
}

describe('the delivery claim', () => {
  let t: TestDatabase;
  let clinic: ClinicFixture;
  const channel = new RecordingChannel();

  beforeAll(async () => {
    t = await createTestDatabase();
    const org = await seedOrganization(t, 'Claim Co', 'claim');
    clinic = await seedClinic(t, org.organizationId, { timeZone: 'UTC' });
    await seedPolicy(t, clinic, { leadMinutes: [10], channels: ['EMAIL'] });
  });
  afterAll(async () => t?.drop());
  beforeEach(() => {
    channel.sent = [];
    channel.during = null;
  });

  const reminderFor = (email: string) => seedDueReminder(t, clinic, { email });

  const handler = (deliveries: DeliveryLog) =>
    reminderSendHandler({
      db: t.db,
      deliveries,
      appSecret: 'integration-test-secret-0123456789abcdef',
      adminUrl: 'http://admin.test',
      clock: systemClock,
      queues: {} as Readonly<Record<QueueKey, JobQueue>>,
    });
  const ctx = (jobId: string) => ({ jobId, attempt: 1, maxAttempts: 3, log });

  it('a reminder cancelled between its checks and its delivery is not sent, and stays CANCELLED', async () => {
    const r = await reminderFor('race@clients.test');
    // The reconcile cancels the reminder after the handler loaded it, before the delivery claims it.
    class CancelFirst extends DeliveryLog {
      override async deliverOnce(req: DeliveryRequest, attempt: AttemptInfo): Promise<DeliveryOutcome> {
        await t.dataSource.query(`UPDATE appointment SET status = 'CANCELLED' WHERE id = $1`, [r.appointmentId]);
        await t.dataSource.query(`UPDATE reminder SET status = 'CANCELLED', last_error = 'appointment cancelled' WHERE id = $1`, [r.id]);
        return super.deliverOnce(req, attempt);
      }
    }
    const result = await handler(new CancelFirst(t.db, { EMAIL: channel } as Channels, log))({ organizationId: clinic.organizationId, reminderId: r.id }, ctx(r.id));
    expect(result.outcome).toBe('skipped');
    expect(channel.sent).toHaveLength(0);
    const row = await t.db.system((em) => em.findOneByOrFail(Reminder, { id: r.id }));
    expect(row).toMatchObject({ status: 'CANCELLED', lastError: 'appointment cancelled' });
    expect(await t.db.system((em) => em.findOneBy(Delivery, { deliveryKey: r.deliveryKey }))).toBeNull();
  });

  it('an appointment start with microseconds (written by SQL) is the same start to the millisecond: the reminder is sent, not "moved"', async () => {
    const r = await reminderFor('micro@clients.test');
    // A start of SQL's precision whose milliseconds match the reminder's copy (a JavaScript Date's).
    await t.dataSource.query(`UPDATE appointment SET starts_at = starts_at + interval '123 microseconds' WHERE id = $1`, [r.appointmentId]);
    const result = await handler(new DeliveryLog(t.db, { EMAIL: channel } as Channels, log))({ organizationId: clinic.organizationId, reminderId: r.id }, ctx(r.id));
    expect(result.outcome).toBe('sent');
    expect(channel.sent).toHaveLength(1);
  });

  it('a reconcile holding the reminder’s lock when the claim comes: the claim waits for it, sees the reminder CANCELLED, and sends nothing', async () => {
    const r = await reminderFor('locked@clients.test');
    // The reconcile's transaction: it has locked the reminder (as appointmentChangedHandler does) and not yet committed.
    const reconcile = t.dataSource.createQueryRunner();
    await reconcile.connect();
    await reconcile.startTransaction();
    let sending: Promise<unknown> | undefined;
    try {
      await reconcile.query(`SELECT id FROM reminder WHERE id = $1 FOR UPDATE`, [r.id]);
      sending = handler(new DeliveryLog(t.db, { EMAIL: channel } as Channels, log))({ organizationId: clinic.organizationId, reminderId: r.id }, ctx(r.id));
      // The handler has loaded the reminder (still SCHEDULED) and its claim now waits on the lock.
      await waitFor('the claim to wait on the reminder’s lock', async () => {
        const [row] = (await t.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%guard%'`,
        )) as { n: number }[];
        return row.n > 0;
      });
      await reconcile.query(`UPDATE appointment SET status = 'CANCELLED' WHERE id = $1`, [r.appointmentId]);
      await reconcile.query(`UPDATE reminder SET status = 'CANCELLED', last_error = 'appointment cancelled' WHERE id = $1`, [r.id]);
      await reconcile.commitTransaction();
      const result = await sending;
      expect(result).toMatchObject({ outcome: 'skipped', reason: 'the reminder is cancelled' });
    } finally {
      if (reconcile.isTransactionActive) await reconcile.rollbackTransaction();
      await reconcile.release();
      // On a failure above, the handler goes on once the lock is gone: let it finish here, not in the next test.
      await sending?.catch(() => undefined);
    }
    expect(channel.sent).toHaveLength(0);
    expect(await t.db.system((em) => em.findOneByOrFail(Reminder, { id: r.id }))).toMatchObject({ status: 'CANCELLED', lastError: 'appointment cancelled' });
    expect(await t.db.system((em) => em.findOneBy(Delivery, { deliveryKey: r.deliveryKey }))).toBeNull();
  });

  it('a delivery row another worker inserted first: the claim reads it and leases it, or finds it SENT (never a second row, never a second send)', async () => {
    const deliveries = new DeliveryLog(t.db, { EMAIL: channel } as Channels, log);
    const key = `test-race:${Date.now()}`;
    const req: DeliveryRequest = { organizationId: clinic.organizationId, deliveryKey: key, template: 'test', outboxId: null, message: { channel: 'EMAIL', to: 'race2@clients.test', subject: 's', text: 't' } };
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => deliveries.deliverOnce(req, { isFinalAttempt: false })));
    const statuses = outcomes.map((o) => o.status).sort();
    expect(statuses.filter((s) => s === 'SENT')).toHaveLength(1);
    expect(statuses.every((s) => s === 'SENT' || s === 'BUSY' || s === 'ALREADY_SENT')).toBe(true);
    expect(channel.sent).toHaveLength(1);
    expect(((await t.dataSource.query(`SELECT count(*)::int AS n FROM delivery WHERE delivery_key = $1`, [key])) as { n: number }[])[0].n).toBe(1);
  });

  it('no transaction or row lock is held while the channel sends; a second worker on the same key meanwhile is BUSY, then sees SENT', async () => {
    const deliveries = new DeliveryLog(t.db, { EMAIL: channel } as Channels, log);
    const key = `test:${Date.now()}`;
    const req: DeliveryRequest = { organizationId: clinic.organizationId, deliveryKey: key, template: 'test', outboxId: null, message: { channel: 'EMAIL', to: 'slow@clients.test', subject: 's', text: 't' } };
    let during: { row: { status: string; leased: boolean }; second: DeliveryOutcome } | null = null;
    channel.during = async () => {
      channel.during = null;
      // Another connection may lock the row at once: nothing holds it across the send.
      const [row] = (await t.dataSource.transaction((em) =>
        em.query(`SELECT status, claimed_until > now() AS leased FROM delivery WHERE delivery_key = $1 FOR UPDATE NOWAIT`, [key]),
      )) as { status: string; leased: boolean }[];
      during = { row, second: await deliveries.deliverOnce(req, { isFinalAttempt: false }) };
    };
    const first = await deliveries.deliverOnce(req, { isFinalAttempt: false });
    expect(first.status).toBe('SENT');
    expect(during!.row).toEqual({ status: 'PENDING', leased: true });
    expect(during!.second.status).toBe('BUSY');
    expect(channel.sent).toHaveLength(1);
    expect(await t.db.system((em) => em.findOneByOrFail(Delivery, { deliveryKey: key }))).toMatchObject({ status: 'SENT', attempts: 1, claimedUntil: null });
    expect((await deliveries.deliverOnce(req, { isFinalAttempt: false })).status).toBe('ALREADY_SENT');
    expect(channel.sent).toHaveLength(1);
  });

  it('an expired lease (a worker that died mid-send) is taken over', async () => {
    const deliveries = new DeliveryLog(t.db, { EMAIL: channel } as Channels, log);
    const key = `test-expired:${Date.now()}`;
    await t.dataSource.query(
      `INSERT INTO delivery (organization_id, delivery_key, channel, recipient, template, status, claimed_until) VALUES ($1, $2, 'EMAIL', 'x@clients.test', 'test', 'PENDING', now() - interval '1 second')`,
      [clinic.organizationId, key],
    );
    const req: DeliveryRequest = { organizationId: clinic.organizationId, deliveryKey: key, template: 'test', outboxId: null, message: { channel: 'EMAIL', to: 'x@clients.test', subject: 's', text: 't' } };
    expect((await deliveries.deliverOnce(req, { isFinalAttempt: false })).status).toBe('SENT');
  });
});
