import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import pino from 'pino';
import { type RunningWorker, startWorker } from '../../worker/src/runtime';
import { parseMail, testWorkerConfig, waitFor } from '../../worker/test/support';
import { E2E_TEST_MS, APP_SECRET, axeViolations, startHarness, type AdminHarness } from './harness';
import { checkA11y, create, shot as shotOf, signIn, waitForCount } from './support';

/**
 * Issue 13 items 9 and 10 in the browser: an organization admin edits a clinic's reminder policy,
 * a booking's reminder goes out through the real worker to the email file, the client opens the
 * confirm link from that email (no sign-in) and sees it confirmed, the same link again says it
 * was used; the delivery log shows the reminder sent, the audit log finds the confirmation and
 * exports it. axe-core checks each page.
 */
jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let worker: RunningWorker | null = null;
let mailDir: string;
let clinicId: string;
let practitionerId: string;
let clientId: string;
let page: Page;
let closeContext: () => Promise<void>;
const found: Record<string, string[]> = {};

const shot = (name: string) => shotOf(page, name);

async function axe(name: string): Promise<void> {
  await checkA11y(page, name, found);
  await shot(name);
}

/** The date `days` from today (far enough ahead that the clinic's zone does not matter). */
const dayAhead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  h = await startHarness({ orgName: 'Quayside Massage', adminName: 'Ada Quay' });
  const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' }));
  clinicId = await create(h.gqlAsAdmin, 'Clinic', { name: 'Quayside Harbour', addressLine1: '2 Quay Street', city: 'Bristol', country: 'GB', timeZone: 'Europe/London', phone: '+44 117 496 0000', openingHours: everyDay });
  practitionerId = await create(h.gqlAsAdmin, 'Practitioner', { displayName: 'Nia Hands', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: everyDay.map((w) => ({ ...w, clinicId })) });
  clientId = await create(h.gqlAsAdmin, 'Client', { firstName: 'Rosa', lastName: 'Marsh', email: 'rosa.marsh@clients.example', preferredChannels: ['EMAIL'], reminderConsent: true, clinicIds: [clinicId] });

  // The worker, in-process, on the API's queue backend (BullMQ on the same PostgreSQL), writing email to files.
  mailDir = mkdtempSync(path.join(tmpdir(), 'fascia-e2e-mail-'));
  worker = await startWorker(
    testWorkerConfig(h.tdb.runtimeUrl, { kind: 'postgres', connectionString: h.tdb.runtimeUrl }, { appSecret: APP_SECRET, adminUrl: h.baseUrl, mailDir, schedulers: false }),
    { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) },
  );

  const ctx = await h.newPage();
  page = ctx.page;
  closeContext = () => ctx.context.close();
  await signIn(page, h.admin, /Ada/);
});

afterAll(async () => {
  await closeContext?.();
  await worker?.stop();
  await h?.stop();
  if (mailDir) rmSync(mailDir, { recursive: true, force: true });
});

