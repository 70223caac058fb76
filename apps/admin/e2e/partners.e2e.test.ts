import type { Locator, Page } from 'playwright-core';
import { createOrgWithAdmin } from '../../api/src/testing';
import { E2E_TEST_MS, axeViolations, gqlAs, startHarness, type AdminHarness } from './harness';
import { create, type Gql, inviteStaff, shot, signIn } from './support';

/**
 * The referral network in the admin app (issue 12, item 8): an organization admin invites a
 * partner by its slug, the partner's admin accepts, the directory then lists the partner's
 * practitioners with their clinic's time zone, and ending the partnership removes them.
 * Then each role opens today's pages (issue 13's rough edges): what it may see, in sentences.
 */
jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
let londonId: string;
let tomId: string;
const partner = { email: `bea.${Date.now()}@bristol-physio.example`, password: 'a long walk on the downs', name: 'Bristol Physio & Pain', displayName: 'Bea Morgan', slug: '' };
const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '19:00' }));


async function signedIn(email: string, password: string, firstName: string) {
  const opened = await h.newPage();
  await opened.page.goto('/sign-in');
  await opened.page.getByLabel('Email').fill(email);
  await opened.page.getByLabel('Password').fill(password);
  await opened.page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in: the header names the person (a practitioner lands on their day, the others on the dashboard).
  await opened.page.getByRole('banner').getByText(new RegExp(firstName)).first().waitFor();
  return opened;
}

/**
 * The width (px) a select's chosen option needs in the select's font, and what the select has for
 * it inside its padding and its arrow: a select cannot wrap, it cuts the name.
 */
async function selectShows(select: Locator): Promise<{ text: string; needs: number; has: number }> {
  return select.evaluate((el) => {
    const s = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const text = (el as HTMLSelectElement).selectedOptions[0]?.text ?? '';
    const arrow = 24;
    return { text, needs: Math.ceil(ctx.measureText(text).width), has: Math.floor(el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - arrow) };
  });
}

/** Opens a page from the navigation's URL and waits for its heading and its queries. */
async function open(page: Page, path: string, heading: RegExp | string) {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.waitForLoadState('networkidle');
}

