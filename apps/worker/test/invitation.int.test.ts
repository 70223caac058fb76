import { Delivery, OutboxMessage } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { type QueueBackendConfig, enqueue, verifyInvitationToken } from '@fascia/jobs';
import pino from 'pino';
import type { WorkerConfig } from '../src/config';
import { invitationDeliveryKey } from '../src/handlers';
import { type RunningWorker, startWorker } from '../src/runtime';
import { type Seed, type TestSmtp, seedInvitation, seedOrganization, startSmtpServer, waitFor, dropQueues, testQueueConfig, testWorkerConfig, WAIT_TEST_TIMEOUT_MS } from './support';

const APP_SECRET = 'integration-test-secret-0123456789abcdef';
const ADMIN_URL = 'http://admin.fascia.test';
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
// A failure guard only: waits fail when progress stalls (support.ts waitFor), never on a deadline.
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);

describe.each([['redis'], ['postgres']] as const)('staff invitation email through the queue (%s backend)', (backend) => {
  let t: TestDatabase;
  let smtp: TestSmtp;
  let queueCfg: QueueBackendConfig;
  let config: WorkerConfig;
  let running: RunningWorker | null = null;
  let acme: Seed;
  let other: Seed;

  const enqueueInvitation = (organizationId: string, invitationId: string): Promise<string> =>
    t.db.tenant({ organizationId, userId: null }, (tx) => enqueue(tx.em, 'staff.invitation.send', { organizationId, invitationId }));

  const job = async (id: string) => {
    // State first, then the job: read the other way round, a job that finishes in between
    // would show its final state with the fields of its active one.
    const state = await running!.queues.notifications.getJobState(id);
    const j = await running!.queues.notifications.getJob(id);
    return j ? { state, attemptsMade: j.attemptsMade, returnvalue: j.returnvalue as Record<string, unknown> | null, failedReason: j.failedReason } : undefined;
  };
  const waitForJob = (id: string, state: 'completed' | 'failed') =>
    waitFor(`job ${id} ${state}`, async () => {
      const j = await job(id);
      return j?.state === state ? j : undefined;
    });
  const mailsTo = (email: string) => smtp.messages.filter((m) => m.to.includes(email));
  const delivery = (invitationId: string) => t.db.system((em) => em.findOneBy(Delivery, { deliveryKey: invitationDeliveryKey(invitationId) }));

  beforeAll(async () => {
    // One after the other, so afterAll can close whatever did start.
    smtp = await startSmtpServer();
    t = await createTestDatabase();
    queueCfg = testQueueConfig(backend, t.runtimeUrl);
    config = testWorkerConfig(t.runtimeUrl, queueCfg, {
      appSecret: APP_SECRET,
      adminUrl: ADMIN_URL,
      smtpUrl: smtp.url,
      retryOverride: { backoffMs: 200 },
    });
    acme = await seedOrganization(t, 'Acme Massage', 'acme');
    other = await seedOrganization(t, 'Other Clinic', 'other');
    running = await startWorker(config, { logger: log });
  });

  afterAll(async () => {
    await running?.stop();
    await dropQueues(queueCfg);
    await smtp?.close();
    await t?.drop();
  });

  let firstOutboxId: string;
  let first: { invitationId: string; expiresAt: Date };

  it('delivers the invitation email through real SMTP and logs the delivery as SENT', async () => {
    first = await seedInvitation(t, acme, 'rosa@staff.test', { role: 'CLINIC_MANAGER', displayName: 'Rosa Ruiz' });
    firstOutboxId = await enqueueInvitation(acme.organizationId, first.invitationId);

    const [mail] = await waitFor('the invitation email', () => (mailsTo('rosa@staff.test').length ? mailsTo('rosa@staff.test') : undefined));
    expect(mail.from).toBe('no-reply@fascia.test');
    expect(mail.subject).toBe('Ada Admin of Acme Massage invited you to Acme Massage on Fascia');
    expect(mail.text).toContain('Hello Rosa Ruiz,');
    expect(mail.text).toContain('join Acme Massage on Fascia as clinic manager');
    expect(mail.text).toMatch(/expires on .+ UTC/);
    expect(mail.headers['content-type']).toMatch(/multipart\/alternative/);

    const link = /(\S+\/accept-invitation\?token=\S+)/.exec(mail.text)?.[1];
    expect(link?.startsWith(`${ADMIN_URL}/accept-invitation?token=`)).toBe(true);
    const token = decodeURIComponent(new URL(link!).searchParams.get('token')!);
    expect(verifyInvitationToken(token, APP_SECRET, new Date())).toEqual({ invitationId: first.invitationId, expiresAt: new Date(Math.floor(first.expiresAt.getTime() / 1000) * 1000) });
    expect(verifyInvitationToken(token, 'another-secret', new Date())).toBeNull();

    const d = await waitFor('the delivery to be SENT', async () => {
      const row = await delivery(first.invitationId);
      return row?.status === 'SENT' ? row : undefined;
    });
    expect(d).toMatchObject({ organizationId: acme.organizationId, channel: 'EMAIL', recipient: 'rosa@staff.test', template: 'staff-invitation', attempts: 1, lastError: null, outboxId: firstOutboxId });
    expect(d.providerRef).toBe(mail.headers['message-id']);
    expect(d.sentAt).toBeInstanceOf(Date);

    const row = await t.db.system((em) => em.findOneByOrFail(OutboxMessage, { id: firstOutboxId }));
    expect(row.dispatchedAt).toBeInstanceOf(Date);
    expect(row.lastError).toBeNull();
    expect((await waitForJob(firstOutboxId, 'completed')).returnvalue).toMatchObject({ outcome: 'sent' });
  });

  it('greets the invitee by the name the inviter typed, not the existing account\'s name', async () => {
    // The login already exists under an old name; the inviter typed the name to use now.
    const inv = await seedInvitation(t, acme, 'sam@staff.test', { displayName: 'S. Okoro (old account)', invitedAs: 'Samuel Okoro' });
    await enqueueInvitation(acme.organizationId, inv.invitationId);
    const [mail] = await waitFor('the invitation email to Sam', () => (mailsTo('sam@staff.test').length ? mailsTo('sam@staff.test') : undefined));
    expect(mail.text).toContain('Hello Samuel Okoro,');
    expect(mail.text).not.toContain('old account');
  });

  it('never sends twice: a row handed over again, and a second job for the same invitation', async () => {
    // A relay that crashed after adding the job but before committing: the row is pending again.
    await t.db.system((em) => em.update(OutboxMessage, { id: firstOutboxId }, { dispatchedAt: null }));
    await Promise.all([running!.relay.runOnce(), running!.relay.runOnce()]);
    await waitFor('the row to be dispatched again', async () => (await t.db.system((em) => em.findOneByOrFail(OutboxMessage, { id: firstOutboxId }))).dispatchedAt !== null);

    // A second outbox row (another jobId) for the same invitation: the delivery key holds.
    const secondId = await enqueueInvitation(acme.organizationId, first.invitationId);
    expect((await waitForJob(secondId, 'completed')).returnvalue).toMatchObject({ outcome: 'already-handled', status: 'ALREADY_SENT' });

    expect(mailsTo('rosa@staff.test')).toHaveLength(1);
    expect(await t.db.system((em) => em.countBy(Delivery, { deliveryKey: invitationDeliveryKey(first.invitationId) }))).toBe(1);
    expect((await delivery(first.invitationId))?.attempts).toBe(1);
  });

  it('marks the delivery DEAD when the SMTP server refuses the recipient (550), without retrying', async () => {
    const inv = await seedInvitation(t, acme, 'bounce-ben@staff.test');
    const id = await enqueueInvitation(acme.organizationId, inv.invitationId);
    const failed = await waitForJob(id, 'failed');
    expect(failed.failedReason).toMatch(/550|No such user/);
    expect(failed.attemptsMade).toBeLessThanOrEqual(1);

    const d = await delivery(inv.invitationId);
    expect(d).toMatchObject({ status: 'DEAD', attempts: 1, providerRef: null, sentAt: null });
    expect(d?.lastError).toMatch(/550.*No such user/);
    // Retries are 200 ms apart here: a retry would have reached the server by now.
    await new Promise((r) => setTimeout(r, 600));
    expect(smtp.rcptAttempts.filter((a) => a === 'bounce-ben@staff.test')).toHaveLength(1);
    expect(mailsTo('bounce-ben@staff.test')).toHaveLength(0);
  });

  it('retries a transient SMTP failure (451) with backoff, then sends once', async () => {
    const inv = await seedInvitation(t, acme, 'flaky-fay@staff.test');
    const id = await enqueueInvitation(acme.organizationId, inv.invitationId);
    await waitFor('the retried email', () => mailsTo('flaky-fay@staff.test').length === 1);
    const done = await waitForJob(id, 'completed');
    expect(done.attemptsMade).toBe(2);
    expect(await delivery(inv.invitationId)).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
    expect(smtp.rcptAttempts.filter((a) => a === 'flaky-fay@staff.test')).toHaveLength(2);
  });

  it('sends nothing for an accepted or an expired invitation', async () => {
    const accepted = await seedInvitation(t, acme, 'accepted@staff.test', { acceptedAt: new Date() });
    const expired = await seedInvitation(t, acme, 'expired@staff.test', { expiresAt: new Date(Date.now() - 1000) });
    const [a, e] = await Promise.all([enqueueInvitation(acme.organizationId, accepted.invitationId), enqueueInvitation(acme.organizationId, expired.invitationId)]);
    expect((await waitForJob(a, 'completed')).returnvalue).toEqual({ outcome: 'skipped', reason: 'invitation-accepted' });
    expect((await waitForJob(e, 'completed')).returnvalue).toEqual({ outcome: 'skipped', reason: 'invitation-expired' });
    expect(await delivery(accepted.invitationId)).toBeNull();
    expect(await delivery(expired.invitationId)).toBeNull();
    expect(mailsTo('accepted@staff.test').concat(mailsTo('expired@staff.test'))).toHaveLength(0);
  });

  it("refuses a job whose payload names another organization than the invitation's (ownership re-check)", async () => {
    const inv = await seedInvitation(t, acme, 'victim@staff.test');
    // Another tenant can write an outbox row for its own organization id, naming acme's invitation.
    const id = await enqueueInvitation(other.organizationId, inv.invitationId);
    const failed = await waitForJob(id, 'failed');
    expect(failed.failedReason).toMatch(/does not belong to organization/);
    expect(await delivery(inv.invitationId)).toBeNull();
    expect(mailsTo('victim@staff.test')).toHaveLength(0);
  });

  it('stops gracefully, and a job committed while the worker is down goes out after a restart', async () => {
    await running!.stop();
    await running!.stop(); // idempotent
    running = null;
    const inv = await seedInvitation(t, acme, 'late-lee@staff.test');
    const id = await enqueueInvitation(acme.organizationId, inv.invitationId);
    await new Promise((r) => setTimeout(r, 150));
    expect(mailsTo('late-lee@staff.test')).toHaveLength(0);

    running = await startWorker(config, { logger: log });
    await waitFor('the email after restart', () => mailsTo('late-lee@staff.test').length === 1);
    expect((await waitForJob(id, 'completed')).returnvalue).toMatchObject({ outcome: 'sent' });
    expect(await delivery(inv.invitationId)).toMatchObject({ status: 'SENT', outboxId: id });
  });
});
