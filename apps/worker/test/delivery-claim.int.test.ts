import { Delivery, Reminder, systemClock } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import type { JobQueue, QueueKey } from '@fascia/jobs';
import pino from 'pino';
import { type Channel, type Channels, type OutboundMessage, PermanentDeliveryError } from '../src/channels';
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

  it('reminders settled together (the set-based settle): each takes its own outcome (SENT, FAILED, DEAD), and a delivery another worker sent meanwhile stays SENT', async () => {
    const deliveries = new DeliveryLog(t.db, { EMAIL: channel } as Channels, log);
    const rs = await Promise.all(['ok-settle@clients.test', 'transient-settle@clients.test', 'refused-settle@clients.test', 'overtaken-settle@clients.test'].map(reminderFor));
    const [ok, transient, refused, overtaken] = rs;
    let held = 0;
    const all = new Promise<void>((resolve) => {
      channel.during = async () => {
        // Every send waits for the others, so that their settles go together.
        if (++held === rs.length) resolve();
        await all;
      };
    });
    const send = channel.send.bind(channel);
    channel.send = async (m: OutboundMessage) => {
      if (m.to.startsWith('transient')) {
        await channel.during?.();
        throw new Error('421 try again later');
      }
      if (m.to.startsWith('refused')) {
        await channel.during?.();
        throw new PermanentDeliveryError('550 no such user', 550);
      }
      if (m.to.startsWith('overtaken')) {
        await channel.during?.();
        // Another worker, whose lease this one's had outlived, sent it meanwhile.
        await t.dataSource.query(`UPDATE delivery SET status = 'SENT', provider_ref = 'other-worker' WHERE delivery_key = $1`, [overtaken.deliveryKey]);
        throw new Error('421 try again later');
      }
      return send(m);
    };
    try {
      const sendOne = handler(deliveries);
      const outcomes = await Promise.allSettled(rs.map((r) => sendOne({ organizationId: clinic.organizationId, reminderId: r.id }, ctx(r.id))));
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
    } finally {
      channel.send = send;
    }
    const rows = (await t.dataSource.query(
      `SELECT r.id, r.status, r.attempts, r.last_error, r.delivery_id = d.id AS linked, d.status AS d_status, d.attempts AS d_attempts, d.last_error AS d_error, d.provider_ref, d.claimed_until
       FROM reminder r JOIN delivery d ON d.organization_id = r.organization_id AND d.delivery_key = r.delivery_key WHERE r.id = ANY($1::uuid[])`,
      [rs.map((r) => r.id)],
    )) as { id: string; status: string; attempts: number; last_error: string | null; linked: boolean; d_status: string; d_attempts: number; d_error: string | null; provider_ref: string | null; claimed_until: Date | null }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const common = { attempts: 1, linked: true, d_attempts: 1, claimed_until: null };
    expect(byId.get(ok.id)).toMatchObject({ ...common, status: 'SENT', last_error: null, d_status: 'SENT', d_error: null, provider_ref: expect.stringMatching(/^ref-/) });
    expect(byId.get(transient.id)).toMatchObject({ ...common, status: 'FAILED', last_error: '421 try again later', d_status: 'FAILED', d_error: '421 try again later', provider_ref: null });
    expect(byId.get(refused.id)).toMatchObject({ ...common, status: 'DEAD', last_error: '550 no such user', d_status: 'DEAD', d_error: '550 no such user' });
    expect(byId.get(overtaken.id)).toMatchObject({ ...common, status: 'FAILED', d_status: 'SENT', provider_ref: 'other-worker' });
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
