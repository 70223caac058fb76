import { readFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_TEST_MS, axeViolations, startHarness, type AdminHarness } from './harness';
import { create, signIn } from './support';

/**
 * axe-core over every page of the admin app, signed out and as an organization admin, with
 * data on them (a clinic, a practitioner with hours, an invited member, a client with an
 * intake, a plan and a visit) and with a server error shown next to a field: no serious or
 * critical violation (WCAG 2.1 A/AA rules).
 *
 * The pages come from the route table (src/app/routes.tsx): a route this file does not open
 * fails the test, so a new page cannot be missed.
 */
jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let clinicId: string;
let practitionerId: string;
let clientId: string;
let planId: string;
let appointmentId: string;

/** Every path in the one route table, read from its source (importing it would pull in every page and its styles). */
const ROUTE_PATHS = [...readFileSync(path.resolve(__dirname, '../src/app/routes.tsx'), 'utf8').matchAll(/\{\s*path:\s*'([^']+)'/g)].map((m) => m[1]);
/** Routes opened by other browser tests, with where: each also runs axe-core on them. */
const CHECKED_ELSEWHERE: Record<string, string> = {
  '/referrals/:id': 'referrals.e2e.test.ts (a referral with partners, actions and shared records)',
};

beforeAll(async () => {
  h = await startHarness({ orgName: 'Axe Wellness', adminName: 'Ada Axe' });
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '19:00' }));
  clinicId = await create(h.gqlAsAdmin, 'Clinic', { name: 'Axe Central', addressLine1: '1 High Street', city: 'London', country: 'GB', timeZone: 'Europe/London', openingHours: weekdays });
  practitionerId = await create(h.gqlAsAdmin, 'Practitioner', { displayName: 'Pat Hands', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: weekdays.map((w) => ({ ...w, clinicId, start: '09:00', end: '17:00' })) });
  await h.gqlAsAdmin(`mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { id } }`, { i: { email: 'fd@axe.example', displayName: 'Fay Desk', role: 'FRONT_DESK' } });
  clientId = await create(h.gqlAsAdmin, 'Client', { firstName: 'Cleo', lastName: 'Client', dateOfBirth: '1990-02-03', phone: '+447700900456', clinicIds: [clinicId] });
  // A clear intake, its plan accepted, and a visit: the clinical pages with their data.
  const intakeId = (
    await h.gqlAsAdmin<{ recordIntake: { id: string } }>(`mutation($i: RecordIntakeInput!) { recordIntake(input: $i) { id } }`, {
      i: {
        clientId,
        clinicId,
        practitionerId,
        intake: {
          age: 36,
          generalHealth: 'good',
          complaints: [{ id: 'c1', region: 'neck', side: 'central', onsetDate: '2026-01-10', cause: 'posture', painNow: 5, painWorst: 7 }],
          function: { ndi: 14 },
          pressureTolerance: 'moderate',
          lifestyle: { activity: 'moderate', workPosture: 'desk', stress: 4, sleep: 'good' },
          goals: ['pain-relief'],
          commitment: { sessionsPerWeek: 1 },
          selfCareWillingness: 'some',
          health: {},
        },
      },
    })
  ).recordIntake.id;
  planId = (await h.gqlAsAdmin<{ proposePlan: { id: string } }>(`mutation($id: ID!) { proposePlan(intakeId: $id) { id } }`, { id: intakeId })).proposePlan.id;
  await h.gqlAsAdmin(`mutation($id: ID!) { acceptPlan(planId: $id) { id } }`, { id: planId });
  // A weekday next week (the practitioner works Monday to Friday).
  const inAWeek = new Date(Date.now() + 7 * 86_400_000);
  const skip = { 0: 1, 6: 2 }[inAWeek.getUTCDay()] ?? 0;
  const nextWeekday = new Date(inAWeek.getTime() + skip * 86_400_000).toISOString().slice(0, 10);
  appointmentId = (
    await h.gqlAsAdmin<{ bookAppointment: { id: string } }>(`mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }`, {
      i: { clientId, clinicId, practitionerId, planId, startsAt: `${nextWeekday}T10:00`, durationMinutes: 60 },
    })
  ).bookAppointment.id;
});

/** A page (its waits guarded by the harness's E2E_WAIT_MS: a shared, busy machine is slow, not broken). */
const open = () => h.newPage();

afterAll(async () => {
  await h?.stop();
});

/** The public routes, each opened by a test below. */
const PUBLIC_ROUTES = ['/sign-in', '/accept-invitation', '/appointment/confirm', '/appointment/cancel'];

