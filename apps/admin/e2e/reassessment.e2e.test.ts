import { DateTime } from 'luxon';
import { E2E_TEST_MS, axeViolations, startHarness, type AdminHarness } from './harness';
import { create, shot, signIn } from './support';

/**
 * Issue 13 item 7 in the browser: a client on a twice-weekly plan with its sessions booked is
 * re-assessed, has improved, and the step-down to every two weeks reaches the schedule — the
 * person sees which bookings are kept, cancelled and added (in the clinic's time zone), confirms,
 * and the bookings reflect it.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let clientId: string;
let planId: string;
const ZONE = 'Europe/London';

const booked = async (): Promise<number> =>
  (await h.tdb.dataSource.query(`SELECT count(*)::int AS n FROM appointment WHERE plan_id = $1 AND status = 'BOOKED'`, [planId]))[0].n;

beforeAll(async () => {
  h = await startHarness({ orgName: 'Riverside Massage', adminName: 'Noor Haddad' });
  const clinicId = await create(h.gqlAsAdmin, 'Clinic', { name: 'Riverside', addressLine1: '2 Mill Lane', city: 'Leeds', country: 'GB', timeZone: ZONE, openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '19:00' })) });
  const practitionerId = await create(h.gqlAsAdmin, 'Practitioner', { displayName: 'Sam Reyes', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00', clinicId })) });
  clientId = await create(h.gqlAsAdmin, 'Client', { firstName: 'Iris', lastName: 'Moreau', clinicIds: [clinicId] });
  const intake = {
    age: 45,
    generalHealth: 'good',
    complaints: [{ id: 'n', region: 'neck', side: 'central', onsetDate: '2025-01-01', cause: 'posture', painNow: 5, painWorst: 7 }],
    function: {},
    pressureTolerance: 'firm',
    lifestyle: { activity: 'moderate', workPosture: 'mixed', stress: 4, sleep: 'good' },
    goals: ['pain-relief', 'mobility'],
    commitment: { sessionsPerWeek: 2 },
    selfCareWillingness: 'some',
    health: {},
  };
  const intakeId = (
    await h.gqlAsAdmin<{ recordIntake: { id: string } }>(`mutation($i: RecordIntakeInput!) { recordIntake(input: $i) { id } }`, { i: { clientId, clinicId, practitionerId, intake } })
  ).recordIntake.id;
  planId = (await h.gqlAsAdmin<{ proposePlan: { id: string } }>(`mutation($id: ID!) { proposePlan(intakeId: $id) { id } }`, { id: intakeId })).proposePlan.id;
  await h.gqlAsAdmin(`mutation($id: ID!) { acceptPlan(planId: $id) { id } }`, { id: planId });
  // Four sessions given (the last two days ago); the rest of the twice-weekly phase booked from tomorrow.
  const today = DateTime.now().setZone(ZONE).startOf('day');
  const ds = h.tdb.dataSource;
  for (let i = 1; i <= 4; i++) {
    const start = today.minus({ days: 2 + (4 - i) * 3 }).set({ hour: 10 }).toJSDate();
    await ds.query(
      `INSERT INTO appointment (organization_id, clinic_id, practitioner_id, client_id, plan_id, session_number, phase_index, kind, starts_at, ends_at, status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, 0, 'SESSION', $7, $8, 'COMPLETED', $9)`,
      [h.admin.organizationId, clinicId, practitionerId, clientId, planId, i, start, new Date(start.getTime() + 3600_000), h.admin.userId],
    );
  }
  await h.gqlAsAdmin(`mutation($i: BookPlanSeriesInput!) { bookPlanSeries(input: $i) { seriesId } }`, {
    i: { planId, clinicId, practitionerId, startFrom: today.plus({ days: 1 }).toISODate() },
  });
  await ds.query(`UPDATE appointment SET status = 'CANCELLED' WHERE plan_id = $1 AND status = 'BOOKED' AND phase_index > 0`, [planId]);
});

afterAll(async () => {
  await h?.stop();
});

test('records an improving re-assessment, accepts the step-down, sees the re-planned series and confirms it', async () => {
  expect(await booked()).toBe(4);
  const { context, page } = await h.newPage();
  try {
    await signIn(page, h.admin, /Noor/);

    // From the client's page.
    await page.goto(`/clients/${clientId}`);
    await page.getByRole('link', { name: 'Re-assess' }).click();
    await page.getByRole('heading', { level: 1, name: /Re-assessment · Iris Moreau/ }).waitFor();
    expect(await page.getByRole('table', { name: 'Baseline and benchmarks' }).textContent()).toMatch(/Pain/);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'reassessment-1-measures');

    // A refusal by the browser shows next to the field.
    await page.getByRole('button', { name: 'Record the re-assessment' }).click();
    await page.getByText('Enter a whole number from 0 to 10.').waitFor();

    await page.getByLabel(/Pain now, neck/).fill('2');
    await page.getByRole('button', { name: 'Record the re-assessment' }).click();
    await page.getByRole('heading', { name: /Proposed next step: Step down/ }).waitFor();
    expect(await page.getByRole('table', { name: /Measures compared/ }).textContent()).toMatch(/3 better/);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'reassessment-2-next-step');

    await page.getByRole('button', { name: 'Accept the next step' }).click();
    const diff = page.getByRole('table', { name: 'Re-planned sessions' });
    await diff.waitFor();
    await page.getByText(/Times are in the clinic’s time zone \(Europe\/London\)/).waitFor();
    const cancels = await diff.locator('tr[data-change="cancel"]').count();
    const keeps = await diff.locator('tr[data-change="keep"]').count();
    const adds = await diff.locator('tr[data-change="add"]').count();
    const moves = await diff.locator('tr[data-change="move"]').count();
    expect(cancels).toBeGreaterThanOrEqual(2);
    expect(keeps + moves + adds).toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'reassessment-3-diff');

    await page.getByRole('button', { name: 'Confirm the new schedule' }).click();
    await page.getByRole('heading', { name: 'Schedule updated' }).waitFor();
    await shot(page, 'reassessment-4-done');
    expect(await booked()).toBe(3);
    const cancelled = await h.tdb.dataSource.query(`SELECT count(*)::int AS n FROM appointment WHERE plan_id = $1 AND status = 'CANCELLED' AND status_reason LIKE 'Re-planned%'`, [planId]);
    expect(cancelled[0].n).toBe(cancels);
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
});
