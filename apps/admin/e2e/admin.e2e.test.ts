import type { BrowserContext, Page } from 'playwright-core';
import { E2E_TEST_MS, startHarness, type AdminHarness } from './harness';
import { shot as shotOf, submitAndExpect } from './support';

/**
 * One organization admin's Monday morning, in order: sign in, set up a clinic, add a
 * practitioner, invite the front desk. The tests share one browser page and build on
 * each other, as the person would.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let context: BrowserContext;
let page: Page;

const CREATE_CLINIC = `mutation($input: CreateClinicInput!) { createClinic(input: $input) { id name } }`;
const CREATE_PRACTITIONER = `mutation($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`;

async function text(selector: ReturnType<Page['locator']>): Promise<string> {
  await selector.first().waitFor();
  return (await selector.first().innerText()).trim();
}

const shot = (name: string) => shotOf(page, name);

/** The row of a table whose header cell contains `name`. */
function row(tableName: string, name: string) {
  return page.getByRole('table', { name: tableName }).getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
}

beforeAll(async () => {
  h = await startHarness();
  ({ context, page } = await h.newPage());
});

afterAll(async () => {
  await context?.close();
  await h?.stop();
});

test('refuses a wrong password with the server’s message', async () => {
  await page.goto('/clinics');
  await page.waitForURL(/\/sign-in\?next=%2Fclinics$/);
  await page.getByLabel('Email').fill(h.admin.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  const alert = page.getByRole('alert');
  expect(await text(alert)).toContain('The email or password is wrong.');
  expect(await alert.getAttribute('data-code')).toBe('UNAUTHENTICATED');
  expect(page.url()).toContain('/sign-in');
  await shot('sign-in-refused');
});

test('signs in with the keyboard and opens the page asked for, then the dashboard', async () => {
  const email = page.getByLabel('Email');
  await email.fill('');
  await email.focus();
  await page.keyboard.type(h.admin.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(h.admin.password);
  await page.keyboard.press('Enter');

  // Back to where the person was going before sign-in.
  await page.waitForURL(/\/clinics$/);
  // Pages load by route: the previous page stays until the new one's chunk is in, so wait on the heading.
  await page.getByRole('heading', { level: 1, name: 'Clinics' }).waitFor();
  expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Clinics');
  expect(await text(page.getByRole('heading', { name: 'No clinics yet' }))).toBeTruthy();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await page.waitForURL(/\/$/);
  await page.getByRole('heading', { level: 1, name: /^Good (morning|afternoon|evening), Ada$/ }).waitFor();
  expect(await text(page.getByRole('heading', { level: 1 }))).toMatch(/^Good (morning|afternoon|evening), Ada$/);
  expect(await text(page.locator('.brand-org'))).toBe('Harbour Physio & Massage');
  expect(await text(page.getByRole('heading', { name: 'Setting up Harbour Physio & Massage' }))).toBeTruthy();
  // The access token stays in memory; only the refresh token is stored.
  const stored = await page.evaluate(() => Object.keys(window.localStorage));
  expect(stored).toContain('fascia.refreshToken');
  expect(await page.evaluate(() => JSON.stringify(window.localStorage))).not.toMatch(/eyJ/);
});

test('creates a clinic with its time zone and opening hours and lists it', async () => {
  await page.getByRole('link', { name: 'Add your first clinic' }).click();
  await page.waitForURL(/\/clinics\/new$/);
  const form = page.getByRole('form', { name: 'New clinic' });
  await form.getByLabel('Clinic name').fill('Harbour Central');
  await form.getByLabel('Street address').fill('12 Quay Street');
  await form.getByLabel('City').fill('Bristol');
  await form.getByLabel('Postal code').fill('BS1 4DJ');
  await form.getByLabel('Country').selectOption({ label: 'United Kingdom' });
  await form.getByLabel('Time zone').selectOption('Europe/London');
  await form.getByLabel('Phone').fill('+44 117 496 0000');
  // Longer weekdays, closed at the weekend.
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    await form.getByLabel(`${day} opens at`).fill('08:00');
    await form.getByLabel(`${day} closes at`).fill('19:00');
  }
  await form.getByRole('checkbox', { name: 'Saturday' }).uncheck();
  expect(await form.getByRole('checkbox', { name: 'Sunday' }).isChecked()).toBe(false);
  await shot('clinic-new');
  await submitAndExpect(page, form.getByRole('button', { name: 'Create clinic' }), /\/clinics\?created=/);
  expect(await text(page.getByRole('status').filter({ hasText: 'Clinic created' }))).toContain('Harbour Central is ready');
  const created = row('Clinics', 'Harbour Central');
  expect(await text(created)).toContain('Europe/London');
  expect(await text(created)).toContain('Mon 08:00–19:00');
  expect(await text(created)).not.toContain('Sat');
  await shot('clinics');
  // Creating it picked it in the header.
  expect(await page.getByLabel('Clinic', { exact: true }).locator('option:checked').innerText()).toContain('Harbour Central');
});

test('shows the server’s message next to the field it names', async () => {
  await page.getByRole('link', { name: 'New clinic' }).click();
  const form = page.getByRole('form', { name: 'New clinic' });
  await form.getByLabel('Clinic name').fill('Harbour Central');
  await form.getByLabel('Street address').fill('1 Dock Road');
  await form.getByLabel('City').fill('Bristol');
  await form.getByLabel('Postal code').fill('#!');
  await form.getByLabel('Time zone').selectOption('Europe/London');
  await form.getByRole('button', { name: 'Create clinic' }).click();

  // BAD_USER_INPUT with extensions.field = input.postalCode: the message sits under that field.
  const postal = form.getByLabel('Postal code');
  await form.locator('input[name="postalCode"][aria-invalid="true"]').waitFor();
  expect(await postal.getAttribute('aria-invalid')).toBe('true');
  const describedBy = await postal.getAttribute('aria-describedby');
  expect(describedBy).toBeTruthy();
  expect(await text(page.locator(`[id="${describedBy}"]`))).toBe('Must be a postal code (letters, digits, spaces or dashes).');
  expect(await form.getByRole('alert').getAttribute('data-code')).toBe('BAD_USER_INPUT');
  await shot('clinic-bad-input');
  // Focus moved to the field to fix.
  expect(await postal.evaluate((el) => el === document.activeElement)).toBe(true);

  // Fixing it, the next refusal is CONFLICT on the name, also next to its field.
  await postal.fill('BS1 5TR');
  await form.getByRole('button', { name: 'Create clinic' }).click();
  const name = form.getByLabel('Clinic name');
  await form.locator('input[name="name"][aria-invalid="true"]').waitFor();
  expect(await name.getAttribute('aria-invalid')).toBe('true');
  expect(await text(page.locator(`[id="${await name.getAttribute('aria-describedby')}"]`))).toContain('already exists');
  expect(await form.getByRole('alert').getAttribute('data-code')).toBe('CONFLICT');
  expect(await postal.getAttribute('aria-invalid')).toBeNull();
});

test('opens a clinic, shows its week and adds a room', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clinics' }).click();
  await page.getByRole('table', { name: 'Clinics' }).getByRole('link', { name: 'Harbour Central' }).click();
  await page.waitForURL(/\/clinics\/[0-9a-f-]{36}$/);
  const hours = page.getByRole('region', { name: 'Opening hours' });
  expect(await text(hours.getByRole('row').filter({ hasText: 'Monday' }))).toContain('08:00–19:00');
  expect(await text(hours.getByRole('row').filter({ hasText: 'Saturday' }))).toContain('Closed');

  const form = page.getByRole('form', { name: 'Add a room' });
  await form.getByLabel('Room name').fill('Treatment room 1');
  await form.getByRole('button', { name: 'Add room' }).click();
  await page.getByRole('region', { name: 'Rooms' }).getByText('Treatment room 1').waitFor();
  expect(await form.getByLabel('Room name').inputValue()).toBe('');

  // The same name again: CONFLICT, next to the field.
  await form.getByLabel('Room name').fill('Treatment room 1');
  await form.getByRole('button', { name: 'Add room' }).click();
  await form.locator('input[name="name"][aria-invalid="true"]').waitFor();
  expect(await text(form.locator('.field-error'))).toContain('already has a room named');
});

