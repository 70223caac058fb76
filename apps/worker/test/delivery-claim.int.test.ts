import { Delivery, Reminder } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import type { JobQueue, QueueKey } from '@fascia/jobs';
import pino from 'pino';
import type { Channel, Channels, OutboundMessage } from '../src/channels';
import { type AttemptInfo, type DeliveryOutcome, DeliveryLog, type DeliveryRequest } from '../src/deliveries';
import { reminderSendHandler, scheduleReminder } from '../src/handlers/reminders';
import { type ClinicFixture, seedAppointment, seedClient, seedClinic, seedPolicy } from './clinical';
import { seedOrganization } from './support';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const MIN = 60_000;
jest.setTimeout(30_000);

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

  async function reminderFor(email: string): Promise<{ id: string; appointmentId: string; deliveryKey: string }> {
    const client = await seedClient(t, clinic, { email, channels: ['EMAIL'] });
    const startsAt = new Date(Date.now() + 60 * MIN);
    const appointmentId = await seedAppointment(t, clinic, client, startsAt);
    const deliveryKey = `appointment:${appointmentId}:test`;
    const id = await t.db.system((em) =>
      scheduleReminder(em, {
        organizationId: clinic.organizationId,
        clinicId: clinic.clinicId,
        kind: 'APPOINTMENT',
        appointmentId,
        planId: null,
        clientId: client,
        channel: 'EMAIL',
        leadMinutes: 10,
        dueAt: new Date(),
        sendAt: new Date(),
        appointmentStartsAt: startsAt,
        deliveryKey,
      }),
    );
    return { id: id!, appointmentId, deliveryKey };
  }

  const handler = (deliveries: DeliveryLog) =>
    reminderSendHandler({
      db: t.db,
      deliveries,
      appSecret: 'integration-test-secret-0123456789abcdef',
      adminUrl: 'http://admin.test',
      now: () => new Date(),
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
});
