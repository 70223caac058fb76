import { readFile } from 'node:fs/promises';
import { E2E_TEST_MS, startHarness, type AdminHarness } from './harness';
import { create, signIn } from './support';

/**
 * Issue 15 in the admin app: a client's record downloads as a FHIR R4 Bundle from the client
 * page; an organization admin starts a whole-organization export on Operations → FHIR export
 * and sees it listed with its status (the worker's side is apps/api/test/fhir.test.ts).
 */
jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let clientId: string;

beforeAll(async () => {
  h = await startHarness({ orgName: 'Export Wellness', adminName: 'Eve Export' });
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '19:00' }));
  const clinicId = await create(h.gqlAsAdmin, 'Clinic', { name: 'Export Central', addressLine1: '1 High Street', city: 'London', country: 'GB', timeZone: 'Europe/London', openingHours: weekdays });
  clientId = await create(h.gqlAsAdmin, 'Client', { firstName: 'Fern', lastName: 'Hale', dateOfBirth: '1985-04-05', phone: '+447700900123', clinicIds: [clinicId] });
});

afterAll(async () => {
  await h?.stop();
});

test('Export (FHIR) on the client page downloads the client’s Bundle; the organization export page starts an export and lists it', async () => {
  const { context, page } = await h.newPage();
  try {
    await signIn(page, h.admin, /Eve/);

    await page.goto(`/clients/${clientId}`);
    await page.getByRole('heading', { level: 1, name: 'Fern Hale' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export (FHIR)' }).click()]);
    expect(download.suggestedFilename()).toBe(`patient-${clientId}-fhir.json`);
    const bundle = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(bundle.entry[0].resource).toMatchObject({ resourceType: 'Patient', id: clientId, birthDate: '1985-04-05', name: [{ family: 'Hale', given: ['Fern'] }] });

    await page.goto('/operations/exports');
    await page.getByRole('heading', { level: 1, name: 'FHIR export' }).waitFor();
    await page.getByText('No exports yet').waitFor();
    await page.getByRole('button', { name: 'Start an export' }).click();
    // No worker runs here: the export waits for it, and no second one can be started meanwhile.
    await page.getByRole('table', { name: 'FHIR exports' }).getByText('Waiting for the worker').waitFor();
    expect(await page.getByRole('button', { name: 'Export under way…' }).isDisabled()).toBe(true);
  } finally {
    await context.close();
  }
});
