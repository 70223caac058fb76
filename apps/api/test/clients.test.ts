import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';
import { audits, count, CREATE_CLIENT, practice, type Practice } from './intake-plan.fixtures';

const UPDATE = `mutation U($id: ID!, $input: UpdateClientInput!) { updateClient(id: $id, input: $input) {
  id firstName lastName preferredName email phone preferredChannels reminderConsent paymentMethod paymentNotes clinicIds } }`;
const GET = `query G($id: ID!) { client(id: $id) { id firstName lastName email phone emergencyContact { name phone relationship } } }`;
const LIST = `query L($search: String, $clinicId: ID, $first: Int, $after: String) {
  clients(search: $search, clinicId: $clinicId, first: $first, after: $after) { totalCount totalCountCapped nodes { firstName lastName } pageInfo { hasNextPage endCursor } } }`;

describe('clients', () => {
  let t: TestApi;
  let p: Practice;
  let other: Practice;
  let clinic2: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Client Chain');
    other = await practice(t, 'Other Chain');
    clinic2 = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Second' }) }, p.admin.token)).data?.createClinic.id;
    for (const [first, last, email, phone, clinics] of [
      ['Maria', 'Okafor', 'maria@example.org', '+44 7700 900123', [p.clinicId]],
      ['Mario', 'Bianchi', 'mb@example.org', '07700 900456', [clinic2]],
      ['Ann', 'Marsh', null, null, []],
    ] as const) {
      const res = await t.gql(CREATE_CLIENT, { input: { firstName: first, lastName: last, email, phone, clinicIds: clinics } }, p.frontDesk.token);
      expect(res.errors).toBeUndefined();
      ids[first] = res.data?.createClient.id;
    }
  });
  afterAll(() => t.stop());

  it('lets the front desk create a client with contact, channels, consent, emergency contact and payment notes', async () => {
    const res = await t.gql(
      CREATE_CLIENT,
      {
        input: {
          firstName: ' Jo ',
          lastName: 'Field',
          preferredName: 'JoJo',
          dateOfBirth: '1980-02-29',
          email: 'Jo.Field@Example.ORG',
          phone: '+1 (415) 555-0100',
          preferredChannels: ['SMS', 'EMAIL', 'SMS'],
          reminderConsent: true,
          emergencyContact: { name: 'Sam Field', phone: '+1 415 555 0101', relationship: 'partner' },
          paymentMethod: 'FSA_HSA',
          paymentNotes: 'HSA card on file',
          clinicIds: [p.clinicId],
        },
      },
      p.frontDesk.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.createClient).toMatchObject({
      firstName: 'Jo',
      preferredName: 'JoJo',
      dateOfBirth: '1980-02-29',
      email: 'jo.field@example.org',
      phone: '+14155550100',
      preferredChannels: ['SMS', 'EMAIL'],
      reminderConsent: true,
      emergencyContact: { name: 'Sam Field', phone: '+14155550101', relationship: 'partner' },
      paymentMethod: 'FSA_HSA',
      clinicIds: [p.clinicId],
    });
    expect(await audits(t, 'client.create', res.data?.createClient.id)).toBe(1);
  });

  it.each([
    ['a name prefix', 'mari', ['Bianchi', 'Okafor']],
    ['a last name, any case', 'OKAF', ['Okafor']],
    ['a full name', 'maria okafor', ['Okafor']],
    ['part of an email', 'mb@exa', ['Bianchi']],
    ['phone digits typed another way', '7700-900-123', ['Okafor']],
    ['phone digits from the middle', '900456', ['Bianchi']],
    ['a phone typed as dialled at home, stored in international form', '07700 900123', ['Okafor']],
    ['a phone typed with the international 00', '0044 7700 900123', ['Okafor']],
    ['something matching no one', 'zzz', []],
    ['two letters at the start of a name', 'ok', ['Okafor']],
    ['two letters inside a word (too short to match there)', 'ar', []],
    ['LIKE wildcards, typed literally', '%_%', []],
    ['a name with its spaces and tabs run together', '  maria \t  okafor ', ['Okafor']],
  ])('searches by %s', async (_l, search, expected) => {
    const res = await t.gql(LIST, { search }, p.frontDesk.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.clients.nodes.map((c: { lastName: string }) => c.lastName)).toEqual(expected);
  });

  it('filters by clinic and pages with cursors', async () => {
    const atSecond = await t.gql(LIST, { clinicId: clinic2 }, p.admin.token);
    expect(atSecond.data?.clients.nodes.map((c: { lastName: string }) => c.lastName)).toEqual(['Bianchi']);
    const first = await t.gql(LIST, { first: 2 }, p.admin.token);
    const rest = await t.gql(LIST, { first: 50, after: first.data?.clients.pageInfo.endCursor }, p.admin.token);
    const all = [...(first.data?.clients.nodes ?? []), ...(rest.data?.clients.nodes ?? [])].map((c: { lastName: string }) => c.lastName);
    expect(first.data?.clients.pageInfo.hasNextPage).toBe(true);
    expect(all).toEqual([...all].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(new Set(all).size).toBe(first.data?.clients.totalCount);
    expect(first.data?.clients.totalCountCapped).toBe(false);
  });

  it('pages through names PostgreSQL and JavaScript lower-case differently, one by one, each once', async () => {
    const org = await practice(t, 'Dotted Chain');
    for (const [first, last] of [['İpek', 'İnce'], ['Ipek', 'Ince'], ['ılgın', 'Işık'], ['Émile', 'Éclair'], ['Zoë', 'Eclair']]) {
      expect((await t.gql(CREATE_CLIENT, { input: { firstName: first, lastName: last } }, org.frontDesk.token)).errors).toBeUndefined();
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: any = await t.gql(LIST, { first: 1, after }, org.frontDesk.token);
      expect(res.errors).toBeUndefined();
      seen.push(...res.data.clients.nodes.map((c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`));
      if (!res.data.clients.pageInfo.hasNextPage) break;
      after = res.data.clients.pageInfo.endCursor;
    }
    expect([...seen].sort()).toEqual(['Ipek Ince', 'Zoë Eclair', 'Émile Éclair', 'ılgın Işık', 'İpek İnce'].sort());
  });

  it('updates only the fields given, and null clears an optional one', async () => {
    const res = await t.gql(UPDATE, { id: ids.Maria, input: { preferredName: 'Mia', paymentMethod: 'INSURANCE', paymentNotes: 'Aviva 123', phone: null } }, p.frontDesk.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.updateClient).toMatchObject({ firstName: 'Maria', preferredName: 'Mia', paymentMethod: 'INSURANCE', phone: null, email: 'maria@example.org' });
    expect(await audits(t, 'client.update', ids.Maria)).toBe(1);
  });

  const today = new Date().toISOString().slice(0, 10);
  it.each([
    ['a malformed email', { email: 'not-an-email' }, 'input.email'],
    ['a phone with letters', { phone: '+44 CALL ME' }, 'input.phone'],
    ['a phone too short', { phone: '12345' }, 'input.phone'],
    ['a date of birth today', { dateOfBirth: today }, 'input.dateOfBirth'],
    ['a date of birth in the future', { dateOfBirth: '2999-01-01' }, 'input.dateOfBirth'],
    ['an implausible date of birth', { dateOfBirth: '1850-06-01' }, 'input.dateOfBirth'],
    ['an impossible date', { dateOfBirth: '1990-02-30' }, 'input.dateOfBirth'],
    ['SMS reminders without a phone', { preferredChannels: ['SMS'], email: 'x@example.org' }, 'input.phone'],
    ['email reminders without an email', { preferredChannels: ['EMAIL'], phone: '+447700900999' }, 'input.email'],
    ['an emergency contact without a phone', { emergencyContact: { name: 'Kim', phone: 'none' } }, 'input.emergencyContact.phone'],
    ['a clinic of another organization', { clinicIds: ['OTHER'] }, 'input.clinicIds[0]'],
    ['an empty last name', { lastName: '  ' }, 'input.lastName'],
  ])('refuses %s and stores nothing', async (_l, input, field) => {
    const before = await count(t, 'client');
    const resolved = { firstName: 'Bad', lastName: 'Input', ...input } as Record<string, unknown>;
    if (Array.isArray(resolved.clinicIds)) resolved.clinicIds = [other.clinicId];
    const res = await t.gql(CREATE_CLIENT, { input: resolved }, p.frontDesk.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(await count(t, 'client')).toBe(before);
  });

  it('refuses an unknown payment method at the schema', async () => {
    const res = await t.gql(CREATE_CLIENT, { input: { firstName: 'A', lastName: 'B', paymentMethod: 'CASH' } }, p.frontDesk.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('refuses an update that would leave SMS reminders without a phone, and changes nothing', async () => {
    const created = await t.gql(CREATE_CLIENT, { input: { firstName: 'Sms', lastName: 'Only', phone: '+447700900777', preferredChannels: ['SMS'], reminderConsent: true } }, p.frontDesk.token);
    const id = created.data?.createClient.id;
    const res = await t.gql(UPDATE, { id, input: { phone: null } }, p.frontDesk.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('input.phone');
    expect((await t.gql(GET, { id }, p.frontDesk.token)).data?.client.phone).toBe('+447700900777');
    const cleared = await t.gql(UPDATE, { id, input: { reminderConsent: null } }, p.frontDesk.token);
    expect(cleared.errors?.[0].extensions?.field).toBe('input.reminderConsent');
  });

  it("gives another organization none of it: not found, not listed, not changed", async () => {
    expect((await t.gql(GET, { id: ids.Maria }, other.admin.token)).data?.client).toBeNull();
    const list = await t.gql(LIST, { search: 'maria' }, other.admin.token);
    expect(list.data?.clients.totalCount).toBe(0);
    const upd = await t.gql(UPDATE, { id: ids.Maria, input: { lastName: 'Hijacked' } }, other.admin.token);
    expect(codeOf(upd)).toBe('NOT_FOUND');
    expect((await t.gql(GET, { id: ids.Maria }, p.admin.token)).data?.client.lastName).toBe('Okafor');
  });

  it('requires a signed-in member', async () => {
    expect(codeOf(await t.gql(LIST, {}))).toBe('UNAUTHENTICATED');
  });
});
