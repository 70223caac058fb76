import { createOrgWithAdmin } from '../../api/src/testing';
import { E2E_TEST_MS, ADMIN_PASSWORD, gqlAs, startHarness, type AdminHarness } from './harness';
import { act, checkA11y, create, inviteStaff, shot, signIn, submitAndExpect } from './support';

/**
 * Issue 12's journey in the browser: a massage therapist of one organization refers a client
 * from the client's page to a physiotherapist of a partner organization; the physio receives it
 * in the inbox, accepts, links the client, books, replies; the therapist reads the reply in the
 * outbox. Each new page is checked by axe-core on the way.
 */

jest.setTimeout(E2E_TEST_MS);

let h: AdminHarness;
const therapist = { email: 'maya@harbour.example', password: 'a long therapist password' };
const physio = { email: 'priya@northside.example', password: 'a long physio password' };
const partnerAdmin = { email: `pat.${Date.now()}@northside.example`, password: ADMIN_PASSWORD };
let clientId: string;
let northsideClinicId: string;
const found: Record<string, string[]> = {};

const weekdays = [1, 2, 3, 4, 5];
const clinicInput = (name: string, city: string) => ({
  name,
  addressLine1: '1 Quay Street',
  city,
  country: 'GB',
  timeZone: 'Europe/London',
  openingHours: weekdays.map((weekday) => ({ weekday, start: '08:00', end: '19:00' })),
});

