import type { Route } from 'playwright-core';
import { E2E_TEST_MS, startHarness, type AdminHarness } from './harness';
import { create, inviteStaff, shot, signIn } from './support';

/**
 * Clients in the browser: the front desk adds a new client (the server's message next to the
 * field it names), finds them by name, phone or email, and opens their page — which shows the
 * front desk no clinical records and no "Refer". A new search keeps the previous answer's rows
 * on screen, marked as updating, until its own answer arrives.
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
    // Upcoming and past are two queries: wait for both to answer.
    await appointments.getByText('Nothing booked ahead. Book from the calendar.').waitFor();
    await appointments.getByText('No past appointments.').waitFor();
    expect(await page.getByRole('link', { name: 'Refer', exact: true }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Referrals', exact: true }).count()).toBe(0);
    await shot(page, 'client-page-front-desk');

    // Found by any part of the name, by the phone's digits however typed, and not by a stranger's name.
    await nav.getByRole('link', { name: 'Clients' }).click();
    const search = page.getByLabel('Search by name, phone or email');
    const table = page.getByRole('table', { name: 'Clients' });
    // The previous answer's rows stay on screen while a search loads: wait for this search's
    // count (shown only with its own answer), as a person reads it, before looking at the rows.
    await search.fill('rive');
    await page.waitForURL(/\?q=rive$/);
    await page.getByText('1 client matching “rive”').waitFor();
    await table.getByRole('link', { name: /Rivers/ }).waitFor();
    expect(await table.getAttribute('aria-busy')).toBe('false');
    expect(await table.getByRole('row').count()).toBe(2);
    await search.fill('900123');
    await page.waitForURL(/\?q=900123$/);
    await page.getByText('1 client matching “900123”').waitFor();
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

test('a new search keeps the previous rows, marked as updating, until its own answer arrives', async () => {
  // More than a page of Marshes, so "Show more" is there to be held back.
  for (let i = 1; i <= 26; i++) await create(h.gqlAsAdmin, 'Client', { firstName: `Robin${String(i).padStart(2, '0')}`, lastName: 'Marsh', clinicIds: [clinicId] });
  const { context, page } = await h.newPage();
  try {
    await signIn(page, desk, /Fay/);
    await page.goto('/clients?q=marsh');
    const table = page.getByRole('table', { name: 'Clients' });
    const more = page.getByRole('button', { name: 'Show more clients' });
    await page.getByText('26 clients matching “marsh”').waitFor();
    await table.getByRole('link', { name: 'Robin01 Marsh' }).waitFor();
    expect(await table.getAttribute('aria-busy')).toBe('false');
    expect(await more.isEnabled()).toBe(true);

    // The answers to the searches named here wait until the test lets them go.
    const held = new Map<string, { route: Route; release(): void }>();
    const waiting = new Map<string, () => void>();
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as { operationName?: string; variables?: { search?: string | null } } | null;
      const search = body?.operationName === 'Clients' ? body.variables?.search : undefined;
      if (!search || !['hopper', 'nobody here'].includes(search)) return route.continue();
      await new Promise<void>((release) => {
        held.set(search, { route, release });
        waiting.get(search)?.();
      });
      await route.continue();
    });
    const heldFor = (search: string) => new Promise<void>((resolve) => (held.has(search) ? resolve() : waiting.set(search, resolve)));

    // A search whose answer is on its way: the Marshes stay, dimmed and marked busy, with a status.
    const search = page.getByLabel('Search by name, phone or email');
    await search.fill('hopper');
    await heldFor('hopper');
    await page.locator('table[aria-label="Clients"][aria-busy="true"]').waitFor();
    await page.getByRole('status').filter({ hasText: 'Updating…' }).waitFor();
    expect(await table.getByRole('link', { name: 'Robin01 Marsh' }).isVisible()).toBe(true);
    expect(await table.getByRole('row').count()).toBe(26); // the header and the first page of 25
    // Not the old count under the new words, no "show more" of the old answer, no empty state.
    expect(await page.getByText(/matching “marsh”|matching “hopper”/).count()).toBe(0);
    expect(await more.isDisabled()).toBe(true);
    expect(await page.getByRole('heading', { name: /No client matches/ }).count()).toBe(0);
    // Dimmed (after a short delay, so a quick answer does not flicker).
    await page.waitForFunction(() => Number(getComputedStyle(document.querySelector('table[aria-label="Clients"] tbody')!).opacity) <= 0.6);
    await shot(page, 'clients-updating');

    // Its answer: Grace Hopper alone, no longer busy, with her count.
    held.get('hopper')!.release();
    await page.getByText('1 client matching “hopper”').waitFor();
    await table.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    expect(await table.getAttribute('aria-busy')).toBe('false');
    expect(await table.getByRole('row').count()).toBe(2);
    expect(await page.getByRole('status').filter({ hasText: 'Updating…' }).count()).toBe(0);
    expect(await more.count()).toBe(0);

    // A search that will match no one: the empty state waits for its answer.
    await search.fill('nobody here');
    await heldFor('nobody here');
    await page.locator('table[aria-label="Clients"][aria-busy="true"]').waitFor();
    expect(await table.getByRole('link', { name: 'Grace Hopper' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: /No client matches/ }).count()).toBe(0);
    await page.setViewportSize({ width: 1024, height: 860 });
    await page.waitForFunction(() => Number(getComputedStyle(document.querySelector('table[aria-label="Clients"] tbody')!).opacity) <= 0.6);
    await shot(page, 'clients-updating-1024');
    held.get('nobody here')!.release();
    await page.getByRole('heading', { name: 'No client matches “nobody here”' }).waitFor();
    expect(await table.count()).toBe(0);
    await page.unroute('**/graphql');
  } finally {
    await context.close();
  }
});