test('the sign-in page, empty and with an error, and the invitation page have no serious or critical violation', async () => {
  const { context, page } = await open();
  try {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Email').fill(h.admin.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto('/accept-invitation?token=not-a-token');
    await page.getByRole('heading', { level: 1, name: 'Accept your invitation' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
});

test('every page an organization admin opens has no serious or critical violation', async () => {
  const { context, page } = await open();
  try {
    await signIn(page, h.admin, /Ada/);
    const pages: [route: string, url: string, heading: string][] = [
      ['/', '/', 'Ada'],
      // The dashboard's reports with the custom range open and grouped by clinic (features/reports).
      ['/', '/?range=custom&from=2026-01-01&to=2026-03-31&group=CLINIC', 'Ada'],
      ['/', '/?range=custom&from=2026-03-31&to=2026-01-01', 'Ada'],
      ['/clinics', '/clinics', 'Clinics'],
      ['/clinics/new', '/clinics/new', 'New clinic'],
      ['/clinics/:id', `/clinics/${clinicId}`, 'Axe Central'],
      ['/practitioners', '/practitioners', 'Practitioners'],
      ['/practitioners/new', '/practitioners/new', 'New practitioner'],
      ['/practitioners/:id/hours', `/practitioners/${practitionerId}/hours`, 'Pat Hands'],
      ['/staff', '/staff', 'Staff'],
      ['/clients', '/clients', 'Clients'],
      ['/clients', '/clients?q=cleo', 'Clients'],
      ['/clients/new', '/clients/new', 'New client'],
      ['/clients/:id', `/clients/${clientId}`, 'Cleo Client'],
      ['/clients/:id/refer', `/clients/${clientId}/refer`, 'Refer Cleo Client'],
      ['/referrals/inbox', '/referrals/inbox', 'Referrals received'],
      ['/referrals/outbox', '/referrals/outbox', 'Referrals sent'],
      ['/referrals/outbox', '/referrals/outbox?status=SENT&overdue=1', 'Referrals sent'],
      ['/partners', '/partners', 'Referral partners'],
      ['/directory', '/directory', 'Referral directory'],
      ['/settings/reminders', '/settings/reminders', 'Reminder settings'],
      ['/settings/webhooks', '/settings/webhooks', 'Webhooks'],
      ['/operations', '/operations', 'Operations'],
      ['/operations/deliveries', '/operations/deliveries', 'Delivery log'],
      ['/operations/exports', '/operations/exports', 'FHIR export'],
      ['/audit', '/audit', 'Audit log'],
      ['/calendar', '/calendar', 'Calendar'],
      ['/calendar', '/calendar?view=week', 'Calendar'],
      ['/my-day', '/my-day', 'My day'],
      ['/clients/:id/intake', `/clients/${clientId}/intake`, 'Intake: Cleo Client'],
      ['/clients/:id/chart', `/clients/${clientId}/chart`, 'Chart: Cleo Client'],
      ['/clients/:id/reassessment/new', `/clients/${clientId}/reassessment/new`, 'Re-assessment'],
      ['/plans/:id', `/plans/${planId}`, 'Plan: Neck'],
      ['/appointments/:id', `/appointments/${appointmentId}`, 'Session: Cleo'],
      ['/referrals', '/referrals', 'Referrals received'],
    ];
    // The referral page itself, with partners, actions and shared records: referrals.e2e.test.ts.
    const found: Record<string, string[]> = {};
    // Every signed-in route of the table is opened here (the public ones in the tests around this one).
    const opened = new Set([...pages.map(([route]) => route), ...PUBLIC_ROUTES, ...Object.keys(CHECKED_ELSEWHERE)]);
    expect(ROUTE_PATHS.length).toBeGreaterThan(20);
    expect(ROUTE_PATHS.filter((r) => !opened.has(r))).toEqual([]);
    for (const [, path, heading] of pages) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: new RegExp(heading) }).waitFor();
      // Let the page's queries settle, so the check reads the page with its data.
      await page.waitForLoadState('networkidle');
      const v = await axeViolations(page);
      if (v.length) found[path] = v;
    }
    // A server error next to a field (the booking horizon out of range).
    await page.goto(`/clinics/${clinicId}`);
    await page.getByLabel('How far ahead can clients be booked? (days)').fill('2000');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.field--invalid .field-error').waitFor();
    const withError = await axeViolations(page);
    if (withError.length) found['clinic with a field error'] = withError;
    expect(found).toEqual({});
  } finally {
    await context.close();
  }
});

test('the client’s reminder-link pages (no sign-in) have no serious or critical violation', async () => {
  const { context, page } = await open();
  try {
    await page.goto('/appointment/confirm?token=not-a-token');
    await page.getByRole('heading', { level: 1, name: 'This link is not valid' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto('/appointment/cancel?token=not-a-token');
    await page.getByRole('heading', { level: 1, name: 'Cancel your appointment?' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
});
