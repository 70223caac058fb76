import { readFileSync } from 'node:fs';
import { drainReportMarks } from '@fascia/db';
import type { Locator, Page } from 'playwright-core';
import { E2E_TEST_MS, startHarness, type AdminHarness } from './harness';
import { book, checkA11y, create, everyDay, inviteStaff, localDate, shot, signIn, type Who } from './support';

/**
 * Issue 14's dashboard in the browser: an organization admin opens the dashboard (all clinics),
 * sees the headline figures and the charts, switches to one clinic and to another range, and
 * downloads a report as CSV whose rows are the rows of the table under its chart. A clinic
 * manager limited to one clinic sees that clinic only: no other in the switcher, no "by clinic"
 * grouping, and figures that are that clinic's. Every screen is checked by axe-core.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
const ZONE = 'Europe/London';
const manager = { email: 'noor.manager@harbour.example', password: 'a long manager password' };
const found: Record<string, string[]> = {};
let centralId: string;
let northId: string;

/** The local date in `tz`, `plusDays` from today. */
const localDay = (tz: string, plusDays = 0) => localDate(tz, new Date(Date.now() + plusDays * 86_400_000));

/** Signs in; the dashboard greets the person. */
const signInToDashboard = (page: Page, who: Who) => signIn(page, who, /Good (morning|afternoon|evening)/);

function card(page: Page, report: string): Locator {
  return page.locator(`section[data-report="${report}"]`);
}

/** The table under a report's chart: each body row's header and cells (raw values from data-value). */
async function tableRows(page: Page, report: string): Promise<{ key: string; label: string; values: string[] }[]> {
  const table = card(page, report).getByRole('table');
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      key: tr.getAttribute('data-key') ?? '',
      label: (tr.querySelector('th')?.textContent ?? '').trim(),
      values: Array.from(tr.querySelectorAll('td')).map((td) => td.getAttribute('data-value') ?? ''),
    })),
  );
}

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const sameNumber = (a: string, b: string) => (a === '' || b === '' ? a === b : Math.abs(Number(a) - Number(b)) < 1e-6);

