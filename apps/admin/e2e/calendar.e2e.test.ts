import { PractitionerTask } from '@fascia/db';
import type { Locator, Page } from 'playwright-core';
import { E2E_TEST_MS, startHarness, type AdminHarness } from './harness';
import { act as actOn, book, checkA11y, create, everyDay, inviteStaff, localDate, shot, signIn, type Who } from './support';

/**
 * Issue 13 items 2 and 8 in the browser: the front desk books a new client's first visit from
 * the clinic calendar, sees the server's message for a clash, moves the visit, cancels another
 * client's (a late cancellation, said as such) and checks the client in; the practitioner sees
 * the visit on their day with the client's last pain score and an open task, and completes it.
 * A second test draws a London clinic's week across the October clock change in a browser in
 * New York: 09:00 appointments sit on the 09:00 row on both sides of the change. Each page is
 * checked by axe-core on the way.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
const frontDesk = { email: 'fay.desk@harbour.example', password: 'a long front desk password' };
const therapist = { email: 'maya@harbour.example', password: 'a long therapist password' };
const manager = { email: 'max.manager@harbour.example', password: 'a long manager password' };
const found: Record<string, string[]> = {};
let zone: string;
let today: string;
let clinicId: string;
let mayaId: string;
let roomId: string;
let benId: string;
let benVisitId: string;

/** A real zone where it is mid-morning now, so that "later today" has free clinic hours whenever the test runs. */
function morningZone(now = new Date()): string {
  const zones = [
    'Pacific/Honolulu', 'America/Anchorage', 'America/Los_Angeles', 'America/Denver', 'America/Chicago', 'America/New_York', 'America/Halifax',
    'America/Sao_Paulo', 'Atlantic/South_Georgia', 'Atlantic/Azores', 'Europe/London', 'Europe/Berlin', 'Europe/Athens', 'Europe/Moscow',
    'Asia/Dubai', 'Asia/Karachi', 'Asia/Dhaka', 'Asia/Bangkok', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Brisbane', 'Pacific/Noumea',
    'Pacific/Auckland', 'Pacific/Tongatapu', 'Pacific/Kiritimati',
  ];
  const hourIn = (tz: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', hour12: false }).format(now)) % 24;
  return zones.reduce((best, tz) => (Math.abs(hourIn(tz) - 9.5) < Math.abs(hourIn(best) - 9.5) ? tz : best));
}

const invite = (person: Who, displayName: string, role: string, extra: Record<string, unknown> = {}) =>
  inviteStaff(h, h.gqlAsAdmin, person, { displayName, role, clinicIds: [clinicId], ...extra });

/** Clicks and waits for the panel's success line; a refusal in the calendar's panel fails with the page's words. */
const act = (page: Page, button: Locator, success: RegExp) => actOn(page, button, success, page.locator('.cal-panel'));

beforeAll(async () => {
  h = await startHarness({ orgName: 'Harbour Massage', adminName: 'Ada Okafor' });
  zone = morningZone();
  today = localDate(zone);
  clinicId = await create(h.gqlAsAdmin, 'Clinic', { name: 'Harbour Central', addressLine1: '1 Quay Street', city: 'Bristol', country: 'GB', timeZone: zone, openingHours: everyDay('07:00', '21:00') });
  roomId = await create(h.gqlAsAdmin, 'Room', { clinicId, name: 'Room 1' });
  await create(h.gqlAsAdmin, 'Room', { clinicId, name: 'Room 2' });
  mayaId = await create(h.gqlAsAdmin, 'Practitioner', { displayName: 'Maya Lindqvist', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: everyDay('08:00', '20:00').map((w) => ({ ...w, clinicId })) });
  await create(h.gqlAsAdmin, 'Practitioner', { displayName: 'Omar Haddad', discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY'], availability: everyDay('08:00', '20:00').map((w) => ({ ...w, clinicId })) });
  await invite(therapist, 'Maya Lindqvist', 'PRACTITIONER', { practitionerId: mayaId });
  await invite(frontDesk, 'Fay Desk', 'FRONT_DESK');
  await invite(manager, 'Max Manager', 'CLINIC_MANAGER');
  benId = await create(h.gqlAsAdmin, 'Client', { firstName: 'Ben', lastName: 'Okoro', phone: '+447700900456', clinicIds: [clinicId] });
  // Ben's visit this afternoon with the other practitioner: the one the client cancels late.
  const omar = await h.gqlAsAdmin<{ practitioners: { nodes: { id: string; displayName: string }[] } }>(`{ practitioners(first: 10) { nodes { id displayName } } }`);
  const omarId = omar.practitioners.nodes.find((p) => p.displayName === 'Omar Haddad')?.id;
  benVisitId = await book(h.gqlAsAdmin, { clinicId, practitionerId: omarId, roomId, clientId: benId, startsAt: `${today}T17:00`, durationMinutes: 45 });
});

afterAll(async () => {
  await h?.stop();
});

test('the front desk books, meets a clash, moves, cancels and checks in from the calendar; the practitioner sees it on their day', async () => {
  const { context, page } = await h.newPage();
  try {
    await signIn(page, frontDesk, /Fay/);
    await page.getByRole('navigation').getByRole('link', { name: 'Calendar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor();
    await page.getByText(`times in ${zone}`).waitFor();
    // Ben's visit is on the day, in Omar's column.
    await page.locator('.rbc-event', { hasText: 'Ben Okoro' }).waitFor();
    await checkA11y(page, 'calendar (front desk)', found);

    // A new client's first visit, from the 13:00 slot in Maya's column.
    // (The slot lies under the column's events layer: the click lands on the column, as a person's does.)
    await page.locator(`[data-resource="${mayaId}"][data-slot="${today}T13:00"]`).click({ force: true });
    const booking = page.getByRole('form', { name: 'Book an appointment' });
    await booking.waitFor();
    expect(await booking.getByLabel('Practitioner', { exact: true }).inputValue()).toBe(mayaId);
    expect(await booking.getByLabel('Start time').inputValue()).toBe('13:00');
    await booking.getByLabel('Find client').fill('Nina');
    await booking.getByText('No client matches').waitFor();
    await booking.getByRole('button', { name: 'New client' }).click();
    await booking.getByLabel('First name').fill('Nina');
    await booking.getByLabel('Last name').fill('Patel');
    await booking.getByLabel('Phone').fill('+447700900123');
    await booking.getByLabel('Room').selectOption(roomId);
    await booking.getByLabel('Visit').selectOption('INTAKE');
    await shot(page, 'calendar-front-desk-booking');
    await act(page, booking.getByRole('button', { name: 'Book appointment' }), /Booked Nina Patel with Maya Lindqvist/);
    await page.locator('.rbc-event', { hasText: 'Nina Patel' }).waitFor();

    // A clash: Ben with Maya at 13:30 — the server's message beside the practitioner.
    await page.getByRole('button', { name: 'Book appointment' }).click();
    const again = page.getByRole('form', { name: 'Book an appointment' });
    await again.getByLabel('Find client').fill('Okoro');
    await again.getByRole('radio', { name: /Ben Okoro/ }).click();
    await again.getByRole('button', { name: 'Change client' }).waitFor();
    await again.getByLabel('Practitioner', { exact: true }).selectOption(mayaId);
    await again.getByLabel('Start time').fill('13:30');
    await again.getByRole('button', { name: 'Book appointment' }).click();
    const clash = again.locator('.field--invalid .field-error').first();
    await clash.waitFor();
    expect(await clash.innerText()).toMatch(/Maya Lindqvist|practitioner/i);
    await again.getByRole('alert').waitFor();
    await shot(page, 'calendar-front-desk-conflict');
    await checkA11y(page, 'calendar booking with a clash', found);
    await again.getByRole('button', { name: 'Close' }).click();

    // Move Nina's visit to 15:00 with the form.
    await page.getByRole('button', { name: /Open Nina Patel at 13:00/ }).click();
    const panel = page.getByRole('region', { name: 'Nina Patel' });
    await panel.getByRole('button', { name: 'Reschedule' }).click();
    await panel.getByLabel('New start time').fill('15:00');
    await act(page, panel.getByRole('button', { name: 'Move appointment' }), /Moved to .* at 15:00/);
    await page.getByRole('button', { name: /Open Nina Patel at 15:00/ }).waitFor();

    // Ben cancels this afternoon's visit: a late cancellation, said as such.
    await page.getByRole('button', { name: /Open Ben Okoro at 17:00/ }).click();
    const ben = page.getByRole('region', { name: 'Ben Okoro' });
    await ben.getByRole('button', { name: 'Cancel…' }).click();
    await ben.getByLabel('Reason').fill('Called: stuck at work');
    await act(page, ben.getByRole('button', { name: 'Cancel appointment' }), /Late cancellation/);
    await ben.locator('.status-badge', { hasText: 'Late cancellation' }).waitFor();
    await page.locator('.rbc-event', { hasText: 'Ben Okoro' }).waitFor({ state: 'detached' });
    // Off the grid (the time is free), still in the day's list, as a late cancellation.
    await page.locator('.cal-list tr', { hasText: 'Ben Okoro' }).locator('.status-badge', { hasText: 'Late cancellation' }).waitFor();
    await ben.getByRole('button', { name: 'Close' }).click();

    // Nina arrives: checked in.
    await page.getByRole('button', { name: /Open Nina Patel at 15:00/ }).click();
    const nina = page.getByRole('region', { name: 'Nina Patel' });
    await act(page, nina.getByRole('button', { name: 'Check in' }), /Nina Patel is checked in/);
    await page.locator('.rbc-event', { hasText: 'Nina Patel' }).filter({ hasText: 'Checked in' }).waitFor();
    await shot(page, 'calendar-front-desk');
    await checkA11y(page, 'calendar with an appointment open', found);
  } finally {
    await context.close();
  }

  // The therapist's records: Nina's intake (pain 6) and a task about her.
  const nina = await h.gqlAsAdmin<{ clients: { nodes: { id: string }[] } }>(`{ clients(first: 5, search: "Nina Patel") { nodes { id } } }`);
  const ninaId = nina.clients.nodes[0].id;
  const intake = await h.gqlAsAdmin<{ recordIntake: { id: string } }>(`mutation($i: RecordIntakeInput!) { recordIntake(input: $i) { id } }`, {
    i: {
      clientId: ninaId,
      clinicId,
      practitionerId: mayaId,
      intake: {
        age: 38,
        generalHealth: 'good',
        complaints: [{ id: 'neck', region: 'neck', side: 'central', onsetDate: '2026-06-01', cause: 'posture', painNow: 6, painWorst: 7 }],
        function: { psfs: [{ activity: 'desk work', score: 4 }] },
        pressureTolerance: 'moderate',
        lifestyle: { activity: 'moderate', workPosture: 'desk', stress: 5, sleep: 'fair' },
        goals: ['pain-relief'],
        commitment: { sessionsPerWeek: 1 },
        selfCareWillingness: 'some',
        health: {},
      },
    },
  });
  // The plan the intake proposes, accepted: its series is booked from the calendar below.
  const plan = await h.gqlAsAdmin<{ proposePlan: { id: string } }>(`mutation($id: ID!) { proposePlan(intakeId: $id) { id } }`, { id: intake.recordIntake.id });
  await h.gqlAsAdmin(`mutation($id: ID!) { acceptPlan(planId: $id) { id status } }`, { id: plan.proposePlan.id });
  await h.tdb.dataSource.getRepository(PractitionerTask).insert({
    organizationId: h.admin.organizationId,
    clinicId,
    kind: 'REASSESSMENT_DUE',
    reason: 'Four sessions since the baseline: measure pain and function again.',
    practitionerId: mayaId,
    clientId: ninaId,
    planId: null,
    dueAt: new Date(),
    status: 'OPEN',
    dedupeKey: `e2e-${ninaId}`,
    resolvedAt: null,
    resolvedBy: null,
  });

  // The practitioner lands on their day.
  const t = await h.newPage();
  try {
    await signIn(t.page, therapist, /Your day, Maya/);
    const item = t.page.locator('.day-item', { hasText: 'Nina Patel' });
    await item.getByText('15:00–16:00').waitFor();
    await item.getByText('Checked in').waitFor();
    await item.getByText('6/10').waitFor();
    await item.locator('.task strong', { hasText: 'Re-assessment due' }).waitFor();
    await shot(t.page, 'my-day-therapist');
    await checkA11y(t.page, 'my day', found);
    await item.getByRole('button', { name: 'Done: Re-assessment due' }).click();
    await t.page.getByRole('status').filter({ hasText: 'Re-assessment due: done.' }).waitFor();
    await item.getByText('No open tasks for Nina Patel.').waitFor();
    // The therapist's calendar shows the same day.
    await t.page.getByRole('navigation').getByRole('link', { name: 'Calendar' }).click();
    await t.page.locator('.rbc-event', { hasText: 'Nina Patel' }).waitFor();
    await checkA11y(t.page, 'calendar (practitioner)', found);
  } finally {
    await t.context.close();
  }

  // The manager's week, by room on the day.
  const m = await h.newPage();
  try {
    await signIn(m.page, manager, /Max/);
    await m.page.goto('/calendar?view=week');
    await m.page.locator('.rbc-event', { hasText: 'Nina Patel' }).waitFor();
    await shot(m.page, 'calendar-manager-week');
    await checkA11y(m.page, 'calendar week (manager)', found);
    await m.page.goto('/calendar?by=room');
    await m.page.locator('.rbc-event', { hasText: 'Nina Patel' }).waitFor();
    await m.page.locator('.rbc-header', { hasText: 'Room 1' }).first().waitFor();
    await shot(m.page, 'calendar-manager-rooms');
    // A clinical role books the accepted plan's series from tomorrow.
    const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await m.page.getByRole('button', { name: 'Book appointment' }).click();
    const series = m.page.getByRole('form', { name: 'Book an appointment' });
    await series.getByLabel('Find client').fill('Patel');
    await series.getByRole('radio', { name: /Nina Patel/ }).click();
    await series.getByLabel('Practitioner', { exact: true }).selectOption(mayaId);
    await series.getByLabel('Day', { exact: true }).fill(tomorrow);
    await series.getByRole('combobox', { name: 'Plan' }).selectOption({ index: 1 });
    await series.getByRole('checkbox', { name: /Book the plan's whole series/ }).check();
    await act(m.page, series.getByRole('button', { name: 'Book the series' }), /Booked the plan's \d+ sessions/);
    await shot(m.page, 'calendar-manager-series');
    await m.page.goto(`/my-day?practitioner=${mayaId}`);
    await m.page.getByRole('heading', { level: 1, name: "Maya Lindqvist's day" }).waitFor();
    await checkA11y(m.page, 'a practitioner day (manager)', found);
  } finally {
    await m.context.close();
  }
  expect(found).toEqual({});
  expect(benVisitId).toBeTruthy();
});

test("a London clinic's week across the October clock change, seen from New York: 09:00 appointments on the 09:00 row", async () => {
  // Open from midnight, so the calendar's day starts before the change at 02:00 and the rows after it must be placed by wall clock.
  const riverside = await create(h.gqlAsAdmin, 'Clinic', { name: 'Riverside', addressLine1: '2 Bank Street', city: 'London', country: 'GB', timeZone: 'Europe/London', openingHours: everyDay('00:00', '18:00') });
  const dan = await create(h.gqlAsAdmin, 'Practitioner', { displayName: 'Dan Weekend', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: everyDay('08:00', '18:00').map((w) => ({ ...w, clinicId: riverside })) });
  const client = await create(h.gqlAsAdmin, 'Client', { firstName: 'Clara', lastName: 'Clock', phone: '+447700900789', clinicIds: [riverside] });
  // British Summer Time ends at 02:00 on Sunday 31 October 2027: 09:00 is 08:00Z on the Saturday, 09:00Z on the Sunday.
  for (const day of ['2027-10-29', '2027-10-30', '2027-10-31']) await book(h.gqlAsAdmin, { clinicId: riverside, practitionerId: dan, clientId: client, startsAt: `${day}T09:00`, durationMinutes: 60 });

  const { context, page } = await h.newPage({ viewport: { width: 1360, height: 900 }, locale: 'en-US', timezoneId: 'America/New_York' });
  try {
    await signIn(page, { email: h.admin.email, password: h.admin.password }, /Ada/);
    await page.getByLabel('Clinic', { exact: true }).selectOption(riverside);
    await page.goto('/calendar?view=week&date=2027-10-27');
    const events = page.locator('.rbc-event', { hasText: 'Clara Clock' });
    await events.nth(2).waitFor();
    expect(await events.count()).toBe(3);
    const nine = page.locator('.rbc-time-gutter .rbc-timeslot-group', { hasText: '09:00' });
    const row = await nine.boundingBox();
    for (let i = 0; i < 3; i++) {
      const box = await events.nth(i).boundingBox();
      expect(await events.nth(i).innerText()).toContain('09:00–10:00');
      expect(Math.abs((box?.y ?? 0) - (row?.y ?? 0))).toBeLessThan(3);
    }
    await shot(page, 'calendar-dst-week');
  } finally {
    await context.close();
  }
});

