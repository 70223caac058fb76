import { Delivery, PractitionerTask, Reminder } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { sendTimeFor } from '@fascia/follow-up';
import { type QueueBackendConfig, enqueue, verifyLinkToken } from '@fascia/jobs';
import { DateTime } from 'luxon';
import pino from 'pino';
import { FakeSmsProvider, SmsChannel, SmtpEmailChannel } from '../src/channels';
import type { WorkerConfig } from '../src/config';
import { registerSweepSchedulers, sweepJobId } from '../src/handlers';
import { type RunningWorker, startWorker } from '../src/runtime';
import { type ClinicFixture, planBody, seedAppointment, seedClient, seedClinic, seedPlan, seedPolicy } from './clinical';
import { type Seed, type TestSmtp, seedOrganization, startSmtpServer, waitFor, dropQueues, testQueueConfig, testWorkerConfig, WAIT_TEST_TIMEOUT_MS } from './support';

const APP_SECRET = 'integration-test-secret-0123456789abcdef';
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
// A failure guard only: waits fail when progress stalls (support.ts waitFor), never on a deadline.
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);
const MIN = 60_000;
const DAY = 86_400_000;

describe.each([['redis'], ['postgres']] as const)('reminders, sweeps and faults (%s backend)', (backend) => {
  let t: TestDatabase;
  let smtp: TestSmtp;
  let queueCfg: QueueBackendConfig;
  let config: WorkerConfig;
  let running: RunningWorker | null = null;
  let org: Seed;
  let clinic: ClinicFixture;
  const sms = new FakeSmsProvider();

  const changed = (appointmentId: string) =>
    t.db.tenant({ organizationId: org.organizationId, userId: null }, (tx) => enqueue(tx.em, 'appointment.changed', { organizationId: org.organizationId, appointmentId }));
  const reminders = (where: { appointmentId: string }) => t.db.system((em) => em.find(Reminder, { where, order: { leadMinutes: 'DESC' } }));
  const mailsTo = (email: string) => smtp.messages.filter((m) => m.to.includes(email));
  const jobState = async (id: string) => running!.queues.notifications.getJobState(id);
  /**
   * Runs a reminder's delayed job now. Appointments here are 20 minutes ahead, so their
   * reminders are planned whatever the machine's speed (never "booked inside the lead
   * time") and never go out before the test has set the stage; the test then sends the
   * one it looks at, instead of racing a send time a second or two away.
   */
  const sendNow = async (id: string) => {
    await waitFor(`job ${id} delayed`, async () => (await jobState(id)) === 'delayed');
    await (await running!.queues.notifications.getJob(id))!.promote();
  };
  const waitReminder = (id: string, status: string) =>
    waitFor(`reminder ${id} ${status}`, async () => {
      const r = await t.db.system((em) => em.findOneBy(Reminder, { id }));
      return r?.status === status ? r : undefined;
    });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestDatabase();
    queueCfg = testQueueConfig(backend, t.runtimeUrl);
    config = testWorkerConfig(t.runtimeUrl, queueCfg, {
      appSecret: APP_SECRET,
      smtpUrl: smtp.url,
      retryOverride: { backoffMs: 100, attempts: 3 },
      schedulers: false,
    });
    org = await seedOrganization(t, 'Acme Massage', 'acme');
    clinic = await seedClinic(t, org.organizationId, { name: 'Acme Soho', timeZone: 'UTC' });
    // Lead times in minutes relative to appointments a few minutes ahead; no quiet hours here.
    await seedPolicy(t, clinic, { leadMinutes: [10, 3], channels: ['EMAIL', 'SMS'] });
  });

  afterAll(async () => {
    await running?.stop();
    await dropQueues(queueCfg);
    await smtp?.close();
    await t?.drop();
  });

  it('a booking committed while no worker runs is reconciled and its due reminder sent once the worker starts', async () => {
    const email = 'rosa@clients.test';
    const client = await seedClient(t, clinic, { firstName: 'Rosa', email, channels: ['EMAIL'] });
    // Starts in 20 min: the 10-minute reminder is due in 10 min (sent now, below), the 3-minute one later.
    const startsAt = new Date(Math.floor((Date.now() + 20 * MIN) / 1000) * 1000);
    const appt = await seedAppointment(t, clinic, client, startsAt);
    await changed(appt);
    running = await startWorker(config, { logger: log, channels: { EMAIL: new SmtpEmailChannel(smtp.url, config.mailFrom), SMS: new SmsChannel(sms) } });
    const [due] = await waitFor('the reminders', async () => ((await reminders({ appointmentId: appt })).length === 2 ? reminders({ appointmentId: appt }) : undefined));
    await sendNow(due.id);

    const [mail] = await waitFor('the 10-minute reminder', () => (mailsTo(email).length ? mailsTo(email) : undefined));
    expect(mail.subject).toMatch(/^Reminder: your appointment at Acme Soho, /);
    expect(mail.text).toContain('Hello Rosa,');
    expect(mail.text).toContain('with Pat Practitioner at Acme Soho');
    for (const [purpose, path] of [['appointment-confirm', 'confirm'], ['appointment-cancel', 'cancel']] as const) {
      const token = new RegExp(`http://admin\\.fascia\\.test/appointment/${path}\\?token=(\\S+)`).exec(mail.text)?.[1];
      expect(verifyLinkToken(decodeURIComponent(token!), purpose, APP_SECRET, new Date())).toEqual({ id: appt, expiresAt: new Date(Math.floor(startsAt.getTime() / 1000) * 1000) });
    }
    // The mail arrives before the delivery's settle commits (no transaction is held across the send).
    const rows = await waitFor('the reminder settled', async () => {
      const rs = await reminders({ appointmentId: appt });
      return rs.some((r) => r.status === 'SENT') ? rs : undefined;
    });
    expect(rows.map((r) => [r.leadMinutes, r.channel, r.status === 'SENT' ? 'SENT' : 'SCHEDULED'])).toEqual([
      [10, 'EMAIL', 'SENT'],
      [3, 'EMAIL', 'SCHEDULED'],
    ]);
    expect(rows[1].sendAt.getTime()).toBe(startsAt.getTime() - 3 * MIN);
    expect(await jobState(rows[1].id)).toBe('delayed');
    const d = await t.db.system((em) => em.findOneByOrFail(Delivery, { deliveryKey: rows[0].deliveryKey }));
    expect(d).toMatchObject({ status: 'SENT', attempts: 1, template: 'reminder-appointment', recipient: email, outboxId: rows[0].id });
    // A second reconcile of the same state adds nothing.
    await changed(appt);
    await new Promise((r) => setTimeout(r, 400));
    expect(await reminders({ appointmentId: appt })).toHaveLength(2);
  });

  it('a cancelled appointment sends nothing; its delayed jobs are removed', async () => {
    const client = await seedClient(t, clinic, { email: 'cancel@clients.test', channels: ['EMAIL'] });
    const appt = await seedAppointment(t, clinic, client, new Date(Date.now() + 20 * MIN));
    await changed(appt);
    const rows = await waitFor('two reminders', async () => ((await reminders({ appointmentId: appt })).length === 2 ? reminders({ appointmentId: appt }) : undefined));
    await waitFor('the jobs delayed', async () => (await Promise.all(rows.map((r) => jobState(r.id)))).every((s) => s === 'delayed'));
    await t.dataSource.query(`UPDATE appointment SET status = 'CANCELLED', status_changed_at = now() WHERE id = $1`, [appt]);
    await changed(appt);
    for (const r of rows) await waitReminder(r.id, 'CANCELLED');
    await waitFor('the delayed jobs removed', async () => (await Promise.all(rows.map((r) => jobState(r.id)))).every((s) => s === 'unknown'));
    expect((await reminders({ appointmentId: appt })).map((r) => r.lastError)).toEqual(['appointment cancelled', 'appointment cancelled']);
    expect(mailsTo('cancel@clients.test')).toHaveLength(0);
  });

  it('a job that outlives its cancellation skips itself at send time (never sent for an appointment that is gone)', async () => {
    const client = await seedClient(t, clinic, { email: 'gone@clients.test', channels: ['EMAIL'] });
    const appt = await seedAppointment(t, clinic, client, new Date(Date.now() + 20 * MIN));
    await changed(appt);
    const [first] = await waitFor('the reminders', async () => ((await reminders({ appointmentId: appt })).length === 2 ? reminders({ appointmentId: appt }) : undefined));
    // Cancelled without telling the worker (a removal that failed, a hook that did not run).
    await t.dataSource.query(`UPDATE appointment SET status = 'LATE_CANCELLED' WHERE id = $1`, [appt]);
    await sendNow(first.id);
    const skipped = await waitReminder(first.id, 'SKIPPED');
    expect(skipped.lastError).toBe('the appointment is late cancelled');
    expect(mailsTo('gone@clients.test')).toHaveLength(0);
  });

  it('a rescheduled appointment sends at the new time only', async () => {
    const email = 'moved@clients.test';
    const client = await seedClient(t, clinic, { email, channels: ['EMAIL'] });
    const appt = await seedAppointment(t, clinic, client, new Date(Date.now() + 30 * MIN));
    await changed(appt);
    const old = await waitFor('the old reminders', async () => ((await reminders({ appointmentId: appt })).length === 2 ? reminders({ appointmentId: appt }) : undefined));
    const newStart = new Date(Math.floor((Date.now() + 20 * MIN) / 1000) * 1000);
    await t.dataSource.query(`UPDATE appointment SET starts_at = $2, ends_at = $3, updated_at = now() WHERE id = $1`, [appt, newStart, new Date(newStart.getTime() + 30 * MIN)]);
    await changed(appt);
    for (const r of old) await waitReminder(r.id, 'CANCELLED');
    const [renewed] = await waitFor('the reminders for the new time', async () => {
      const rs = (await reminders({ appointmentId: appt })).filter((r) => r.status === 'SCHEDULED');
      return rs.length === 2 ? rs : undefined;
    });
    await sendNow(renewed.id);
    await waitFor('the reminder for the new time', () => mailsTo(email).length === 1);
    const rows = await reminders({ appointmentId: appt });
    expect(rows.filter((r) => r.status !== 'CANCELLED').every((r) => r.appointmentStartsAt?.getTime() === newStart.getTime())).toBe(true);
    expect(mailsTo(email)[0].text).toContain(`${String(newStart.getUTCHours()).padStart(2, '0')}:${String(newStart.getUTCMinutes()).padStart(2, '0')}`);
  });

  it('honours quiet hours in the clinic time zone: a reminder due now waits for the end of quiet hours', async () => {
    // A clinic where "now" is inside its quiet hours: New York, quiet from an hour ago to an hour from now (local).
    const ny = await seedClinic(t, org.organizationId, { name: 'Acme NYC', timeZone: 'America/New_York' });
    const local = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
    const quiet = { start: local(new Date(Date.now() - 60 * MIN)), end: local(new Date(Date.now() + 60 * MIN)) };
    await seedPolicy(t, ny, { leadMinutes: [120], channels: ['EMAIL'], quietStart: quiet.start, quietEnd: quiet.end });
    const client = await seedClient(t, ny, { email: 'night@clients.test', channels: ['EMAIL'] });
    const startsAt = new Date(Date.now() + 121 * MIN);
    const appt = await seedAppointment(t, ny, client, startsAt);
    await changed(appt);
    const [r] = await waitFor('the reminder', async () => ((await reminders({ appointmentId: appt })).length === 1 ? reminders({ appointmentId: appt }) : undefined));
    expect(r.dueAt.getTime()).toBe(startsAt.getTime() - 120 * MIN);
    expect(r.sendAt.getTime()).toBe(sendTimeFor(r.dueAt, startsAt, quiet, 'America/New_York').getTime());
    expect(r.sendAt.getTime()).toBeGreaterThan(Date.now() + 50 * MIN);
    await waitFor('the job delayed to the end of quiet hours', async () => (await jobState(r.id)) === 'delayed');
    expect(mailsTo('night@clients.test')).toHaveLength(0);
  });

  it('no contact for the channel → SKIPPED with the reason, not retried; no consent → SKIPPED', async () => {
    const noEmail = await seedClient(t, clinic, { email: null, phone: '+447700900123', channels: ['EMAIL'] });
    const noConsent = await seedClient(t, clinic, { email: 'noconsent@clients.test', channels: ['EMAIL'], consent: false });
    const a = await seedAppointment(t, clinic, noEmail, new Date(Date.now() + 20 * MIN));
    const b = await seedAppointment(t, clinic, noConsent, new Date(Date.now() + 20 * MIN));
    await Promise.all([changed(a), changed(b)]);
    const [ra] = await waitFor('a reminder', async () => ((await reminders({ appointmentId: a })).length ? reminders({ appointmentId: a }) : undefined));
    const [rb] = await waitFor('b reminder', async () => ((await reminders({ appointmentId: b })).length ? reminders({ appointmentId: b }) : undefined));
    await Promise.all([sendNow(ra.id), sendNow(rb.id)]);
    expect((await waitReminder(ra.id, 'SKIPPED')).lastError).toBe('the client has no email address');
    expect((await waitReminder(rb.id, 'SKIPPED')).lastError).toBe('the client has not agreed to reminders');
    // Completed on its first attempt, with the reason as its result: no retry.
    await waitFor('the job completed', async () => (await jobState(ra.id)) === 'completed');
    const job = await running!.queues.notifications.getJob(ra.id);
    expect(job?.attemptsMade).toBeLessThanOrEqual(1);
    expect(job?.returnvalue).toEqual({ outcome: 'skipped', reason: 'the client has no email address' });
  });

  it('SMS goes through the provider; a refused number is DEAD after one try; a transient failure is retried', async () => {
    const ok = await seedClient(t, clinic, { email: null, phone: '+44 7700 900555', channels: ['SMS'] });
    const refused = await seedClient(t, clinic, { email: null, phone: '+447700900000', channels: ['SMS'] });
    const flaky = await seedClient(t, clinic, { email: null, phone: '+447700909999', channels: ['SMS'] });
    const appts = await Promise.all([ok, refused, flaky].map((c) => seedAppointment(t, clinic, c, new Date(Date.now() + 20 * MIN))));
    await Promise.all(appts.map(changed));
    const first = async (appointmentId: string) => (await waitFor('reminder', async () => ((await reminders({ appointmentId })).length ? reminders({ appointmentId }) : undefined)))[0];
    const [rOk, rRefused, rFlaky] = await Promise.all(appts.map(first));
    await Promise.all([rOk, rRefused, rFlaky].map((r) => sendNow(r.id)));
    expect(await waitReminder(rOk.id, 'SENT')).toMatchObject({ attempts: 1, channel: 'SMS' });
    expect(sms.sent.find((s) => s.to === '+447700900555')?.text).toMatch(/^Acme Soho: appointment with Pat Practitioner on /);
    const dead = await waitReminder(rRefused.id, 'DEAD');
    expect(dead).toMatchObject({ attempts: 1 });
    expect(dead.lastError).toMatch(/unreachable number/);
    expect(await waitReminder(rFlaky.id, 'SENT')).toMatchObject({ attempts: 2 });
  });

  it('an invalid template → DEAD with the placeholder named, not retried; an SMTP refusal → DEAD; other reminders still go out', async () => {
    const broken = await seedClinic(t, org.organizationId, { name: 'Broken Templates' });
    await seedPolicy(t, broken, { leadMinutes: [10], channels: ['EMAIL'], templates: { APPOINTMENT: { EMAIL: { subject: 'Hi', text: 'See you {{appointmentTme}}' } } } });
    const c1 = await seedClient(t, broken, { email: 'template@clients.test', channels: ['EMAIL'] });
    const c2 = await seedClient(t, clinic, { email: 'bounce-bo@clients.test', channels: ['EMAIL'] });
    const c3 = await seedClient(t, clinic, { email: 'fine@clients.test', channels: ['EMAIL'] });
    const appts = await Promise.all([
      seedAppointment(t, broken, c1, new Date(Date.now() + 20 * MIN)),
      seedAppointment(t, clinic, c2, new Date(Date.now() + 20 * MIN)),
      seedAppointment(t, clinic, c3, new Date(Date.now() + 20 * MIN)),
    ]);
    await Promise.all(appts.map(changed));
    const first = async (appointmentId: string) => (await waitFor('reminder', async () => ((await reminders({ appointmentId })).length ? reminders({ appointmentId }) : undefined)))[0];
    const [rt, rb, rf] = await Promise.all(appts.map(first));
    await Promise.all([rt, rb, rf].map((r) => sendNow(r.id)));
    const deadTemplate = await waitReminder(rt.id, 'DEAD');
    expect(deadTemplate.lastError).toMatch(/unknown placeholder \{\{appointmentTme\}\}/);
    expect(deadTemplate.attempts).toBe(1);
    expect((await running!.queues.notifications.getJob(rt.id))?.attemptsMade).toBeLessThanOrEqual(1);
    const deadSmtp = await waitReminder(rb.id, 'DEAD');
    expect(deadSmtp.lastError).toMatch(/550/);
    await waitFor('the good one', () => mailsTo('fine@clients.test').length === 1);
    expect(mailsTo('template@clients.test').concat(mailsTo('bounce-bo@clients.test'))).toHaveLength(0);
  });

  it('re-assessment, maintenance, home-care and plan-review sweeps fire on demo-shaped data, once', async () => {
    const c = await seedClinic(t, org.organizationId, { name: 'Sweep Clinic', timeZone: 'Europe/London' });
    await seedPolicy(t, c, { leadMinutes: [1440], channels: ['EMAIL'] });
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * DAY);
    // Ana: initial phase, 4 sessions attended in 3 weeks → re-assessment due; next session is a plain one → client reminded.
    const ana = await seedClient(t, c, { firstName: 'Ana', email: 'ana@clients.test', channels: ['EMAIL'] });
    const anaPlan = await seedPlan(t, c, ana, { body: planBody(0, [{ kind: 'stretch', description: 'Upper-trapezius stretch, 3 × 30 s', days: 7 }]), changedAt: ago(22) });
    for (const d of [21, 17, 10, 6]) await seedAppointment(t, c, ana, ago(d), { status: 'COMPLETED', planId: anaPlan, phaseIndex: 0 });
    await seedAppointment(t, c, ana, new Date(now + 2 * DAY), { planId: anaPlan, phaseIndex: 0 });
    // Ben: maintenance every 4 weeks, last visit 6 weeks ago, nothing booked → reminder and follow-up.
    const ben = await seedClient(t, c, { firstName: 'Ben', email: 'ben@clients.test', channels: ['EMAIL'] });
    const benPlan = await seedPlan(t, c, ben, { status: 'MAINTENANCE', body: planBody(2), changedAt: ago(60) });
    await seedAppointment(t, c, ben, ago(45), { status: 'COMPLETED', planId: benPlan, phaseIndex: 2 });
    // Cy: two missed sessions in the initial phase and attendance far below twice a week → two alerts.
    const cy = await seedClient(t, c, { firstName: 'Cy', email: 'cy@clients.test', channels: ['EMAIL'] });
    const cyPlan = await seedPlan(t, c, cy, { body: planBody(0), changedAt: ago(27), complaintKey: 'back' });
    await seedAppointment(t, c, cy, ago(26), { status: 'COMPLETED', planId: cyPlan, phaseIndex: 0 });
    await seedAppointment(t, c, cy, ago(12), { status: 'NO_SHOW', planId: cyPlan, phaseIndex: 0 });
    await seedAppointment(t, c, cy, ago(5), { status: 'LATE_CANCELLED', planId: cyPlan, phaseIndex: 0 });
    // Dee: a completed plan with home care: nothing.
    const dee = await seedClient(t, c, { firstName: 'Dee', email: 'dee@clients.test', channels: ['EMAIL'] });
    await seedPlan(t, c, dee, { status: 'COMPLETED', body: planBody(0, [{ kind: 'stretch', description: 'Calf stretch', days: 7 }]) });

    const period = new Date(now).toISOString().slice(0, 10);
    const q = running!.queues.scheduling;
    const run = async () => {
      const ids: string[] = [];
      for (const sweep of ['reassessments-due', 'maintenance-due', 'home-care', 'plan-review'] as const) {
        const id = `manual.${sweepJobId(sweep, c.clinicId, period)}.${Math.random().toString(36).slice(2, 8)}`;
        await q.add('sweep.clinic', { organizationId: org.organizationId, clinicId: c.clinicId, sweep, period }, { jobId: id });
        ids.push(id);
      }
      for (const id of ids) await waitFor(`sweep ${id}`, async () => (await q.getJobState(id)) === 'completed');
    };
    await run();
    // The therapist edits Ana's overdue plan (a new EDITED version): her re-assessment is still the same one, not a second.
    await t.dataSource.query(
      `INSERT INTO plan_version (organization_id, plan_id, version, body, change_kind, reason, changed_by, changed_at)
       SELECT organization_id, plan_id, version + 1, body, 'EDITED', 'Longer sessions', changed_by, $2 FROM plan_version
       WHERE plan_id = $1 AND version = (SELECT current_version FROM treatment_plan WHERE id = $1)`,
      [anaPlan, ago(21.5)],
    );
    await t.dataSource.query(`UPDATE treatment_plan SET current_version = current_version + 1 WHERE id = $1`, [anaPlan]);
    await run(); // a second pass (a retried or overlapping sweep, after an edit) adds nothing

    const tasks = await t.db.system((em) => em.find(PractitionerTask, { where: { clinicId: c.clinicId }, order: { kind: 'ASC', dedupeKey: 'ASC' } }));
    expect(tasks.map((x) => [x.kind, x.clientId, x.dedupeKey.split(':').slice(0, 2).join(':')])).toEqual([
      ['PLAN_REVIEW', cy, 'plan-review:attendance'],
      ['PLAN_REVIEW', cy, 'plan-review:missed'],
      ['REASSESSMENT_DUE', ana, `reassessment-due:${anaPlan}`],
    ]);
    expect(tasks.find((x) => x.dedupeKey.startsWith('plan-review:missed'))?.reason).toMatch(/^2 missed sessions in the initial phase \(no-show .*, late cancel .*\)\.$/);
    expect(tasks.find((x) => x.kind === 'REASSESSMENT_DUE')?.reason).toMatch(/4 session\(s\) attended/);

    const byKind = async (kind: string) => t.db.system((em) => em.find(Reminder, { where: { clinicId: c.clinicId, kind: kind as never } }));
    expect((await byKind('REASSESSMENT_DUE')).map((r) => r.clientId)).toEqual([ana]);
    expect((await byKind('MAINTENANCE_DUE')).map((r) => r.clientId)).toEqual([ben]);
    expect((await byKind('MAINTENANCE_FOLLOW_UP')).map((r) => r.clientId)).toEqual([ben]);
    const homeCare = await byKind('HOME_CARE');
    expect(homeCare.map((r) => r.clientId)).toEqual([ana]);
    // No quiet hours in this policy: everything due now goes out now; home care at 10:00 local or now if later.
    await waitFor('the re-assessment reminder', () => mailsTo('ana@clients.test').some((m) => m.subject.startsWith('Time for your re-assessment')));
    await waitFor('both maintenance messages', () => mailsTo('ben@clients.test').length === 2);
    expect(mailsTo('ben@clients.test').map((m) => m.subject).sort()).toEqual(['Time to book your maintenance visit at Sweep Clinic', 'We have not seen you for a while at Sweep Clinic']);
    // Both name the visit's due date (4 weeks after the last visit), not the day of the sweep.
    const benDue = DateTime.fromJSDate(new Date(ago(45).getTime() + 28 * DAY), { zone: 'Europe/London' }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
    for (const m of mailsTo('ben@clients.test')) expect(m.text.replace(/\s+/g, ' ')).toContain(`due around ${benDue}`);
    expect((await byKind('MAINTENANCE_DUE'))[0].dueAt.getTime()).toBe(ago(45).getTime() + 28 * DAY);
    expect(mailsTo('cy@clients.test').concat(mailsTo('dee@clients.test'))).toHaveLength(0);
  });

  it('job schedulers are upserted under stable keys (a restart never duplicates them); a fan-out is one job per clinic per local day', async () => {
    const q = running!.queues.scheduling;
    await registerSweepSchedulers(q);
    await registerSweepSchedulers(q, { 'home-care': '30 * * * *' }); // a restart, with a changed pattern
    const schedulers = await q.getJobSchedulers(0, -1, true);
    expect(schedulers.map((x) => x.key).sort()).toEqual(['sweep:home-care', 'sweep:maintenance-due', 'sweep:plan-review', 'sweep:reassessments-due']);
    expect(schedulers.find((x) => x.key === 'sweep:home-care')?.pattern).toBe('30 * * * *');
    for (const x of schedulers) await q.removeJobScheduler(x.key);

    const clinics = (await t.dataSource.query(`SELECT id, time_zone FROM clinic WHERE archived_at IS NULL`)) as { id: string; time_zone: string }[];
    for (const n of [1, 2]) {
      const id = `fanout-plan-review-${n}`;
      await q.add('sweep.fanout', { sweep: 'plan-review' }, { jobId: id });
      await waitFor(`fan-out ${n}`, async () => (await q.getJobState(id)) === 'completed');
    }
    const expected = clinics.map((c) => sweepJobId('plan-review', c.id, new Intl.DateTimeFormat('en-CA', { timeZone: c.time_zone }).format(new Date())));
    for (const id of expected) await waitFor(`sweep ${id}`, async () => (await q.getJobState(id)) === 'completed');
    const made = (await q.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'], 0, -1)).filter((j) => j.name === 'sweep.clinic' && String(j.id).startsWith('plan-review.'));
    expect(made.map((j) => String(j.id)).sort()).toEqual([...expected].sort());
  });
});
