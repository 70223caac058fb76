import { Clinic } from '@fascia/db';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, weekdays, type TestApi } from './harness';

const LIST = `query L($first: Int, $after: String) { clinics(first: $first, after: $after) { totalCount nodes { name } pageInfo { hasNextPage endCursor } } }`;

describe('clinics', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Clinic Chain');
  });
  afterAll(() => t.stop());

  const count = () => t.tdb.dataSource.getRepository(Clinic).countBy({ organizationId: admin.organizationId });

  it('creates a clinic with its time zone and opening hours', async () => {
    const res = await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Clerkenwell', country: 'gb' }) }, admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.createClinic).toMatchObject({ name: 'Clerkenwell', timeZone: 'Europe/London', country: 'GB' });
    expect(res.data?.createClinic.openingHours).toHaveLength(5);
  });

  it('pages through clinics by name with opaque cursors', async () => {
    for (const name of ['Bath', 'Aberdeen', 'Dover', 'Cardiff']) {
      await t.gql(CREATE_CLINIC, { input: clinicInput({ name }) }, admin.token);
    }
    const p1 = await t.gql(LIST, { first: 2 }, admin.token);
    expect(p1.data?.clinics.nodes.map((c: { name: string }) => c.name)).toEqual(['Aberdeen', 'Bath']);
    expect(p1.data?.clinics.pageInfo.hasNextPage).toBe(true);
    const p2 = await t.gql(LIST, { first: 2, after: p1.data?.clinics.pageInfo.endCursor }, admin.token);
    expect(p2.data?.clinics.nodes.map((c: { name: string }) => c.name)).toEqual(['Cardiff', 'Clerkenwell']);
    expect(p2.data?.clinics.totalCount).toBe(5);
    const bad = await t.gql(LIST, { first: 2, after: 'garbage' }, admin.token);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.field).toBe('after');
    expect(codeOf(await t.gql(LIST, { first: 5000 }, admin.token))).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['a malformed time zone', { timeZone: 'Mars/Olympus_Mons' }, 'input.timeZone', /IANA time zone/],
    ['an offset instead of a zone', { timeZone: '+02:00' }, 'input.timeZone', /IANA time zone/],
    ['an empty name', { name: '   ' }, 'input.name', /must not be empty/],
    ['a three-letter country', { country: 'GBR' }, 'input.country', /two-letter/],
    ['opening hours that end before they start', { openingHours: [{ weekday: 1, start: '18:00', end: '09:00' }] }, 'input.openingHours[0].end', /after start/],
    ['a weekday 8', { openingHours: [{ weekday: 8, start: '09:00', end: '17:00' }] }, 'input.openingHours[0].weekday', /Monday/],
    ['overlapping opening hours', { openingHours: [{ weekday: 1, start: '09:00', end: '13:00' }, { weekday: 1, start: '12:00', end: '17:00' }] }, 'input.openingHours[1]', /overlaps/],
    ['a time of 25:00', { openingHours: [{ weekday: 1, start: '09:00', end: '25:00' }] }, 'input.openingHours[0].end', /HH:mm/],
  ])('refuses %s with BAD_USER_INPUT naming the field, and stores nothing', async (_label, override, field, message) => {
    const before = await count();
    const res = await t.gql(CREATE_CLINIC, { input: clinicInput(override) }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(res.errors?.[0].message).toMatch(message);
    expect(await count()).toBe(before);
  });

  it('refuses a duplicate clinic name with CONFLICT and keeps the first', async () => {
    await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Islington' }) }, admin.token);
    const before = await count();
    const res = await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Islington', city: 'Elsewhere' }) }, admin.token);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors?.[0].message).toMatch(/already exists/);
    expect(await count()).toBe(before);
    const kept = await t.tdb.dataSource.getRepository(Clinic).findOneByOrFail({ organizationId: admin.organizationId, name: 'Islington' });
    expect(kept.city).toBe('London');
  });

  it('updates a clinic and adds rooms; a duplicate room is a CONFLICT', async () => {
    const created = await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Hackney' }) }, admin.token);
    const id = created.data?.createClinic.id;
    const upd = await t.gql(
      `mutation U($id: ID!, $input: UpdateClinicInput!) { updateClinic(id: $id, input: $input) { name timeZone openingHours { weekday } } }`,
      { id, input: { timeZone: 'Europe/Dublin', openingHours: weekdays('09:00', '17:00').slice(0, 3) } },
      admin.token,
    );
    expect(upd.errors).toBeUndefined();
    expect(upd.data?.updateClinic).toMatchObject({ name: 'Hackney', timeZone: 'Europe/Dublin' });
    const ROOM = `mutation R($input: CreateRoomInput!) { createRoom(input: $input) { id name clinicId } }`;
    expect((await t.gql(ROOM, { input: { clinicId: id, name: 'Room 1' } }, admin.token)).errors).toBeUndefined();
    expect(codeOf(await t.gql(ROOM, { input: { clinicId: id, name: 'Room 1' } }, admin.token))).toBe('CONFLICT');
    const withRooms = await t.gql(`query C($id: ID!) { clinic(id: $id) { rooms { name } } }`, { id }, admin.token);
    expect(withRooms.data?.clinic.rooms).toEqual([{ name: 'Room 1' }]);
  });

  it('needs a signed-in user', async () => {
    expect(codeOf(await t.gql(LIST, {}, null))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(CREATE_CLINIC, { input: clinicInput() }, null))).toBe('UNAUTHENTICATED');
  });
});