test('creates a practitioner with weekly hours and lists them under the picked clinic', async () => {
  // A second clinic, with its own practitioner, made through the API.
  const { createClinic: northside } = await h.gqlAsAdmin<{ createClinic: { id: string } }>(CREATE_CLINIC, {
    input: {
      name: 'Northside Studio',
      addressLine1: '3 Mill Lane',
      city: 'Leeds',
      country: 'GB',
      timeZone: 'Europe/London',
      openingHours: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '07:00', end: '21:00' })),
    },
  });
  await h.gqlAsAdmin(CREATE_PRACTITIONER, {
    input: {
      displayName: 'Tomás Reyes',
      discipline: 'PHYSIOTHERAPIST',
      modalities: ['PHYSIOTHERAPY'],
      availability: [{ clinicId: northside.id, weekday: 6, start: '08:00', end: '14:00' }],
    },
  });
  // A reload drops the in-memory access token: the stored refresh token brings the session back.
  await page.goto('/practitioners');
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Harbour Central — Bristol' });
  expect(await text(page.getByRole('heading', { name: 'No practitioners at Harbour Central yet' }))).toBeTruthy();

  await page.getByRole('link', { name: 'New practitioner' }).click();
  const form = page.getByRole('form', { name: 'New practitioner' });
  await form.getByLabel('Full name').fill('Maya Lindqvist');
  await form.getByLabel('Email').fill('maya@harbour-clinics.example');
  await form.getByLabel('Discipline').selectOption('MASSAGE_THERAPIST');
  await form.getByRole('checkbox', { name: 'Cupping' }).check();
  // Five weekday slots are proposed at the picked clinic; drop Friday.
  expect(await form.getByRole('listitem').count()).toBe(5);
  await form.getByRole('button', { name: 'Remove slot 5' }).click();
  await form.getByLabel('Slot 1: until').fill('18:30');
  await shot('practitioner-new');
  await submitAndExpect(page, form.getByRole('button', { name: 'Add practitioner' }), /\/practitioners\?created=/);
  expect(await text(page.getByRole('status').filter({ hasText: 'Practitioner added' }))).toContain('Maya Lindqvist');
  const maya = row('Practitioners', 'Maya Lindqvist');
  expect(await text(maya)).toContain('Massage therapist');
  expect(await text(maya)).toContain('Cupping');
  expect(await text(maya)).toContain('Mon 09:00–18:30');
  expect(await text(maya)).not.toContain('Fri');
  expect(await row('Practitioners', 'Tomás Reyes').count()).toBe(0);
  await shot('practitioners');

  // The picked clinic filters the list, and is remembered across a reload.
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Northside Studio — Leeds' });
  await row('Practitioners', 'Tomás Reyes').waitFor();
  expect(await row('Practitioners', 'Maya Lindqvist').count()).toBe(0);
  await page.reload();
  await row('Practitioners', 'Tomás Reyes').waitFor();
  expect(await page.getByLabel('Clinic', { exact: true }).locator('option:checked').innerText()).toContain('Northside Studio');

  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'All clinics' });
  await row('Practitioners', 'Maya Lindqvist').waitFor();
  await row('Practitioners', 'Tomás Reyes').waitFor();
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Harbour Central — Bristol' });
  // All clinics' rows stay on screen while Harbour Central's load: Tomás (Leeds only) leaves with its answer.
  await row('Practitioners', 'Tomás Reyes').waitFor({ state: 'detached' });
  await row('Practitioners', 'Maya Lindqvist').waitFor();
});