beforeAll(async () => {
  h = await startHarness({ orgName: 'Harbour Massage', adminName: 'Ada Okafor' });
  // The harness admin's organization: a London clinic and a massage therapist.
  londonId = await create(h.gqlAsAdmin, 'Clinic', { name: 'Harbour Clerkenwell', addressLine1: '3 Exmouth Market', city: 'London', postalCode: 'EC1R 4QL', country: 'GB', timeZone: 'Europe/London', openingHours: weekdays });
  tomId = await create(h.gqlAsAdmin, 'Practitioner', { displayName: 'Tom Reyes', discipline: 'MASSAGE_THERAPIST', modalities: ['DEEP_TISSUE', 'TRIGGER_POINT'], availability: [1, 3].map((weekday) => ({ clinicId: londonId, weekday, start: '09:00', end: '17:00' })) });

  // The partner-to-be: an independent physiotherapy and pain clinic in Dublin (another zone).
  const ids = await createOrgWithAdmin(h.tdb.db, { orgName: partner.name, email: partner.email, password: partner.password, displayName: partner.displayName });
  const [org] = (await h.tdb.dataSource.query(`SELECT slug FROM organization WHERE id = $1`, [ids.organizationId])) as { slug: string }[];
  partner.slug = org.slug;
  const asPartner: Gql = (query, variables) => gqlAs(h.apiUrl, partner, query, variables);
  const dublinId = await create(asPartner, 'Clinic', { name: 'Liffey Physio', addressLine1: '10 Ormond Quay', city: 'Dublin', country: 'IE', timeZone: 'Europe/Dublin', openingHours: weekdays });
  await create(asPartner, 'Practitioner', { displayName: 'Priya Shah', discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY'], availability: [2, 4].map((weekday) => ({ clinicId: dublinId, weekday, start: '09:00', end: '17:00' })) });
});

afterAll(async () => {
  await h?.stop();
});

describe('partners and the directory', () => {
  test('an admin invites a partner by slug, the partner accepts, the directory lists its practitioners with their zone, ending removes them', async () => {
    const ada = await signedIn(h.admin.email, h.admin.password, 'Ada');
    const bea = await signedIn(partner.email, partner.password, 'Bea');
    try {
      const page = ada.page;
      await open(page, '/partners', 'Referral partners');
      await page.getByRole('heading', { name: 'No referral partners yet' }).waitFor();
      await shot(page, 'partners-empty-admin');
      expect(await axeViolations(page)).toEqual([]);

      // A slug nobody has: the server's message sits under the slug field.
      const slug = page.getByLabel('Their organization’s slug');
      await slug.fill('nobody-has-this-slug');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      const slugError = page.locator('.field--invalid .field-error');
      await slugError.waitFor();
      expect(await slug.getAttribute('aria-invalid')).toBe('true');
      expect(await slugError.innerText()).toContain('No organization has the slug');
      expect(await page.locator('.alert .code').count()).toBe(0);
      await shot(page, 'partners-invite-unknown-slug');
      expect(await axeViolations(page)).toEqual([]);

      await slug.fill(partner.slug);
      await page.getByLabel('Note to them').fill('We see many runners who need a physio after massage.');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await page.getByRole('status').filter({ hasText: `Invitation sent to ${partner.name}` }).waitFor();
      const row = page.getByRole('row', { name: new RegExp(partner.name) });
      await row.getByText('waiting for their answer').waitFor();
      await shot(page, 'partners-invited-admin');

      // The partner's admin sees the invitation with the note, and accepts.
      await open(bea.page, '/partners', 'Referral partners');
      await bea.page.getByText('has invited your organization').waitFor();
      await bea.page.getByText('We see many runners').waitFor();
      await shot(bea.page, 'partners-incoming-admin');
      expect(await axeViolations(bea.page)).toEqual([]);
      await bea.page.getByRole('button', { name: 'Accept Harbour Massage’s invitation' }).click();
      await bea.page.getByRole('status').filter({ hasText: 'Harbour Massage is now a referral partner' }).waitFor();
      await bea.page.getByRole('row', { name: /Harbour Massage/ }).getByText('Partners since').waitFor();

      // The directory: own practitioner and the partner's, each clinic with its zone.
      await open(page, '/directory', 'Referral directory');
      const priya = page.getByRole('row', { name: /Priya Shah/ });
      await priya.waitFor();
      expect(await priya.innerText()).toContain('Europe/Dublin');
      expect(await priya.innerText()).toContain(partner.name);
      expect(await priya.innerText()).toContain('Liffey Physio');
      const tom = page.getByRole('row', { name: /Tom Reyes/ });
      expect(await tom.innerText()).toContain('Europe/London');
      expect(await tom.innerText()).toContain('Your organization');
      await shot(page, 'directory-admin');
      expect(await axeViolations(page)).toEqual([]);

      // "Refer a client to Priya Shah": find the client, the Refer form opens with Priya chosen.
      const clientId = await create(h.gqlAsAdmin, 'Client', { firstName: 'Rowan', lastName: 'Achebe', clinicIds: [londonId] });
      await page.getByRole('button', { name: 'Refer a client to Priya Shah' }).click();
      await page.getByLabel('Find the client by name, phone or email').fill('Achebe');
      await page.getByRole('link', { name: 'Refer Rowan Achebe' }).waitFor();
      await shot(page, 'directory-refer-picker');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Refer Rowan Achebe' }).click();
      await page.waitForURL(new RegExp(`/clients/${clientId}/refer\\?to=`));
      await page.getByRole('heading', { level: 1, name: 'Refer Rowan Achebe' }).waitFor();
      expect(await page.getByLabel('Discipline').inputValue()).toBe('PHYSIOTHERAPIST');
      const chosen = page.getByRole('radio', { name: /Priya Shah/ });
      await chosen.waitFor();
      expect(await chosen.isChecked()).toBe(true);
      await open(page, '/directory', 'Referral directory');
      await priya.waitFor();

      // Filters: a discipline keeps the physiotherapist and drops the massage therapist.
      await page.getByLabel('Discipline').selectOption('PHYSIOTHERAPIST');
      await page.waitForURL(/discipline=PHYSIOTHERAPIST/);
      await page.getByRole('row', { name: /Tom Reyes/ }).waitFor({ state: 'detached' });
      await priya.waitFor();
      // By organization: only the partner's. The list keeps the previous answer's rows while the
      // next one loads, so each step waits for its own answer (Tom back, then Tom gone).
      await page.getByLabel('Discipline').selectOption('');
      await tom.waitFor();
      await page.getByLabel('Organization').selectOption({ label: partner.name });
      await page.getByRole('row', { name: /Tom Reyes/ }).waitFor({ state: 'detached' });
      await priya.waitFor();
      // The chosen partner's whole name shows in the select, on a laptop and a narrow one
      // ("Bristol Physio & P…" before), and the filters still fit the page.
      for (const width of [1024, 1360]) {
        await page.setViewportSize({ width, height: 860 });
        const shown = await selectShows(page.getByLabel('Organization'));
        expect({ width, ...shown, fits: shown.needs <= shown.has }).toEqual({ width, ...shown, fits: true });
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await shot(page, `directory-organization-${width}`);
      }
      // A city nobody is in: the designed empty state, then clear.
      await page.getByLabel('City').fill('Reykjavik');
      await page.getByRole('heading', { name: 'Nobody matches these filters' }).waitFor();
      await shot(page, 'directory-no-match');
      await page.getByRole('button', { name: 'Clear the filters' }).click();
      await tom.waitFor();

      // Ending it: a reason is required (shown under the field), then the partner leaves the directory.
      await open(page, '/partners', 'Referral partners');
      await page.getByRole('button', { name: `End partnership with ${partner.name}` }).click();
      const reason = page.getByLabel('Reason');
      await page.getByRole('button', { name: 'End partnership', exact: true }).click();
      await page.locator('.field--invalid .field-error').filter({ hasText: 'Say why' }).waitFor();
      expect(await reason.getAttribute('aria-invalid')).toBe('true');
      await shot(page, 'partners-end-reason-missing');
      expect(await axeViolations(page)).toEqual([]);
      await reason.fill('We no longer share clients in Dublin.');
      await page.getByRole('button', { name: 'End partnership', exact: true }).click();
      await page.getByRole('status').filter({ hasText: `The partnership with ${partner.name} has ended.` }).waitFor();
      await page.getByRole('row', { name: new RegExp(partner.name) }).getByText('Your organization ended it').waitFor();
      await shot(page, 'partners-ended-admin');

      await open(page, '/directory', 'Referral directory');
      await page.getByRole('row', { name: /Tom Reyes/ }).waitFor();
      expect(await page.getByRole('row', { name: /Priya Shah/ }).count()).toBe(0);

      // The other side reads who ended it and why.
      await open(bea.page, '/partners', 'Referral partners');
      await bea.page.getByText('Harbour Massage ended it').waitFor();
      await bea.page.getByText('We no longer share clients in Dublin.').waitFor();
    } finally {
      await ada.context.close();
      await bea.context.close();
    }
  });
});

describe('each role on today’s pages', () => {
  const people = {
    manager: { email: `noor.${Date.now()}@harbour.example`, displayName: 'Noor Aziz', role: 'CLINIC_MANAGER' },
    frontDesk: { email: `fay.${Date.now()}@harbour.example`, displayName: 'Fay Desk', role: 'FRONT_DESK' },
    therapist: { email: `tom.${Date.now()}@harbour.example`, displayName: 'Tomas Hands', role: 'PRACTITIONER' },
  } as const;
  const password = 'a quiet tuesday evening';

  beforeAll(async () => {
    for (const p of Object.values(people)) {
      // The worker would email this link; the test signs the same token and accepts it over the API.
      await inviteStaff(h, h.gqlAsAdmin, { email: p.email, password }, { displayName: p.displayName, role: p.role });
    }
  });

  const PAGES = (): [string, RegExp][] => [
    ['/', /./],
    ['/partners', /Referral partners/],
    ['/directory', /Referral directory/],
    ['/clients', /Clients/],
    ['/clinics', /Clinics/],
    [`/clinics/${londonId}`, /Harbour Clerkenwell/],
    ['/practitioners', /Practitioners/],
    [`/practitioners/${tomId}/hours`, /Tom Reyes/],
    ['/staff', /Staff/],
  ];

  test.each([
    ['admin', null],
    ['manager', 'manager'],
    ['front desk', 'frontDesk'],
    ['therapist', 'therapist'],
  ] as const)('the %s sees no raw error code, no FORBIDDEN banner and no false "no practitioners"', async (label, key) => {
    const who = key ? { email: people[key].email, password, first: people[key].displayName.split(' ')[0] } : { email: h.admin.email, password: h.admin.password, first: 'Ada' };
    const { context, page } = await signedIn(who.email, who.password, who.first);
    try {
      const found: Record<string, string[]> = {};
      for (const [path, heading] of PAGES()) {
        await open(page, path, heading);
        const text = await page.locator('main').innerText();
        const problems: string[] = [];
        if (/\b(FORBIDDEN|UNAUTHENTICATED|BAD_USER_INPUT|NOT_FOUND|CONFLICT)\b/.test(text)) problems.push('a raw error code');
        if (await page.locator('main [role="alert"]').count()) problems.push(`an alert: ${await page.locator('main [role="alert"]').first().innerText()}`);
        if (/No practitioners/.test(text)) problems.push('claims there are no practitioners');
        if (/Only a organization|can members/.test(text)) problems.push('a broken sentence');
        problems.push(...(await axeViolations(page)));
        if (problems.length) found[path] = problems;
        await shot(page, `role-${label.replace(' ', '-')}${path === '/' ? '-dashboard' : path.replace(londonId, 'id').replace(tomId, 'id').replace(/\//g, '-')}`);
      }
      expect(found).toEqual({});

      // Partners: an admin acts; everyone else is told in a sentence who does.
      await open(page, '/partners', 'Referral partners');
      const inviteForm = page.getByRole('button', { name: 'Send invitation' });
      if (key === null) expect(await inviteForm.count()).toBe(1);
      else {
        expect(await inviteForm.count()).toBe(0);
        await page.getByText('are for an organization admin').waitFor();
      }
      // Staff: managers only; the others are told why, not shown an error.
      await open(page, '/staff', /Staff/);
      if (key === 'frontDesk' || key === 'therapist') await page.getByText(/can’t open this page|can't open this page/).waitFor();
    } finally {
      await context.close();
    }
  });

  test('a new clinic starts in the country and time zone of the organization’s clinics, not the browser’s', async () => {
    // A browser in the United States on UTC: the defaults that used to be offered.
    const { context, page } = await h.newPage({ locale: 'en-US', timezoneId: 'UTC' });
    try {
      await signIn(page, h.admin, /Ada/);
      await open(page, '/clinics/new', 'New clinic');
      expect(await page.getByLabel('Country').inputValue()).toBe('GB');
      expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/London');
      await shot(page, 'clinic-new-defaults');
    } finally {
      await context.close();
    }
  });
});