/** A weekday at least two days ahead, as the clinic's local date (yyyy-mm-dd). */
function nextWorkingDay(): string {
  const d = new Date(Date.now() + 2 * 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** One organization's clinic, a practitioner with weekday hours there, and a login that works as them. */
async function practitionerWithLogin(
  gql: <T>(q: string, v?: Record<string, unknown>) => Promise<T>,
  clinic: { name: string; city: string },
  person: { name: string; discipline: string; modalities: string[]; email: string; password: string },
): Promise<{ clinicId: string; practitionerId: string }> {
  const clinicId = await create(gql, 'Clinic', clinicInput(clinic.name, clinic.city));
  const practitionerId = await create(gql, 'Practitioner', { displayName: person.name, discipline: person.discipline, modalities: person.modalities, availability: weekdays.map((weekday) => ({ weekday, clinicId, start: '08:00', end: '18:00' })) });
  await inviteStaff(h, gql, person, { displayName: person.name, role: 'PRACTITIONER', clinicIds: [clinicId], practitionerId });
  return { clinicId, practitionerId };
}

beforeAll(async () => {
  h = await startHarness({ orgName: 'Harbour Massage', adminName: 'Ada Okafor' });
  const asA = <T>(q: string, v?: Record<string, unknown>) => h.gqlAsAdmin<T>(q, v);
  const harbour = await practitionerWithLogin(asA, { name: 'Harbour Central', city: 'Bristol' }, { name: 'Maya Lindqvist', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], ...therapist });
  clientId = await create(asA, 'Client', { firstName: 'Samantha', preferredName: 'Sam', lastName: 'Rivers', dateOfBirth: '1984-05-12', phone: '+447700900123', email: 'sam.rivers@example.com', clinicIds: [harbour.clinicId] });

  // The partner: its own organization, clinic and physiotherapist, in an ACTIVE partnership.
  await createOrgWithAdmin(h.tdb.db, { orgName: 'Northside Physio & Pain', email: partnerAdmin.email, password: partnerAdmin.password, displayName: 'Pat Northcott' });
  const asB = <T>(q: string, v?: Record<string, unknown>) => gqlAs<T>(h.apiUrl, partnerAdmin, q, v);
  northsideClinicId = (await practitionerWithLogin(asB, { name: 'Northside Clinic', city: 'Leeds' }, { name: 'Priya Nair', discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY'], ...physio })).clinicId;
  const slug = (await asB<{ me: { organization: { slug: string } } }>(`{ me { organization { slug } } }`)).me.organization.slug;
  const invited = await asA<{ invitePartner: { id: string } }>(`mutation($i: InvitePartnerInput!) { invitePartner(input: $i) { id } }`, { i: { organizationSlug: slug } });
  await asB(`mutation($i: RespondToPartnerInvitationInput!) { respondToPartnerInvitation(input: $i) { id status } }`, { i: { id: invited.invitePartner.id, accept: true } });
});

afterAll(async () => {
  await h?.stop();
});

describe('a referral across two organizations', () => {
  let referralUrl: string;

  test('the therapist finds the client, refers them from the client page to the partner’s physiotherapist', async () => {
    const { context, page } = await h.newPage();
    try {
      await signIn(page, therapist, /Maya/);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
      await page.getByLabel('Search by name, phone or email').fill('rivers');
      // As a person does: wait for the search's answer before clicking. The list reloads when the
      // typed text settles, and a click on the row it is replacing lands on nothing (CI, 20:32).
      await page.waitForURL(/\?q=rivers$/);
      await page.getByText('1 client matching “rivers”').waitFor();
      await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: /Sam/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Sam (Samantha) Rivers' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/clients/${clientId}`);
      await page.getByRole('region', { name: 'Referrals' }).getByText('Not referred yet').waitFor();
      await checkA11y(page, 'client page', found);
      await shot(page, 'client-page');

      await page.getByRole('link', { name: 'Refer', exact: true }).first().click();
      const form = page.getByRole('form', { name: 'Refer the client' });
      await form.getByLabel('Discipline').selectOption('PHYSIOTHERAPIST');
      await form.getByRole('radio', { name: /Priya Nair/ }).check();
      await form.getByLabel('Reason for referral').fill('Low back pain not settling after six massage sessions; pain 6/10 at work.');
      await form.getByLabel('Clinical question').fill('Is there a mechanical cause that needs physiotherapy before more soft-tissue work?');
      await form.getByRole('radio', { name: /Urgent/ }).check();
      await form.getByRole('checkbox', { name: /Current plan/ }).check();
      await form.getByLabel('How the client gave consent').selectOption('WRITTEN');
      await checkA11y(page, 'refer form', found);
      await shot(page, 'refer-form');
      await submitAndExpect(page, form.getByRole('button', { name: 'Send referral' }), /\/referrals\/[0-9a-f-]+$/);
      referralUrl = new URL(page.url()).pathname;
      await page.getByRole('heading', { level: 1, name: 'Referral: Sam Rivers' }).waitFor();
      expect(await page.locator('.referral-state').innerText()).toContain('Waiting for an answer');
      await checkA11y(page, 'referral page (sent)', found);
      await shot(page, 'referral-sent');
    } finally {
      await context.close();
    }
  });

  test('the partner’s physiotherapist receives it, accepts, links the client, books and replies', async () => {
    const { context, page } = await h.newPage();
    try {
      await signIn(page, physio, /Priya/);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Referrals/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Referrals received' }).waitFor();
      const inbox = page.getByRole('table', { name: 'Referrals received' });
      const row = inbox.getByRole('row').filter({ hasText: 'Sam Rivers' });
      expect(await row.innerText()).toContain('Harbour Massage');
      expect(await row.innerText()).toContain('New: needs an answer');
      await checkA11y(page, 'inbox', found);
      await shot(page, 'inbox');

      await row.getByRole('link', { name: 'Sam Rivers' }).click();
      await page.waitForURL(new RegExp(`${referralUrl}$`));
      await page.getByRole('region', { name: 'Shared records' }).waitFor();
      await checkA11y(page, 'referral page (received)', found);
      await shot(page, 'referral-received');

      const actions = page.getByRole('region', { name: 'What you can do' });
      await act(actions, actions.getByRole('button', { name: 'Accept' }), /Accepted/);
      await actions.getByRole('button', { name: 'Link client' }).click();
      await act(actions, actions.getByRole('form', { name: 'Link client' }).getByRole('button', { name: 'Link client' }), /now a client of your organization/);

      await actions.getByRole('button', { name: 'Book appointment' }).click();
      const book = actions.getByRole('form', { name: 'Book appointment' });
      await book.getByLabel('Practitioner').selectOption({ label: 'Priya Nair (named in the referral)' });
      await book.getByLabel('Starts at (clinic time)').fill(`${nextWorkingDay()}T10:00`);
      await checkA11y(page, 'book form', found);
      await act(actions, book.getByRole('button', { name: 'Book appointment' }), /Booked with Priya Nair/);
      await page.locator('.referral-state').getByText('Appointment booked').waitFor();

      const messages = page.getByRole('form', { name: 'Write a message' });
      await messages.getByLabel(/Message to/).fill('Seen on the first visit; report to follow after the assessment.');
      await messages.getByRole('button', { name: 'Send message' }).click();
      await page.getByRole('region', { name: /Messages/ }).getByText('report to follow').waitFor();

      await actions.getByRole('button', { name: 'Complete with reply' }).click();
      const reply = actions.getByRole('form', { name: 'Reply to the referrer' });
      await reply.getByLabel('Findings').fill('Lumbar facet irritation; no red flags. Neural tension negative.');
      await reply.getByLabel('What was done').fill('Assessment, graded mobilisation, home exercises.');
      await reply.getByLabel('Recommendations').fill('Continue massage at lower pressure over the lumbar area; review in 6 weeks.');
      await checkA11y(page, 'reply form', found);
      await act(actions, reply.getByRole('button', { name: 'Send reply and complete' }), /Reply sent/);
      await page.locator('.referral-state').getByText('Reply sent').waitFor();
      await shot(page, 'referral-replied');
    } finally {
      await context.close();
    }
  });

  test('the therapist sees the reply in the outbox and on the referral', async () => {
    const { context, page } = await h.newPage();
    try {
      await signIn(page, therapist, /Maya/);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Referrals/ }).click();
      await page.getByRole('navigation', { name: 'Referrals' }).getByRole('link', { name: 'Sent' }).click();
      await page.getByRole('heading', { level: 1, name: 'Referrals sent' }).waitFor();
      const row = page.getByRole('table', { name: 'Referrals sent' }).getByRole('row').filter({ hasText: 'Sam Rivers' });
      expect(await row.innerText()).toContain('Reply received');
      expect(await row.innerText()).toContain('1 new');
      await checkA11y(page, 'outbox', found);
      await shot(page, 'outbox');

      await row.getByRole('link', { name: 'Sam Rivers' }).click();
      const replied = page.getByRole('region', { name: /Reply from Priya Nair/ });
      expect(await replied.innerText()).toContain('Lumbar facet irritation');
      await page.getByRole('region', { name: /Messages/ }).getByText('report to follow').waitFor();
      const timeline = await page.getByRole('region', { name: 'Timeline' }).innerText();
      for (const step of ['Waiting for an answer', 'Accepted', 'Appointment booked', 'Reply received']) expect(timeline).toContain(step);
      await checkA11y(page, 'referral page (replied)', found);
      await shot(page, 'referral-reply-read');

      // Closing ends the partner's access; the referral stays readable on both sides.
      const actions = page.getByRole('region', { name: 'What you can do' });
      await act(actions, actions.getByRole('button', { name: 'Close' }), /Closed/);
      await page.locator('.referral-state').getByText('Closed').waitFor();
    } finally {
      await context.close();
    }
    expect(found).toEqual({});
  });
});

describe('a referral to a clinic’s pool', () => {
  let referralId: string;

  beforeAll(async () => {
    // Sent over the API as the therapist: the Refer form itself is driven above.
    const created = await gqlAs<{ createReferral: { id: string } }>(h.apiUrl, therapist, `mutation($i: CreateReferralInput!) { createReferral(input: $i) { id } }`, {
      i: {
        clientId,
        targetClinicId: northsideClinicId,
        targetDiscipline: 'PHYSIOTHERAPIST',
        reason: 'Shoulder pain after a fall; reduced range.',
        clinicalQuestion: 'Rotator cuff involvement?',
        urgency: 'ROUTINE',
        sharedRecords: ['INTAKE_SUMMARY'],
        consent: { method: 'VERBAL', endsOn: nextWorkingDay() },
        send: true,
      },
    });
    referralId = created.createReferral.id;
  });

  test('the partner’s admin assigns it to a physiotherapist, then declines it with a reason the therapist reads', async () => {
    const { context, page } = await h.newPage();
    try {
      await signIn(page, partnerAdmin, /Pat/);
      await page.goto('/referrals/inbox?status=SENT');
      const row = page.getByRole('table', { name: 'Referrals received' }).getByRole('row').filter({ hasText: 'Shoulder pain' });
      expect(await row.innerText()).toContain('not yet assigned');
      await row.getByRole('link', { name: 'Sam Rivers' }).click();
      await page.waitForURL(new RegExp(`/referrals/${referralId}$`));
      const actions = page.getByRole('region', { name: 'What you can do' });

      await actions.getByRole('button', { name: 'Assign' }).click();
      const assign = actions.getByRole('form', { name: 'Assign' });
      await assign.getByLabel('Practitioner').selectOption({ label: 'Priya Nair' });
      await act(actions, assign.getByRole('button', { name: 'Assign' }), /Assigned to Priya Nair/);
      await page.getByRole('region', { name: 'The referral' }).getByText('Priya Nair, Northside Clinic').waitFor();

      // A decline needs a reason: said next to the field, nothing sent.
      await actions.getByRole('button', { name: 'Decline' }).click();
      const decline = actions.getByRole('form', { name: 'Decline referral' });
      await decline.getByRole('button', { name: 'Decline referral' }).click();
      expect(await decline.locator('.field-error').innerText()).toContain('Give a reason');
      await checkA11y(page, 'decline form with an error', found);
      await decline.getByLabel('Why you decline').fill('No shoulder specialist free this month; try Harbour Physio.');
      await act(actions, decline.getByRole('button', { name: 'Decline referral' }), /Declined/);
      await page.locator('.referral-state').getByText('Declined').waitFor();
      await shot(page, 'referral-declined');
    } finally {
      await context.close();
    }

    const therapistView = await h.newPage();
    try {
      await signIn(therapistView.page, therapist, /Maya/);
      await therapistView.page.goto(`/referrals/${referralId}`);
      const timeline = therapistView.page.getByRole('region', { name: 'Timeline' });
      await timeline.getByText('No shoulder specialist free this month').waitFor();
      expect(await therapistView.page.getByRole('region', { name: 'What you can do' }).innerText()).toContain('This referral is finished');
    } finally {
      await therapistView.context.close();
    }
    expect(found).toEqual({});
  });
});

describe('consent withdrawn, then the referral cancelled', () => {
  let referralId: string;

  beforeAll(async () => {
    const created = await gqlAs<{ createReferral: { id: string } }>(h.apiUrl, therapist, `mutation($i: CreateReferralInput!) { createReferral(input: $i) { id } }`, {
      i: {
        clientId,
        targetClinicId: northsideClinicId,
        targetDiscipline: 'PHYSIOTHERAPIST',
        reason: 'Neck stiffness with headaches.',
        clinicalQuestion: 'Cervicogenic headache?',
        urgency: 'ROUTINE',
        sharedRecords: ['INTAKE_SUMMARY', 'OUTCOME_HISTORY'],
        consent: { method: 'WRITTEN', endsOn: nextWorkingDay() },
        send: true,
      },
    });
    referralId = created.createReferral.id;
    // Named later by the partner's admin; the physio accepts over the API (the accept button is driven above).
    const practitioners = await gqlAs<{ practitioners: { nodes: { id: string }[] } }>(h.apiUrl, partnerAdmin, `{ practitioners(first: 5, discipline: PHYSIOTHERAPIST) { nodes { id } } }`);
    await gqlAs(h.apiUrl, partnerAdmin, `mutation($i: AssignReferralInput!) { assignReferral(input: $i) { id } }`, { i: { id: referralId, practitionerId: practitioners.practitioners.nodes[0].id } });
    await gqlAs(h.apiUrl, physio, `mutation($i: AcceptReferralInput!) { acceptReferral(input: $i) { id } }`, { i: { id: referralId } });
  });

  test('the receiver loses the shared records at once, and sees the cancellation with its reason', async () => {
    const physioView = await h.newPage();
    const therapistView = await h.newPage();
    try {
      await signIn(physioView.page, physio, /Priya/);
      await physioView.page.goto(`/referrals/${referralId}`);
      await physioView.page.getByRole('region', { name: 'Shared records' }).waitFor();

      const page = therapistView.page;
      await signIn(page, therapist, /Maya/);
      await page.goto(`/referrals/${referralId}`);
      const actions = page.getByRole('region', { name: 'What you can do' });
      await actions.getByRole('button', { name: 'Withdraw consent' }).click();
      const withdraw = actions.getByRole('form', { name: 'Withdraw consent' });
      await withdraw.getByLabel('Why consent is withdrawn').fill('The client asked us to stop sharing their records.');
      await act(actions, withdraw.getByRole('button', { name: 'Withdraw consent' }), /Consent withdrawn/);
      await page.getByRole('status').filter({ hasText: 'Consent withdrawn on' }).waitFor();

      await physioView.page.reload();
      await physioView.page.getByRole('status').filter({ hasText: 'Consent withdrawn on' }).waitFor();
      expect(await physioView.page.getByRole('region', { name: 'Shared records' }).count()).toBe(0);
      await checkA11y(physioView.page, 'referral page (consent withdrawn)', found);
      await shot(physioView.page, 'referral-consent-withdrawn');

      await actions.getByRole('button', { name: 'Cancel referral' }).click();
      const cancel = actions.getByRole('form', { name: 'Cancel referral' });
      await cancel.getByLabel('Why you cancel').fill('The client moved to another city.');
      await act(actions, cancel.getByRole('button', { name: 'Cancel referral' }), /Cancelled/);

      await physioView.page.reload();
      await physioView.page.locator('.referral-state').getByText('Cancelled').waitFor();
      await physioView.page.getByRole('region', { name: 'Timeline' }).getByText('The client moved to another city.').waitFor();
      expect(await physioView.page.getByRole('region', { name: 'What you can do' }).innerText()).toContain('This referral is finished');
    } finally {
      await physioView.context.close();
      await therapistView.context.close();
    }
    expect(found).toEqual({});
  });
});

test('accepting a referral the referrer cancelled meanwhile says so, and the page shows where it stands', async () => {
  const practitioners = await gqlAs<{ referralDirectory: { nodes: { practitioner: { id: string } | null }[] } }>(
    h.apiUrl,
    therapist,
    `{ referralDirectory(first: 10, filter: { discipline: PHYSIOTHERAPIST }) { nodes { practitioner { id } } } }`,
  );
  const priya = practitioners.referralDirectory.nodes.find((n) => n.practitioner)?.practitioner?.id;
  const created = await gqlAs<{ createReferral: { id: string } }>(h.apiUrl, therapist, `mutation($i: CreateReferralInput!) { createReferral(input: $i) { id } }`, {
    i: {
      clientId,
      targetClinicId: northsideClinicId,
      targetPractitionerId: priya,
      targetDiscipline: 'PHYSIOTHERAPIST',
      reason: 'Knee pain on stairs.',
      clinicalQuestion: 'Patellofemoral?',
      urgency: 'ROUTINE',
      sharedRecords: [],
      consent: { method: 'VERBAL', endsOn: nextWorkingDay() },
      send: true,
    },
  });
  const id = created.createReferral.id;
  const { context, page } = await h.newPage();
  try {
    await signIn(page, physio, /Priya/);
    await page.goto(`/referrals/${id}`);
    const actions = page.getByRole('region', { name: 'What you can do' });
    await actions.getByRole('button', { name: 'Accept' }).waitFor();
    // The referrer cancels while the physio is reading.
    await gqlAs(h.apiUrl, therapist, `mutation($i: ReferralReasonInput!) { cancelReferral(input: $i) { id } }`, { i: { id, reason: 'Booked locally instead.' } });
    await actions.getByRole('button', { name: 'Accept' }).click();
    const alert = actions.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Someone else changed it first');
    await page.locator('.referral-state').getByText('Cancelled').waitFor();
    expect(await actions.getByRole('button', { name: 'Accept' }).count()).toBe(0);
    await shot(page, 'referral-conflict');
  } finally {
    await context.close();
  }
});