test('invites a staff member and confirms the invitation', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
  await page.waitForURL(/\/staff$/);
  const form = page.getByRole('form', { name: 'Invite a staff member' });
  // The picked clinic is ticked already.
  expect(await form.getByRole('checkbox', { name: 'Harbour Central' }).isChecked()).toBe(true);
  await form.getByRole('button', { name: 'Send invitation' }).click();
  expect(await text(form.getByText('Enter the email address the invitation goes to.'))).toBeTruthy();

  await form.getByLabel('Name').fill('Sam Whitfield');
  await form.getByLabel('Email').fill('sam.whitfield@harbour-clinics.example');
  await form.getByLabel('Role').selectOption({ label: 'Front desk' });
  await form.getByRole('button', { name: 'Send invitation' }).click();

  const status = page.getByRole('status').filter({ hasText: 'Invitation sent' });
  expect(await text(status)).toContain('sam.whitfield@harbour-clinics.example was invited as front desk');
  const sam = row('Members', 'Sam Whitfield');
  expect(await text(sam)).toContain('Front desk');
  expect(await text(sam)).toContain('Harbour Central');
  expect((await text(sam)).toLowerCase()).toContain('invited');
  await shot('staff');
});

test('links a practitioner record to a member’s login and unlinks it', async () => {
  // The invite form offers the records no login acts as yet, for a practitioner.
  const form = page.getByRole('form', { name: 'Invite a staff member' });
  await form.getByLabel('Role').selectOption({ label: 'Practitioner' });
  const record = form.getByLabel('Practitioner record');
  expect(await record.locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['None yet', 'Tomás Reyes']));
  await form.getByLabel('Role').selectOption({ label: 'Front desk' });

  // The admin also treats clients: their own login becomes Tomás Reyes.
  const me = row('Members', h.admin.displayName);
  await me.getByText('Link a practitioner record').click();
  await me.getByRole('combobox', { name: `Practitioner record for ${h.admin.displayName}` }).selectOption({ label: 'Tomás Reyes' });
  await me.getByRole('button', { name: 'Link' }).click();
  await me.getByRole('button', { name: `Unlink Tomás Reyes from ${h.admin.displayName}` }).waitFor();
  expect(await text(me)).toContain('Tomás Reyes');
  const linked = await h.gqlAsAdmin<{ practitioners: { nodes: { displayName: string; userId: string | null }[] } }>(`{ practitioners(first: 50) { nodes { displayName userId } } }`);
  expect(linked.practitioners.nodes.find((p) => p.displayName === 'Tomás Reyes')?.userId).toBe(h.admin.userId);
  await shot('staff-practitioner-linked');

  await me.getByRole('button', { name: `Unlink Tomás Reyes from ${h.admin.displayName}` }).click();
  await me.getByText('Link a practitioner record').waitFor();
  const unlinked = await h.gqlAsAdmin<{ practitioners: { nodes: { displayName: string; userId: string | null }[] } }>(`{ practitioners(first: 50) { nodes { displayName userId } } }`);
  expect(unlinked.practitioners.nodes.find((p) => p.displayName === 'Tomás Reyes')?.userId).toBeNull();
});

test('summarises the organization on the dashboard', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'All clinics' });
  const summary = page.getByRole('list', { name: 'Summary' });
  await summary.getByText('1 massage therapist').waitFor();
  expect(await text(summary.getByRole('link', { name: /Clinics/ }))).toContain('2');
  expect(await text(summary.getByRole('link', { name: /Staff/ }))).toContain('1 invitation pending');
  expect(await text(page.getByRole('region', { name: 'Today' }))).toContain('Northside Studio');
  await page.screenshot({ path: process.env.ADMIN_SCREENSHOT ?? '/tmp/admin-dashboard.png', fullPage: true });
  // On a phone the navigation folds under the header.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).isVisible()).toBe(true);
  await shot('dashboard-phone');
});