beforeAll(async () => {
  h = await startHarness({ orgName: 'Harbour Physio', adminName: 'Ada Okafor' });
  centralId = await create(h.gqlAsAdmin, 'Clinic', { name: 'Harbour Central', addressLine1: '1 Quay Street', city: 'Bristol', country: 'GB', timeZone: ZONE, openingHours: everyDay('07:00', '21:00') });
  northId = await create(h.gqlAsAdmin, 'Clinic', { name: 'Harbour North', addressLine1: '2 Dock Road', city: 'Leeds', country: 'GB', timeZone: ZONE, openingHours: everyDay('07:00', '21:00') });
  const maya = await create(h.gqlAsAdmin, 'Practitioner', { displayName: 'Maya Lindqvist', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: everyDay('08:00', '16:00').map((w) => ({ ...w, clinicId: centralId })) });
  const omar = await create(h.gqlAsAdmin, 'Practitioner', { displayName: 'Omar Haddad', discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY'], availability: everyDay('08:00', '16:00').map((w) => ({ ...w, clinicId: northId })) });
  const ben = await create(h.gqlAsAdmin, 'Client', { firstName: 'Ben', lastName: 'Okoro', phone: '+447700900456', clinicIds: [centralId, northId] });
  const cleo = await create(h.gqlAsAdmin, 'Client', { firstName: 'Cleo', lastName: 'Marsh', phone: '+447700900457', clinicIds: [centralId, northId] });
  // The coming days: bookings cannot be made in the past. Central is busier than North; one of Central's is cancelled.
  for (const [day, clinicId, practitionerId, clientId, time] of [
    [1, centralId, maya, ben, '09:00'],
    [1, centralId, maya, cleo, '11:00'],
    [2, centralId, maya, ben, '10:00'],
    [3, centralId, maya, cleo, '13:00'],
    [2, northId, omar, cleo, '09:00'],
  ] as const) {
    await book(h.gqlAsAdmin, { clinicId, practitionerId, clientId, startsAt: `${localDay(ZONE, day)}T${time}`, durationMinutes: 60 });
  }
  const cancelled = await book(h.gqlAsAdmin, { clinicId: centralId, practitionerId: maya, clientId: ben, startsAt: `${localDay(ZONE, 4)}T09:00`, durationMinutes: 60 });
  await h.gqlAsAdmin(`mutation($id: ID!) { cancelAppointment(id: $id, reason: "Moved away", cancelledBy: CLIENT) { __typename } }`, { id: cancelled });

  await inviteStaff(h, h.gqlAsAdmin, manager, { displayName: 'Noor Aziz', role: 'CLINIC_MANAGER', clinicIds: [centralId] });

  // What the worker does every few seconds: recompute the roll-ups these changes marked.
  expect((await drainReportMarks(h.tdb.db)).marks).toBeGreaterThan(0);
});

afterAll(async () => {
  await h?.stop();
});

test('an organization admin reads the chain’s dashboard, switches clinic and range, and downloads a CSV that matches the table', async () => {
  const { context, page } = await h.newPage();
  try {
    await signInToDashboard(page, h.admin);
    await page.getByRole('heading', { level: 2, name: 'Reports · Harbour Physio, all clinics' }).waitFor();

    // The coming week, by clinic: both clinics, Central busier.
    await page.getByLabel('Period', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill(localDay(ZONE, 0));
    await page.getByLabel('To', { exact: true }).fill(localDay(ZONE, 6));
    await page.getByLabel('Group by', { exact: true }).selectOption('CLINIC');
    await card(page, 'utilisation').getByRole('table', { name: 'Utilisation by clinic' }).waitFor();
    const byClinic = await tableRows(page, 'utilisation');
    expect(byClinic.map((r) => r.label)).toEqual(['Harbour Central', 'Harbour North']);

    // Headline figures say the change in words, not colour alone.
    const headlines = page.getByRole('list', { name: 'Headline figures against the previous period' });
    await headlines.getByText('Utilisation', { exact: true }).waitFor();
    await expect(headlines.locator('.headline-change').first().innerText()).resolves.toMatch(/^(↑ Up|↓ Down|→ No change|No figure to compare with)/);

    // The charts are drawn (an SVG per report with rows), each with its text summary.
    for (const report of ['utilisation', 'attendance', 'referral-flow']) {
      const chart = card(page, report).locator('.report-chart');
      if (await card(page, report).locator('tbody tr').count()) {
        await chart.locator('svg.recharts-surface').first().waitFor();
        expect(await chart.getAttribute('aria-label')).toMatch(/ by clinic, /);
      }
    }
    // Booked minutes: Central 4 × 60 (the cancelled visit does not count), North 60.
    const bookedAt = (await card(page, 'utilisation').locator('thead th').allInnerTexts()).findIndex((t) => /booked/i.test(t)) - 1;
    expect(bookedAt).toBeGreaterThanOrEqual(0);
    expect(byClinic.map((r) => Number(r.values[bookedAt]))).toEqual([240, 60]);
    await shot(page, 'reports-org-by-clinic');
    await checkA11y(page, 'org dashboard, custom range by clinic', found);

    // One clinic, by day: the heading, the grouping (no "by clinic" for one clinic) and the figures follow.
    await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Harbour North — Leeds' });
    await page.getByRole('heading', { level: 2, name: 'Reports · Harbour North' }).waitFor();
    await page.getByLabel('Group by', { exact: true }).selectOption('DAY');
    await card(page, 'utilisation').getByRole('table', { name: 'Utilisation by day' }).waitFor();
    expect(await page.getByLabel('Group by', { exact: true }).locator('option', { hasText: 'Clinic' }).count()).toBe(0);
    const northDays = await tableRows(page, 'utilisation');
    expect(northDays.reduce((sum, r) => sum + Number(r.values[bookedAt] || 0), 0)).toBe(60);
    await shot(page, 'reports-clinic-by-day');

    // Another range: last month. The clinics were created today, so they had no hours then and
    // nothing was booked (a clinic's hours count from its first day, docs/reports.md): the card
    // says so instead of a table of zeros.
    await page.getByLabel('Period', { exact: true }).selectOption('last-month');
    await card(page, 'utilisation').getByText('No utilisation figures for this range').waitFor();
    await checkA11y(page, 'clinic dashboard, last month', found);

    // Back to the coming week at Central, then the CSV of attendance.
    await page.getByLabel('Clinic', { exact: true }).selectOption({ label: 'Harbour Central — Bristol' });
    await page.getByLabel('Period', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill(localDay(ZONE, 0));
    await page.getByLabel('To', { exact: true }).fill(localDay(ZONE, 6));
    await page.getByLabel('Group by', { exact: true }).selectOption('DAY');
    await card(page, 'attendance').getByRole('table', { name: 'Attendance by day' }).waitFor();
    await card(page, 'attendance').locator('tbody tr').first().waitFor();
    const rows = await tableRows(page, 'attendance');
    const [download] = await Promise.all([page.waitForEvent('download'), card(page, 'attendance').getByRole('button', { name: 'Download CSV of Attendance' }).click()]);
    expect(download.suggestedFilename()).toBe(`attendance_harbour-central_${localDay(ZONE, 0)}_to_${localDay(ZONE, 6)}_by-day.csv`);
    const csv = parseCsv(readFileSync(await download.path(), 'utf8')).filter((r) => r.length > 1);
    const headers = await card(page, 'attendance').locator('thead th').allInnerTexts();
    expect(csv[0].slice(0, 2)).toEqual(['key', 'label']);
    expect(csv[0].slice(2).map((s) => s.toLowerCase())).toEqual(headers.slice(1).map((s) => s.toLowerCase()));
    const body = csv.slice(1, -1);
    expect(body.map((r) => [r[0], r[1]])).toEqual(rows.map((r) => [r.key, r.label]));
    body.forEach((r, i) => r.slice(2).forEach((v, j) => expect([i, j, sameNumber(v, rows[i].values[j])]).toEqual([i, j, true])));
    expect(csv[csv.length - 1][0]).toBe('total');
    // The cancelled visit shows in the cancellations, in the table and the file alike.
    const cancelsAt = headers.findIndex((t) => /^cancel/i.test(t)) - 1;
    expect(body.reduce((sum, r) => sum + Number(r[2 + cancelsAt] || 0), 0)).toBe(1);
    await page.getByRole('status').filter({ hasText: 'Downloaded attendance_harbour-central' }).waitFor();
  } catch (err) {
    await shot(page, 'reports-admin-failed');
    throw err;
  } finally {
    await context.close();
  }
});

test('a clinic manager limited to one clinic sees that clinic only', async () => {
  const { context, page } = await h.newPage();
  try {
    await signInToDashboard(page, manager);
    await page.getByRole('heading', { level: 2, name: 'Reports · Harbour Central' }).waitFor();
    const options = await page.getByLabel('Clinic', { exact: true }).locator('option').allInnerTexts();
    expect(options).toEqual(['Harbour Central — Bristol']);
    expect(await page.getByLabel('Group by', { exact: true }).locator('option', { hasText: 'Clinic' }).count()).toBe(0);

    await page.getByLabel('Period', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill(localDay(ZONE, 0));
    await page.getByLabel('To', { exact: true }).fill(localDay(ZONE, 6));
    await page.getByLabel('Group by', { exact: true }).selectOption('PRACTITIONER');
    await card(page, 'utilisation').getByRole('table', { name: 'Utilisation by practitioner' }).waitFor();
    const byPractitioner = await tableRows(page, 'utilisation');
    // Only Central's practitioner; North's Omar is not in this manager's clinics.
    expect(byPractitioner.map((r) => r.label)).toEqual(['Maya Lindqvist']);
    await shot(page, 'reports-manager');
    await checkA11y(page, 'clinic manager dashboard', found);
  } catch (err) {
    await shot(page, 'reports-manager-failed');
    throw err;
  } finally {
    await context.close();
  }
});

test('the dashboards have no serious or critical accessibility violation', () => {
  expect(found).toEqual({});
});

