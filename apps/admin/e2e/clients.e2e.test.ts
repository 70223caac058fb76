import { E2E_TEST_MS, startHarness, type AdminHarness } from './harness';
import { create, inviteStaff, shot, signIn } from './support';

/**
 * Clients in the browser: the front desk adds a new client (the server's message next to the
 * field it names), finds them by name, phone or email, and opens their page — which shows the
 * front desk no clinical records and no "Refer".
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let clinicId: string;
const desk = { email: 'fay@harbour.example', password: 'a long front desk password' };

beforeAll(async () => {
  h = await startHarness({ orgName: 'Harbour Massage', adminName: 'Ada Okafor' });
  clinicId = await create(h.gqlAsAdmin, 'Clinic', { name: 'Harbour Central', addressLine1: '1 Quay Street', city: 'Bristol', country: 'GB', timeZone: 'Europe/London', openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '19:00' })) });
  await inviteStaff(h, h.gqlAsAdmin, desk, { displayName: 'Fay Desk', role: 'FRONT_DESK', clinicIds: [clinicId] });
  for (const [firstName, lastName] of [
    ['Ada', 'Lovelace'],
    ['Grace', 'Hopper'],
  ]) {
    await create(h.gqlAsAdmin, 'Client', { firstName, lastName, clinicIds: [clinicId] });
  }
});

afterAll(async () => {
  await h?.stop();
});

test('the front desk adds a client, with the server’s message next to the field, then finds them', async () => {
  const { context, page } = await h.newPage();
  try {
    await signIn(page, desk, /Fay/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await shot(page, 'clients');

    await page.getByRole('link', { name: 'New client' }).click();
    const form = page.getByRole('form', { name: 'New client' });
    // The browser's own check first: the names are required.
    await form.getByRole('button', { name: 'Add client' }).click();
    expect(await form.locator('input[name="firstName"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('firstName');

    await form.getByLabel('First name').fill('Samantha');
    await form.getByLabel('Last name').fill('Rivers');
    await form.getByLabel('Preferred name').fill('Sam');
    await form.getByLabel('Phone').fill('12');
    await form.getByRole('button', { name: 'Add client' }).click();
    // The server's refusal of the phone number, next to the phone field.
    const phone = form.locator('input[name="phone"][aria-invalid="true"]');
    await phone.waitFor();
    const describedBy = await phone.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).innerText()).toMatch(/phone number/i);
    expect(await form.getByRole('alert').getAttribute('data-code')).toBe('BAD_USER_INPUT');
    await shot(page, 'client-new-refused');

    await form.getByLabel('Phone').fill('+44 7700 900123');
    await form.getByRole('button', { name: 'Add client' }).click();
    await page.getByRole('status').filter({ hasText: 'Client added' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Sam (Samantha) Rivers' }).waitFor();
    // The front desk sees contact details and the client's appointments (none yet), not clinical records, and does not refer.
    const appointments = page.getByRole('region', { name: 'Appointments' });
    await appointments.getByText('Nothing booked ahead. Book from the calendar.').waitFor();
    expect(await appointments.innerText()).toContain('No past appointments.');
    expect(await page.getByRole('link', { name: 'Refer', exact: true }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Referrals', exact: true }).count()).toBe(0);
    await shot(page, 'client-page-front-desk');

    // Found by any part of the name, by the phone's digits however typed, and not by a stranger's name.
    await nav.getByRole('link', { name: 'Clients' }).click();
    const search = page.getByLabel('Search by name, phone or email');
    const table = page.getByRole('table', { name: 'Clients' });
    await search.fill('rive');
    await page.waitForURL(/\?q=rive$/);
    await table.getByRole('link', { name: /Rivers/ }).waitFor();
    expect(await table.getByRole('row').count()).toBe(2);
    await search.fill('900123');
    await page.waitForURL(/\?q=900123$/);
    await table.getByRole('link', { name: /Rivers/ }).waitFor();
    await search.fill('nobody by that name');
    await page.getByRole('heading', { name: /No client matches/ }).waitFor();
    await shot(page, 'clients-no-match');

    // The front desk reaches the inbox (to book referred clients) but not the sent referrals.
    await nav.getByRole('link', { name: 'Referrals' }).click();
    await page.getByRole('heading', { level: 1, name: 'Referrals received' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Referrals' }).getByRole('link', { name: 'Sent' }).count()).toBe(0);
    await page.goto('/referrals/outbox');
    await page.getByRole('heading', { level: 1, name: 'Referrals sent' }).waitFor();
    await page.getByRole('heading', { name: 'This page is not part of your role' }).waitFor();
  } finally {
    await context.close();
  }
});