test('edit the clinic’s reminder policy: lead times, channels, quiet hours, own wording with a live preview', async () => {
  await page.getByRole('link', { name: 'Reminders' }).click();
  await page.getByRole('heading', { level: 1, name: 'Reminder settings' }).waitFor();
  const form = page.getByRole('form', { name: 'Reminder settings' });
  await form.getByText('This clinic uses the standard settings').waitFor();
  await axe('settings-reminders-default');

  // Two reminders: 1 day and 3 hours before; email only; quiet 22:00–07:00.
  await form.getByRole('textbox', { name: /^Reminder 1/ }).fill('1');
  await form.getByRole('combobox', { name: /^Reminder 1 unit/ }).selectOption('days');
  await form.getByRole('textbox', { name: /^Reminder 2/ }).fill('3');
  await form.getByRole('combobox', { name: /^Reminder 2 unit/ }).selectOption('hours');
  await form.getByLabel('Text message', { exact: true }).uncheck();
  await form.getByLabel('Quiet from').fill('22:00');
  await form.getByLabel('Quiet until').fill('07:00');

  // Own wording for the appointment reminder; the preview is the API's rendering with the clinic's name.
  await form.getByLabel(/Use this clinic’s own wording/).check();
  await form.getByLabel('Email subject').fill('See you soon at {{clinicName}}');
  const preview = page.getByRole('region', { name: 'Email preview' });
  await preview.getByText('See you soon at Quayside Harbour').waitFor();
  // A misspelt placeholder: the preview names it, and so does the server on save.
  await form.getByLabel('Email subject').fill('See you {{apointmentTime}}');
  await preview.getByText(/apointmentTime/).waitFor();
  await form.getByRole('button', { name: 'Save reminder settings' }).click();
  // The server's refusal, next to the subject field (the preview shows its own).
  await form.locator('.field-error', { hasText: /email subject: unknown placeholder \{\{apointmentTime\}\}/ }).waitFor();
  await axe('settings-reminders-error');
  await form.getByLabel('Email subject').fill('Your visit to {{clinicName}} on {{appointmentTime}}');
  await form.getByRole('button', { name: 'Save reminder settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await shot('settings-reminders-saved');

  const saved = await h.gqlAsAdmin<{ reminderPolicy: { leadMinutes: number[]; channels: string[]; quietHours: { start: string; end: string }; templates: { kind: string; email: { subject: string } }[] } }>(
    `query($c: ID!) { reminderPolicy(clinicId: $c) { leadMinutes channels quietHours { start end } templates { kind email { subject } } } }`,
    { c: clinicId },
  );
  expect(saved.reminderPolicy).toEqual({
    leadMinutes: [1440, 180],
    channels: ['EMAIL'],
    quietHours: { start: '22:00', end: '07:00' },
    templates: [{ kind: 'APPOINTMENT', email: { subject: 'Your visit to {{clinicName}} on {{appointmentTime}}' } }],
  });
});

let confirmLink = '';
let appointmentId = '';

test('the reminder goes out to the email file with its links; the delivery log shows it sent', async () => {
  const booked = await h.gqlAsAdmin<{ bookAppointment: { id: string } }>(`mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }`, {
    i: { clinicId, practitionerId, clientId, durationMinutes: 60, startsAt: `${dayAhead(3)}T10:00` },
  });
  appointmentId = booked.bookAppointment.id;
  // The worker plans the reminders (1 day and 3 hours before); send the first now instead of waiting a day.
  const reminder = await waitFor('the reminders planned', async () => {
    const rows = (await h.tdb.dataSource.query(`SELECT id, lead_minutes FROM reminder WHERE appointment_id = $1 ORDER BY lead_minutes DESC`, [appointmentId])) as { id: string }[];
    return rows.length === 2 ? rows[0] : undefined;
  });
  await waitFor('the reminder job delayed', async () => (await worker!.queues.notifications.getJobState(reminder.id)) === 'delayed');
  await (await worker!.queues.notifications.getJob(reminder.id))!.promote();
  const file = await waitFor('the email file', () => readdirSync(mailDir).find((f) => f.endsWith('.eml')));
  const mail = parseMail(readFileSync(path.join(mailDir, file), 'utf8'));
  expect(mail.subject).toMatch(/^Your visit to Quayside Harbour on /);
  confirmLink = /(http\S+\/appointment\/confirm\?token=\S+)/.exec(mail.text)?.[1] ?? '';
  expect(confirmLink.startsWith(`${h.baseUrl}/appointment/confirm?token=`)).toBe(true);
  expect(mail.text).toContain('/appointment/cancel?token=');

  await page.getByRole('link', { name: 'Operations' }).click();
  await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
  await page.getByRole('table', { name: 'Queues' }).waitFor();
  await axe('operations-queues');
  await page.getByRole('link', { name: 'Delivery log' }).click();
  await page.getByRole('heading', { level: 1, name: 'Delivery log' }).waitFor();
  const log = page.getByRole('table', { name: 'Delivery log' });
  await log.getByRole('row').filter({ hasText: 'Rosa Marsh' }).filter({ hasText: 'Sent' }).waitFor();
  await expect(log.getByRole('row').filter({ hasText: 'Waiting' }).count()).resolves.toBe(1);
  await axe('operations-delivery-log');
  // Filtered to what was sent: one row.
  await page.getByLabel('Outcome').selectOption('SENT');
  await page.waitForURL(/status=SENT/);
  await page.getByRole('status').filter({ hasText: /^1 reminder matches/ }).waitFor();
  await log.getByRole('row').filter({ hasText: 'Rosa Marsh' }).filter({ hasText: 'Sent' }).waitFor();
  expect(await log.getByRole('row').filter({ hasText: 'Waiting' }).count()).toBe(0);
});

test('the client opens the confirm link without signing in: confirmed; the same link again: already used', async () => {
  const { context, page: client } = await h.newPage();
  try {
    await client.goto(confirmLink);
    await client.getByRole('heading', { level: 1, name: 'Thank you — your appointment is confirmed' }).waitFor();
    expect(await client.getByRole('status').innerText()).toMatch(/with Nia Hands at Quayside Harbour on \w+day \d+ \w+ \d{4} at 10:00/);
    expect(new URL(client.url()).pathname).toBe('/appointment/confirm');
    const v1 = await axeViolations(client);
    if (v1.length) found['link-confirmed'] = v1;
    if (process.env.ADMIN_SCREENSHOT_DIR) await client.screenshot({ path: `${process.env.ADMIN_SCREENSHOT_DIR}/link-confirmed.png`, fullPage: true });
    await client.goto(confirmLink);
    await client.getByRole('heading', { level: 1, name: 'This link has already been used' }).waitFor();
    const v2 = await axeViolations(client);
    if (v2.length) found['link-already-used'] = v2;
    if (process.env.ADMIN_SCREENSHOT_DIR) await client.screenshot({ path: `${process.env.ADMIN_SCREENSHOT_DIR}/link-already-used.png`, fullPage: true });
    // The cancel link asks first (a mail scanner opening links cancels nothing).
    await client.goto(confirmLink.replace('/appointment/confirm', '/appointment/cancel'));
    await client.getByRole('heading', { level: 1, name: 'Cancel your appointment?' }).waitFor();
  } finally {
    await context.close();
  }
  const confirmed = await h.gqlAsAdmin<{ appointment: { status: string; clientConfirmedAt: string | null } }>(`query($id: ID!) { appointment(id: $id) { status clientConfirmedAt } }`, { id: appointmentId });
  expect(confirmed.appointment.status).toBe('BOOKED');
  expect(confirmed.appointment.clientConfirmedAt).toEqual(expect.any(String));
});

test('the audit log finds the confirmation and the policy change, and exports the search as CSV', async () => {
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  const events = page.getByRole('table', { name: 'Audit events' });
  await events.waitFor();
  await axe('audit-log');
  await page.getByLabel('Action').fill('appointment.confirm_by_link');
  await page.waitForURL(/action=appointment.confirm_by_link/);
  await events.getByRole('row').filter({ hasText: 'A client link or the system' }).waitFor();
  // The header and the one event, once the filtered list replaced the whole one (which has that row too).
  await waitForCount(events.getByRole('row'), 2, 'rows of the audit log filtered by action');
  // By person: the admin's own policy change.
  await page.getByLabel('Action').fill('');
  await page.getByLabel('Person').selectOption({ label: `Ada Quay (${h.admin.email})` });
  await page.waitForURL((u) => u.searchParams.has('person') && !u.searchParams.has('action'));
  // The previous answer's rows stay while this one loads: the client's confirmation (no actor)
  // leaves with the person's answer, which has the admin's policy change.
  await events.getByRole('row').filter({ hasText: 'A client link or the system' }).waitFor({ state: 'detached' });
  await events.getByRole('row').filter({ hasText: 'reminder_policy.set' }).waitFor();
  await shot('audit-log-person');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  const csv = readFileSync((await file.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('occurred_at,action,outcome,actor_email,actor_name,record_type,record_id,record_ids,source_address,request_id,correlation_id,detail');
  expect(csv).toContain('reminder_policy.set');
  // The person filter holds in the export too: only the admin's events (the client's confirmation has no actor).
  const actions = csv.trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[1]);
  expect(actions).not.toContain('appointment.confirm_by_link');
  expect(csv.trimEnd().split('\r\n').slice(1).every((line) => line.split(',')[3] === h.admin.email)).toBe(true);
  await page.getByRole('status').filter({ hasText: /Exported \d+ events?\./ }).waitFor();
});

test('no serious or critical accessibility violation on these pages', () => {
  expect(found).toEqual({});
});
