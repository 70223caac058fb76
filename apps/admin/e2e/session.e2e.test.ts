import { Invitation } from '@fascia/db';
import { signInvitationToken } from '@fascia/jobs';
import type { Request } from 'playwright-core';
import { E2E_TEST_MS, APP_SECRET, startHarness, type AdminHarness } from './harness';
import { signIn } from './support';

/**
 * The session's edges: an invitation link, an access token that expires under the
 * person's feet (the API is started with 2-second access tokens), and a session that
 * cannot be renewed.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let clinicId: string;
const TTL_SECONDS = 2;

beforeAll(async () => {
  process.env.ACCESS_TOKEN_TTL_SECONDS = String(TTL_SECONDS);
  h = await startHarness({ orgName: 'Lakeside Pain Clinic', adminName: 'Rui Tanaka' });
  const created = await h.gqlAsAdmin<{ createClinic: { id: string } }>(
    `mutation($input: CreateClinicInput!) { createClinic(input: $input) { id } }`,
    {
      input: {
        name: 'Lakeside East',
        addressLine1: '8 Shore Road',
        city: 'Windermere',
        country: 'GB',
        timeZone: 'Europe/London',
        openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
      },
    },
  );
  clinicId = created.createClinic.id;
});

afterAll(async () => {
  delete process.env.ACCESS_TOKEN_TTL_SECONDS;
  await h?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('renews an expired access token without interrupting the person', async () => {
  const { context, page } = await h.newPage();
  try {
    await signIn(page, h.admin, /Rui/);
    const refreshes: string[] = [];
    page.on('request', (req: Request) => {
      if (req.url().endsWith('/graphql') && (req.postData() ?? '').includes('"operationName":"RefreshSession"')) refreshes.push(req.url());
    });
    await sleep((TTL_SECONDS + 1) * 1000);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('table', { name: 'Members' }).getByRole('rowheader', { name: /Rui Tanaka/ }).waitFor();
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(page.url()).toMatch(/\/staff$/);
  } finally {
    await context.close();
  }
});

test('sends the person back to sign-in when the session cannot be renewed', async () => {
  const { context, page } = await h.newPage();
  try {
    await signIn(page, h.admin, /Rui/);
    // The session is ended elsewhere (another tab signed out, an admin ended it…). With
    // 2-second access tokens the dashboard may already be renewing its session on a busy
    // machine, and a renewal in flight would hand the page a fresh refresh token: let the
    // page settle, end every session of this person in the database, and end them again
    // once the access token has run out (catching a renewal that landed in between).
    await page.waitForLoadState('networkidle');
    const endSessions = () => h.tdb.dataSource.query(`UPDATE refresh_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [h.admin.userId]);
    await endSessions();
    await sleep((TTL_SECONDS + 1) * 1000);
    await endSessions();
    // The person's next request meets the ended session. On a busy machine that request
    // may be one the page makes by itself (a query that settles late, a poll) before the
    // click: the page is then already on sign-in, and the click has nothing to click.
    const clicked = page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Clinics' })
      .click()
      .catch(() => undefined);
    await Promise.race([clicked, page.waitForURL(/\/sign-in/)]);
    await page.waitForURL(/\/sign-in/);
    expect(await page.getByRole('status').filter({ hasText: 'session' }).innerText()).toContain('Your session has ended. Please sign in again.');
    expect(await page.evaluate(() => window.localStorage.getItem('fascia.refreshToken'))).toBeNull();
  } finally {
    await context.close();
  }
});

test('accepts an invitation from the emailed link and signs the new person in', async () => {
  const invited = await h.gqlAsAdmin<{ inviteStaff: { id: string } }>(
    `mutation($input: InviteStaffInput!) { inviteStaff(input: $input) { id } }`,
    { input: { email: 'lee.marsh@lakeside.example', displayName: 'Lee Marsh', role: 'FRONT_DESK', clinicIds: [clinicId] } },
  );
  // The worker would email this link; the test signs the same token.
  const invitation = await h.tdb.dataSource.getRepository(Invitation).findOneByOrFail({ id: invited.inviteStaff.id });
  const token = signInvitationToken(invitation.id, invitation.expiresAt, APP_SECRET);

  const { context, page } = await h.newPage();
  try {
    await page.goto('/accept-invitation?token=not-a-real-token');
    await page.getByLabel('New password').fill('a calm monday morning');
    await page.getByLabel('Confirm password').fill('a calm monday morning');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('This invitation link is not valid or has expired');

    await page.goto(`/accept-invitation?token=${encodeURIComponent(token)}`);
    await page.getByLabel('New password').fill('short');
    await page.getByLabel('Confirm password').fill('short');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    expect(await page.getByText('Use at least 10 characters.').count()).toBe(1);

    await page.getByLabel('New password').fill('a calm monday morning');
    await page.getByLabel('Confirm password').fill('a calm monday morning');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL(/\/$/);
    await page.getByRole('heading', { level: 1, name: /Lee/ }).waitFor();
    // Front desk at one clinic: that clinic is picked, there is no "All clinics".
    const switcher = page.getByLabel('Clinic', { exact: true });
    await switcher.locator('option', { hasText: 'Lakeside East' }).waitFor({ state: 'attached' });
    expect(await switcher.locator('option:checked').innerText()).toContain('Lakeside East');
    expect(await switcher.locator('option').allInnerTexts()).not.toContain('All clinics');
    expect(await page.locator('.user-role').innerText()).toBe('Front desk');
  } finally {
    await context.close();
  }
});
