import type { Page } from 'playwright-core';
import { DEMO_ADMIN, DEMO_STAFF, DEMO_THERAPIST } from '../../api/src/seed';
import { E2E_TEST_MS, startHarness, type AdminHarness } from './harness';
import { shot, signIn, waitForCount, type Who } from './support';

/**
 * Every page as the people who use it see it, on the demo seed (months of care in three clinics,
 * referrals in every state): an organization admin, a clinic manager, the front desk and a massage
 * therapist open each page they may open, on a laptop (1360 px wide) and a narrow one (1024 px).
 * Nothing on a page runs off its right edge (the page never scrolls sideways; a wide table scrolls
 * inside its own box), and nothing is cut off by a box that hides what overflows it. With
 * ADMIN_SCREENSHOT_DIR set, each page is kept as `layout-<who>-<width>-<page>.png`.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
const ids: Record<'clinic' | 'maya' | 'client' | 'plan' | 'appointment' | 'referral', string> = {} as never;

const WIDTHS = [1360, 1024] as const;

beforeAll(async () => {
  h = await startHarness({ demo: true });
  const one = async (sql: string, params: unknown[] = []) => ((await h.tdb.dataSource.query(sql, params)) as { id: string }[])[0].id;
  ids.clinic = await one(`SELECT id FROM clinic WHERE name LIKE 'Clerkenwell%'`);
  ids.maya = await one(`SELECT id FROM practitioner WHERE display_name = 'Maya Okafor'`);
  // Maya's client with the longest history: a chart, a plan, signed sessions.
  ids.plan = await one(
    `SELECT p.id FROM treatment_plan p JOIN appointment a ON a.plan_id = p.id WHERE p.practitioner_id = $1 AND a.status = 'COMPLETED' GROUP BY p.id ORDER BY count(*) DESC LIMIT 1`,
    [ids.maya],
  );
  ids.client = await one(`SELECT client_id AS id FROM treatment_plan WHERE id = $1`, [ids.plan]);
  ids.appointment = await one(`SELECT id FROM appointment WHERE plan_id = $1 AND status = 'COMPLETED' ORDER BY starts_at DESC LIMIT 1`, [ids.plan]);
  ids.referral = await one(`SELECT id FROM referral WHERE organization_id = $1 ORDER BY created_at LIMIT 1`, [h.admin.organizationId]);
});

afterAll(async () => {
  await h?.stop();
});

type Visit = [name: string, path: () => string];

const EVERYONE: Visit[] = [
  ['calendar', () => '/calendar'],
  ['calendar-week', () => '/calendar?view=week'],
  ['clients', () => '/clients'],
  ['client-new', () => '/clients/new'],
  ['client', () => `/clients/${ids.client}`],
  ['referrals-inbox', () => '/referrals/inbox'],
  ['referral', () => `/referrals/${ids.referral}`],
  ['clinics', () => '/clinics'],
  ['clinic', () => `/clinics/${ids.clinic}`],
  ['practitioners', () => '/practitioners'],
  ['practitioner-hours', () => `/practitioners/${ids.maya}/hours`],
  ['partners', () => '/partners'],
  ['directory', () => '/directory'],
];
const CLINICAL: Visit[] = [
  ['my-day', () => '/my-day'],
  ['chart', () => `/clients/${ids.client}/chart`],
  ['intake', () => `/clients/${ids.client}/intake`],
  ['reassessment', () => `/clients/${ids.client}/reassessment/new`],
  ['refer', () => `/clients/${ids.client}/refer`],
  ['plan', () => `/plans/${ids.plan}`],
  ['session', () => `/appointments/${ids.appointment}`],
  ['referrals-outbox', () => '/referrals/outbox'],
];
const MANAGING: Visit[] = [
  ['dashboard', () => '/'],
  ['dashboard-by-clinic', () => '/?range=last-3-months&group=CLINIC'],
  ['practitioner-new', () => '/practitioners/new'],
  ['staff', () => '/staff'],
  ['reminders', () => '/settings/reminders'],
];
const ADMIN_ONLY: Visit[] = [
  ['clinic-new', () => '/clinics/new'],
  ['webhooks', () => '/settings/webhooks'],
  ['operations', () => '/operations'],
  ['deliveries', () => '/operations/deliveries'],
  ['exports', () => '/operations/exports'],
  ['audit', () => '/audit'],
];

const PEOPLE: [who: string, person: Who, greeting: RegExp, visits: Visit[]][] = [
  ['admin', DEMO_ADMIN, /Good (morning|afternoon|evening)/, [...MANAGING, ...EVERYONE, ...CLINICAL, ...ADMIN_ONLY]],
  ['manager', { email: DEMO_STAFF.manager, password: DEMO_ADMIN.password }, /Good (morning|afternoon|evening)/, [...MANAGING, ...EVERYONE, ...CLINICAL]],
  ['front-desk', { email: DEMO_STAFF.frontDesk, password: DEMO_ADMIN.password }, /Good (morning|afternoon|evening)/, [['dashboard', () => '/'], ...EVERYONE]],
  ['therapist', DEMO_THERAPIST, /Maya/, [...EVERYONE, ...CLINICAL]],
];

/**
 * What is wrong with the layout of the page as it is: the page wider than the window, or a box
 * that hides overflow (overflow: hidden / clip) with more in it than it shows — but not text cut
 * on purpose with an ellipsis or a line clamp, nor the visually hidden labels for screen readers.
 */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      // The innermost boxes that run past the window: what makes the page wide.
      const past = (el: Element) => el.getBoundingClientRect().right > window.innerWidth + 1;
      const wide = Array.from(document.querySelectorAll('main *, header *, nav *'))
        .filter((el) => past(el) && !Array.from(el.children).some(past))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
      problems.push(`the page is ${doc.scrollWidth} px wide in a ${window.innerWidth} px window: ${wide.join('; ')}`);
    }
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('main *'))) {
      const style = getComputedStyle(el);
      if (style.overflowX !== 'hidden' && style.overflowX !== 'clip') continue;
      if (style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none' || style.clip !== 'auto' || el.clientWidth <= 1) continue;
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} shows ${el.clientWidth} of ${el.scrollWidth} px: "${(el.textContent ?? '').trim().slice(0, 40)}"`);
    }
    return problems;
  });
}

/**
 * On a laptop every column of every report table is in view without scrolling the table: its
 * last header cell ends inside the table's box (the attendance table used to cut "Cancels" off).
 */
async function hiddenReportColumns(page: Page): Promise<string[]> {
  const cards = page.locator('section[data-report]');
  // Every card drawn (a table, or a sentence saying the range has no figures); the front desk has none.
  await waitForCount(page.locator('.report-skeleton'), 0, 'report cards still loading');
  const problems: string[] = [];
  for (const card of await cards.all()) {
    const table = card.getByRole('table');
    if (!(await table.count())) continue;
    const box = await card.locator('.table-wrap').boundingBox();
    const last = await table.locator('thead th').last().boundingBox();
    if (!box || !last) continue;
    if (last.x + last.width > box.x + box.width + 1 || last.x + last.width > page.viewportSize()!.width)
      problems.push(`${await card.getAttribute('data-report')}: its last column ends at ${Math.round(last.x + last.width)} px, its box at ${Math.round(box.x + box.width)} px`);
  }
  return problems;
}

describe.each(PEOPLE)('as the %s', (who, person, greeting, visits) => {
  test.each(WIDTHS)('every page fits a window %d px wide', async (width) => {
    const { context, page } = await h.newPage({ viewport: { width, height: 900 } });
    try {
      await signIn(page, person, greeting);
      const found: Record<string, string[]> = {};
      for (const [name, path] of visits) {
        await page.goto(path());
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        // The page with its data: no "Loading…" left (a busy machine answers late).
        await waitForCount(page.locator('main .loading, main .report-skeleton'), 0, `${name}: loading lines`);
        const problems = await layoutProblems(page);
        if (name.startsWith('dashboard') && width === 1360) problems.push(...(await hiddenReportColumns(page)));
        if (problems.length) found[name] = problems;
        await shot(page, `layout-${who}-${width}-${name}`);
      }
      expect(found).toEqual({});
    } finally {
      await context.close();
    }
  });
});

test('the front desk’s dashboard counts in words that agree with the numbers', async () => {
  const { context, page } = await h.newPage();
  try {
    await signIn(page, { email: DEMO_STAFF.frontDesk, password: DEMO_ADMIN.password }, /Good (morning|afternoon|evening)/);
    const summary = page.getByRole('list', { name: 'Summary' });
    await summary.getByText('2 massage therapists').waitFor();
    expect(await summary.innerText()).toMatch(/1\s+organization you can refer to/);
  } finally {
    await context.close();
  }
});

test('a plan’s "Book the series" offers the plan’s own practitioner', async () => {
  const { context, page } = await h.newPage();
  try {
    await signIn(page, DEMO_ADMIN, /Good (morning|afternoon|evening)/);
    await page.goto(`/plans/${ids.plan}`);
    const form = page.getByRole('form', { name: 'Book the series' });
    await form.waitFor();
    const select = form.getByLabel('Practitioner');
    expect(await select.inputValue()).toBe(ids.maya);
    expect(await select.locator('option:checked').innerText()).toBe('Maya Okafor');
  } finally {
    await context.close();
  }
});
