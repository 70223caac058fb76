import type { Locator, Page } from 'playwright-core';
import { E2E_TEST_MS, startHarness, type AdminHarness } from './harness';
import { book, create, everyDay, localDate, signIn } from './support';

/**
 * Issue 13 item 2 (drag-and-drop) and the calendar's time zone, in the browser:
 *  - an organization admin drags a booked appointment to a free slot (moved: the same
 *    reschedule as the form, its sentence in the panel) and then onto a colleague's booking
 *    (the server's conflict message in the panel beside the calendar; the appointment stays);
 *  - two clinics in different zones, one after the other in the same page, each draw a 09:00
 *    appointment on their own 09:00 row (the calendar no longer sets luxon's global zone).
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
async function clinicWith(name: string, timeZone: string): Promise<{ clinicId: string; practitionerId: string }> {
  const clinicId = await create(h.gqlAsAdmin, 'Clinic', { name, addressLine1: '1 Main Street', city: 'Town', country: 'GB', timeZone, openingHours: everyDay('07:00', '20:00') });
  const practitionerId = await create(h.gqlAsAdmin, 'Practitioner', { displayName: `${name} Therapist`, discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: everyDay('08:00', '19:00').map((w) => ({ ...w, clinicId })) });
  return { clinicId, practitionerId };
}

async function client(clinicId: string, firstName: string, lastName: string): Promise<string> {
  return create(h.gqlAsAdmin, 'Client', { firstName, lastName, phone: `+4477009${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}`, clinicIds: [clinicId] });
}

/** Where a client's booked appointment of the day is, per the API (a reschedule books anew and frees the old one). */
async function bookedStart(clinicId: string, date: string, clientName: string): Promise<string[]> {
  const r = await h.gqlAsAdmin<{ calendar: { appointments: { clientName: string; status: string; localStart: string }[] } }>(
    `query($c: ID!, $d: String!) { calendar(clinicId: $c, from: $d, days: 1) { appointments { clientName status localStart } } }`,
    { c: clinicId, d: date },
  );
  return r.calendar.appointments.filter((a) => a.clientName === clientName && a.status === 'BOOKED').map((a) => a.localStart);
}

/**
 * Drags an event with the mouse, as a person does: grabbed in its middle, moved over the
 * target slot so that its top lands on that slot, and let go.
 */
async function drag(page: Page, event: Locator, target: Locator): Promise<void> {
  const from = await event.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('the event or the slot is not on screen');
  const grabX = from.x + from.width / 2;
  const grabY = from.y + from.height / 2;
  await page.mouse.move(grabX, grabY);
  await page.mouse.down();
  // A few steps, so that the calendar sees a drag (not a click) and follows the pointer.
  await page.mouse.move(grabX, grabY + 8, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + (grabY - from.y) + 2, { steps: 12 });
  await page.mouse.up();
}

let zoneDate: string;

beforeAll(async () => {
  h = await startHarness({ orgName: 'Dragon Massage', adminName: 'Ada Okafor' });
});

afterAll(async () => {
  await h?.stop();
});

