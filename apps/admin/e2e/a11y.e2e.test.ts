import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { startHarness, type AdminHarness } from './harness';

/**
 * axe-core over every page of the admin app, signed out and as an organization admin, with
 * data on them (a clinic, a practitioner with hours, an invited member) and with a server
 * error shown next to a field: no serious or critical violation (WCAG 2.1 A/AA rules).
 */
jest.setTimeout(120_000);

let h: AdminHarness;
let clinicId: string;
let practitionerId: string;
let clientId: string;

beforeAll(async () => {
  h = await startHarness({ orgName: 'Axe Wellness', adminName: 'Ada Axe' });
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '19:00' }));
  clinicId = (
    await h.gqlAsAdmin<{ createClinic: { id: string } }>(`mutation($i: CreateClinicInput!) { createClinic(input: $i) { id } }`, {
      i: { name: 'Axe Central', addressLine1: '1 High Street', city: 'London', country: 'GB', timeZone: 'Europe/London', openingHours: weekdays },
    })
  ).createClinic.id;
  practitionerId = (
    await h.gqlAsAdmin<{ createPractitioner: { id: string } }>(`mutation($i: CreatePractitionerInput!) { createPractitioner(input: $i) { id } }`, {
      i: { displayName: 'Pat Hands', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: weekdays.map((w) => ({ ...w, clinicId, start: '09:00', end: '17:00' })) },
    })
  ).createPractitioner.id;
  await h.gqlAsAdmin(`mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { id } }`, { i: { email: 'fd@axe.example', displayName: 'Fay Desk', role: 'FRONT_DESK' } });
  clientId = (
    await h.gqlAsAdmin<{ createClient: { id: string } }>(`mutation($i: CreateClientInput!) { createClient(input: $i) { id } }`, {
      i: { firstName: 'Cleo', lastName: 'Client', dateOfBirth: '1990-02-03', phone: '+447700900456', clinicIds: [clinicId] },
    })
  ).createClient.id;
});

afterAll(async () => {
  await h?.stop();
});

/** The serious and critical violations on the page as it is now, as readable lines. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the sign-in page, empty and with an error, has no serious or critical violation', async () => {
  const { context, page } = await h.newPage();
  try {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByLabel('Email').fill(h.admin.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await violations(page)).toEqual([]);
  } finally {
    await context.close();
  }
});

test('every page an organization admin opens has no serious or critical violation', async () => {
  const { context, page } = await h.newPage();
  try {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(h.admin.email);
    await page.getByLabel('Password').fill(h.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /Ada/ }).waitFor();
    const pages: [string, string][] = [
      ['/', 'Ada'],
      ['/clinics', 'Clinics'],
      ['/clinics/new', 'New clinic'],
      [`/clinics/${clinicId}`, 'Axe Central'],
      ['/practitioners', 'Practitioners'],
      ['/practitioners/new', 'New practitioner'],
      [`/practitioners/${practitionerId}/hours`, 'Pat Hands'],
      ['/staff', 'Staff'],
      ['/clients', 'Clients'],
      ['/clients?q=cleo', 'Clients'],
      ['/clients/new', 'New client'],
      [`/clients/${clientId}`, 'Cleo Client'],
      [`/clients/${clientId}/refer`, 'Refer Cleo Client'],
      ['/referrals/inbox', 'Referrals received'],
      ['/referrals/outbox', 'Referrals sent'],
      ['/referrals/outbox?status=SENT&overdue=1', 'Referrals sent'],
      ['/partners', 'Referral partners'],
      ['/directory', 'Referral directory'],
      ['/settings/reminders', 'Reminder settings'],
      ['/operations', 'Operations'],
      ['/operations/deliveries', 'Delivery log'],
      ['/operations/exports', 'FHIR export'],
      ['/audit', 'Audit log'],

      ['/calendar', 'Calendar'],
      ['/calendar?view=week', 'Calendar'],
      ['/my-day', 'My day'],
    ];
    // The referral page itself, with partners, actions and shared records: referrals.e2e.test.ts.
    const found: Record<string, string[]> = {};
    for (const [path, heading] of pages) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: new RegExp(heading) }).waitFor();
      // Let the page's queries settle, so the check reads the page with its data.
      await page.waitForLoadState('networkidle');
      const v = await violations(page);
      if (v.length) found[path] = v;
    }
    // A server error next to a field (the booking horizon out of range).
    await page.goto(`/clinics/${clinicId}`);
    await page.getByLabel('How far ahead can clients be booked? (days)').fill('2000');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.field--invalid .field-error').waitFor();
    const withError = await violations(page);
    if (withError.length) found['clinic with a field error'] = withError;
    expect(found).toEqual({});
  } finally {
    await context.close();
  }
});

test('the client’s reminder-link pages (no sign-in) have no serious or critical violation', async () => {
  const { context, page } = await h.newPage();
  try {
    await page.goto('/appointment/confirm?token=not-a-token');
    await page.getByRole('heading', { level: 1, name: 'This link is not valid' }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.goto('/appointment/cancel?token=not-a-token');
    await page.getByRole('heading', { level: 1, name: 'Cancel your appointment?' }).waitFor();
    expect(await violations(page)).toEqual([]);
  } finally {
    await context.close();
  }
});
