import { Invitation } from '@fascia/db';
import { signInvitationToken } from '@fascia/jobs';
import type { Page, Response } from 'playwright-core';
import { createOrgWithAdmin } from '../../api/src/testing';
import { E2E_TEST_MS, APP_SECRET, startHarness, type AdminHarness } from './harness';
import { shot } from './support';

/**
 * What issue 9 added to the API, done in the admin app: the sign-in limit said in a
 * sentence, a clinic's booking horizon, and clearing a clinic's weekly hours.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let clinicId: string;
let otherClinicId: string;

const CREATE_CLINIC = `mutation($input: CreateClinicInput!) { createClinic(input: $input) { id } }`;
const clinicInput = (name: string) => ({
  name,
  addressLine1: '12 Quay Street',
  city: 'Bristol',
  country: 'GB',
  timeZone: 'Europe/London',
  openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '19:00' })),
});

beforeAll(async () => {
  h = await startHarness({ orgName: 'Quayside Physio', adminName: 'Mina Hale' });
  clinicId = (await h.gqlAsAdmin<{ createClinic: { id: string } }>(CREATE_CLINIC, { input: clinicInput('Quayside Central') })).createClinic.id;
  otherClinicId = (await h.gqlAsAdmin<{ createClinic: { id: string } }>(CREATE_CLINIC, { input: clinicInput('Quayside North') })).createClinic.id;
});

afterAll(async () => {
  await h?.stop();
});

const isSignIn = (r: Response) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('"operationName":"SignIn"');

async function signIn(page: Page, email: string, password: string): Promise<Response> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  const [response] = await Promise.all([page.waitForResponse(isSignIn), page.getByRole('button', { name: 'Sign in' }).click()]);
  return response;
}

test('after 5 wrong passwords for one account, the 6th attempt says when to try again', async () => {
  // An account of its own, so the lock does not touch the harness admin.
  const email = `locked.${Date.now()}@quayside.example`;
  await createOrgWithAdmin(h.tdb.db, { orgName: 'Quayside Locked', email, password: 'the right password here', displayName: 'Lee Locke' });
  const { context, page } = await h.newPage();
  try {
    await page.goto('/sign-in');
    for (let i = 1; i <= 5; i++) {
      const res = await signIn(page, email, `wrong password ${i}`);
      expect(res.status()).toBe(200);
      await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
    }
    const sixth = await signIn(page, email, 'wrong password 6');
    expect(sixth.status()).toBe(429);
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'Too many failed sign-ins' }).waitFor();
    const said = (await alert.innerText()).trim();
    // The account is locked for 15 minutes: the sentence rounds the wait up to whole minutes.
    expect(said).toContain('Too many failed sign-ins. Try again in 15 minutes.');
    expect(said).not.toContain('TOO_MANY_REQUESTS');
    expect(said).not.toMatch(/^Error\b/);
    expect(page.url()).toContain('/sign-in');
    await shot(page, 'sign-in-too-many');
  } finally {
    await context.close();
  }
});

test('sets how far ahead clients can be booked on the clinic page, with the server’s message next to the field', async () => {
  const { context, page } = await h.newPage();
  try {
    await page.goto('/sign-in');
    await signIn(page, h.admin.email, h.admin.password);
    await page.getByRole('heading', { level: 1, name: /Mina/ }).waitFor();
    await page.goto(`/clinics/${clinicId}`);
    const field = page.getByLabel('How far ahead can clients be booked? (days)');
    expect(await field.inputValue()).toBe('365');

    await field.fill('2000');
    await page.getByRole('button', { name: 'Save' }).click();
    const error = page.locator('.field--invalid .field-error');
    await error.waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const message = (await error.innerText()).trim();
    expect(message).toMatch(/1095/);
    await shot(page, 'clinic-horizon-refused');

    await field.fill('90');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await page.locator('.field--invalid').count()).toBe(0);
    const stored = await h.gqlAsAdmin<{ clinic: { maxBookingHorizonDays: number } }>(`query($id: ID!) { clinic(id: $id) { maxBookingHorizonDays } }`, { id: clinicId });
    expect(stored.clinic.maxBookingHorizonDays).toBe(90);
    await page.reload();
    expect(await page.getByLabel('How far ahead can clients be booked? (days)').inputValue()).toBe('90');
    await shot(page, 'clinic-horizon-saved');
  } finally {
    await context.close();
  }
});

test('removing every window of a clinic and saving clears that clinic’s hours, after a confirmation', async () => {
  const created = await h.gqlAsAdmin<{ createPractitioner: { id: string } }>(
    `mutation($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
    {
      input: {
        displayName: 'Tomasz Wren',
        discipline: 'PHYSIOTHERAPIST',
        modalities: ['PHYSIOTHERAPY'],
        availability: [
          { clinicId, weekday: 1, start: '09:00', end: '13:00' },
          { clinicId, weekday: 3, start: '09:00', end: '13:00' },
          { clinicId: otherClinicId, weekday: 5, start: '10:00', end: '16:00' },
        ],
      },
    },
  );
  const practitionerId = created.createPractitioner.id;
  const { context, page } = await h.newPage();
  try {
    await page.goto('/sign-in');
    await signIn(page, h.admin.email, h.admin.password);
    await page.getByRole('heading', { level: 1, name: /Mina/ }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Practitioners' }).click();
    const edit = page.getByRole('link', { name: 'Edit hours of Tomasz Wren' });
    await edit.waitFor();
    await shot(page, 'practitioners-list');
    await edit.click();
    await page.getByRole('heading', { level: 1, name: 'Tomasz Wren: weekly hours' }).waitFor();
    const remove = page.getByRole('button', { name: /^Remove slot/ });
    expect(await remove.count()).toBe(3);
    await shot(page, 'practitioner-hours');

    // Every window removed: the API refuses an empty list, so the app clears each clinic.
    while ((await remove.count()) > 0) await remove.first().click();
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    const clears: string[] = [];
    page.on('request', (r) => {
      const body = r.postData() ?? '';
      if (body.includes('"operationName":"ClearPractitionerAvailability"')) clears.push(body);
    });
    await page.getByRole('button', { name: 'Save hours' }).click();
    await page.getByRole('status').filter({ hasText: 'Hours removed' }).waitFor();
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toContain('Remove all of Tomasz Wren');
    expect(dialogs[0]).toContain('Quayside Central');
    expect(dialogs[0]).toContain('Quayside North');
    expect(clears).toHaveLength(2);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByText('No hours here yet').waitFor();
    await shot(page, 'practitioner-hours-cleared');

    const after = await h.gqlAsAdmin<{ practitioner: { availability: unknown[] } }>(`query($id: ID!) { practitioner(id: $id) { availability { id } } }`, { id: practitionerId });
    expect(after.practitioner.availability).toEqual([]);
  } finally {
    await context.close();
  }
});

test('declining the confirmation keeps the hours', async () => {
  const created = await h.gqlAsAdmin<{ createPractitioner: { id: string } }>(
    `mutation($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
    {
      input: {
        displayName: 'Ines Faro',
        discipline: 'MASSAGE_THERAPIST',
        modalities: ['SWEDISH'],
        availability: [{ clinicId, weekday: 2, start: '09:00', end: '17:00' }],
      },
    },
  );
  const { context, page } = await h.newPage();
  try {
    await page.goto('/sign-in');
    await signIn(page, h.admin.email, h.admin.password);
    await page.getByRole('heading', { level: 1, name: /Mina/ }).waitFor();
    await page.goto(`/practitioners/${created.createPractitioner.id}/hours`);
    await page.getByRole('button', { name: 'Remove slot 1' }).click();
    const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.message()))));
    await page.getByRole('button', { name: 'Save hours' }).click();
    expect(await dialog).toContain('Quayside Central');
    const after = await h.gqlAsAdmin<{ practitioner: { availability: unknown[] } }>(`query($id: ID!) { practitioner(id: $id) { availability { id } } }`, {
      id: created.createPractitioner.id,
    });
    expect(after.practitioner.availability).toHaveLength(1);
  } finally {
    await context.close();
  }
});

describe('a manager limited to one clinic', () => {
  const managerEmail = `noor.${Date.now()}@quayside.example`;
  const managerPassword = 'a quiet tuesday evening';

  beforeAll(async () => {
    const invited = await h.gqlAsAdmin<{ inviteStaff: { id: string } }>(`mutation($input: InviteStaffInput!) { inviteStaff(input: $input) { id } }`, {
      input: { email: managerEmail, displayName: 'Noor Aziz', role: 'CLINIC_MANAGER', clinicIds: [clinicId] },
    });
    // The worker would email this link; the test signs the same token and accepts it over the API.
    const invitation = await h.tdb.dataSource.getRepository(Invitation).findOneByOrFail({ id: invited.inviteStaff.id });
    const token = signInvitationToken(invitation.id, invitation.expiresAt, APP_SECRET);
    const res = await fetch(`${h.apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }', variables: { input: { token, password: managerPassword } } }),
    });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`accepting the manager's invitation failed: ${JSON.stringify(body.errors)}`);
  });

  async function managerPage() {
    const opened = await h.newPage();
    await opened.page.goto('/sign-in');
    await signIn(opened.page, managerEmail, managerPassword);
    await opened.page.getByRole('heading', { level: 1, name: /Noor/ }).waitFor();
    return opened;
  }

  test('is told in a sentence that a practitioner who works only elsewhere is not theirs to change', async () => {
    const created = await h.gqlAsAdmin<{ createPractitioner: { id: string } }>(
      `mutation($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
      { input: { displayName: 'Pia North', discipline: 'ACUPUNCTURIST', modalities: ['ACUPUNCTURE'], availability: [{ clinicId: otherClinicId, weekday: 4, start: '09:00', end: '12:00' }] } },
    );
    const { context, page } = await managerPage();
    try {
      await page.goto(`/practitioners/${created.createPractitioner.id}/hours`);
      const said = page.getByRole('status').filter({ hasText: 'Pia North works only at' });
      await said.waitFor();
      expect((await said.innerText()).trim()).toContain("Pia North works only at Quayside North, which you don't manage, so you can't change their hours.");
      expect(await page.getByRole('button', { name: 'Save hours' }).count()).toBe(0);
      await shot(page, 'practitioner-hours-elsewhere');
    } finally {
      await context.close();
    }
  });

  test('clears their own clinic’s hours and keeps the other clinic’s', async () => {
    const created = await h.gqlAsAdmin<{ createPractitioner: { id: string } }>(
      `mutation($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
      {
        input: {
          displayName: 'Ravi Both',
          discipline: 'PHYSIOTHERAPIST',
          modalities: ['PHYSIOTHERAPY'],
          availability: [
            { clinicId, weekday: 2, start: '09:00', end: '12:00' },
            { clinicId: otherClinicId, weekday: 4, start: '09:00', end: '12:00' },
          ],
        },
      },
    );
    const { context, page } = await managerPage();
    try {
      await page.goto(`/practitioners/${created.createPractitioner.id}/hours`);
      await page.getByText('Also works at Quayside North').waitFor();
      const remove = page.getByRole('button', { name: /^Remove slot/ });
      expect(await remove.count()).toBe(1);
      await shot(page, 'practitioner-hours-manager');
      await remove.click();
      const dialogs: string[] = [];
      page.once('dialog', (d) => {
        dialogs.push(d.message());
        void d.accept();
      });
      await page.getByRole('button', { name: 'Save hours' }).click();
      const outcome = await Promise.race([
        page.getByRole('status').filter({ hasText: 'Hours removed at Quayside Central' }).waitFor().then(() => 'ok'),
        page.getByRole('alert').waitFor().then(async () => `refused: ${await page.getByRole('alert').innerText()}`),
      ]);
      expect(outcome).toBe('ok');
      expect(dialogs[0]).toContain('only an organization admin can add hours here again');
      // Ravi now works only at Quayside North: the page says so, under the outcome.
      await page.getByRole('status').filter({ hasText: "Ravi Both works only at Quayside North, which you don't manage" }).waitFor();
      await shot(page, 'practitioner-hours-manager-cleared');
      const after = await h.gqlAsAdmin<{ practitioner: { availability: { clinicId: string }[] } }>(`query($id: ID!) { practitioner(id: $id) { availability { clinicId } } }`, {
        id: created.createPractitioner.id,
      });
      expect(after.practitioner.availability.map((a) => a.clinicId)).toEqual([otherClinicId]);
    } finally {
      await context.close();
    }
  });
});