test('dragging an appointment to a free slot moves it; onto a booked one, the server says why and it stays', async () => {
  const zone = 'Europe/London';
  zoneDate = localDate(zone, new Date(Date.now() + 2 * 86_400_000));
  const { clinicId, practitionerId } = await clinicWith('Harbour', zone);
  await book(h.gqlAsAdmin, { clinicId, practitionerId, clientId: await client(clinicId, 'Ana', 'Drag'), startsAt: `${zoneDate}T10:00`, durationMinutes: 60 });
  await book(h.gqlAsAdmin, { clinicId, practitionerId, clientId: await client(clinicId, 'Ben', 'Busy'), startsAt: `${zoneDate}T14:00`, durationMinutes: 60 });

  const { context, page } = await h.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await signIn(page, h.admin, /Ada|Dashboard/);
    await page.getByLabel('Clinic', { exact: true }).selectOption(clinicId);
    await page.goto(`/calendar?date=${zoneDate}`);
    const anaEvent = page.locator('.rbc-event', { hasText: 'Ana Drag' });
    await anaEvent.waitFor().catch(async (e: Error) => {
      throw new Error(`${e.message}\npage errors: ${pageErrors.join(' | ')}\n${await page.locator('body').innerText()}`);
    });

    // To 12:00, free: moved, through the reschedule mutation.
    await drag(page, anaEvent, page.locator(`[data-resource="${practitionerId}"][data-slot="${zoneDate}T12:00"]`));
    await page.getByRole('status').filter({ hasText: /Moved to .* at 12:00/ }).waitFor();
    await page.getByRole('button', { name: /Open Ana Drag at 12:00/ }).waitFor();
    expect(await bookedStart(clinicId, zoneDate, 'Ana Drag')).toEqual([`${zoneDate}T12:00`]);

    // Onto Ben's 14:00: refused with the server's sentence beside the calendar; Ana stays at 12:00.
    await drag(page, anaEvent, page.locator(`[data-resource="${practitionerId}"][data-slot="${zoneDate}T14:00"]`));
    const refusal = page.locator('.cal-panel [role="alert"]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/Ana Drag stays at 12:00: it cannot move to 14:00/);
    expect(await refusal.innerText()).toMatch(/book|conflict|already|overlap/i);
    await page.getByRole('button', { name: /Open Ana Drag at 12:00/ }).waitFor();
    expect(await bookedStart(clinicId, zoneDate, 'Ana Drag')).toEqual([`${zoneDate}T12:00`]);
    // Snapped back: the event is drawn on the 12:00 row again.
    const noon = await page.locator(`[data-resource="${practitionerId}"][data-slot="${zoneDate}T12:00"]`).boundingBox();
    const drawn = await anaEvent.boundingBox();
    expect(Math.abs((drawn?.y ?? 0) - (noon?.y ?? 0))).toBeLessThan(3);
  } finally {
    await context.close();
  }
});

test('two clinics in different zones, one after the other: each draws 09:00 on its own 09:00 row', async () => {
  const at = new Date(Date.now() + 3 * 86_400_000);
  const clinics = [
    { name: 'Tokyo Bay', zone: 'Asia/Tokyo' },
    { name: 'Hudson', zone: 'America/New_York' },
  ];
  const made: { clinicId: string; date: string }[] = [];
  for (const c of clinics) {
    const { clinicId, practitionerId } = await clinicWith(c.name, c.zone);
    const date = localDate(c.zone, at);
    await book(h.gqlAsAdmin, { clinicId, practitionerId, clientId: await client(clinicId, 'Nine', c.name.split(' ')[0]), startsAt: `${date}T09:00`, durationMinutes: 60 });
    made.push({ clinicId, date });
  }
  // A browser in a third zone.
  const { context, page } = await h.newPage({ viewport: { width: 1360, height: 900 }, timezoneId: 'Europe/Berlin' });
  try {
    await signIn(page, h.admin, /Ada|Dashboard/);
    for (const [i, c] of clinics.entries()) {
      await page.getByLabel('Clinic', { exact: true }).selectOption(made[i].clinicId);
      // In-app navigation (no reload), so the second clinic is drawn after the first in the same page.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendar' }).click();
      await page.getByText(`times in ${c.zone}`).waitFor();
      await page.getByLabel('Go to').fill(made[i].date);
      const event = page.locator('.rbc-event', { hasText: `Nine ${c.name.split(' ')[0]}` });
      await event.waitFor();
      expect(await event.innerText()).toContain('09:00–10:00');
      const nine = page.locator('.rbc-time-gutter .rbc-timeslot-group', { hasText: '09:00' });
      const row = await nine.boundingBox();
      const box = await event.boundingBox();
      expect(Math.abs((box?.y ?? 0) - (row?.y ?? 0))).toBeLessThan(3);
      // Away from the calendar before the next clinic (the page is left, as a person would).
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
    }
  } finally {
    await context.close();
  }
});
