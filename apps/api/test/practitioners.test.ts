import { PractitionerAvailability } from '@fascia/db';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, weekdays, type TestApi } from './harness';

const CREATE = `mutation P($input: CreatePractitionerInput!) {
  createPractitioner(input: $input) { id displayName discipline modalities availability { clinicId weekday start end } }
}`;
const SET = `mutation S($id: ID!, $windows: [AvailabilityInput!]!) {
  setPractitionerAvailability(practitionerId: $id, windows: $windows) { id availability { weekday start end clinic { name } } }
}`;
const LIST = `query L($clinicId: ID) { practitioners(first: 200, clinicId: $clinicId) {
  totalCount nodes { displayName discipline availability { weekday start end clinic { name timeZone rooms { name } } } } } }`;

describe('practitioners and availability', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let london: string;
  let bath: string;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Practitioner Chain');
    london = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'London' }) }, admin.token)).data?.createClinic.id;
    bath = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Bath', openingHours: weekdays('10:00', '16:00') }) }, admin.token)).data?.createClinic.id;
  });
  afterAll(() => t.stop());

  const availabilityRows = () => t.tdb.dataSource.getRepository(PractitionerAvailability).count();

  it('creates a practitioner with weekly availability at two clinics', async () => {
    const res = await t.gql(
      CREATE,
      {
        input: {
          displayName: 'Ada Moss',
          discipline: 'MASSAGE_THERAPIST',
          modalities: ['SWEDISH', 'DEEP_TISSUE', 'TRIGGER_POINT'],
          email: 'Ada@Example.org',
          availability: [
            { clinicId: london, weekday: 1, start: '09:00', end: '13:00' },
            { clinicId: bath, weekday: 1, start: '14:00', end: '16:00' },
          ],
        },
      },
      admin.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.createPractitioner.availability).toHaveLength(2);
  });

  it.each([
    ['overlapping windows on one weekday, even at two clinics', [
      { clinicId: 'L', weekday: 2, start: '09:00', end: '12:00' },
      { clinicId: 'B', weekday: 2, start: '11:00', end: '13:00' },
    ], 'windows[1]', /overlaps/],
    ['a window outside opening hours', [{ clinicId: 'B', weekday: 3, start: '08:00', end: '12:00' }], 'windows[0]', /opening hours/],
    ['a window on a day the clinic is closed', [{ clinicId: 'L', weekday: 6, start: '09:00', end: '12:00' }], 'windows[0]', /closed/],
    ['an unknown clinic', [{ clinicId: '00000000-0000-4000-8000-000000000000', weekday: 1, start: '09:00', end: '10:00' }], 'windows[0].clinicId', /No clinic/],
    ['a start after its end', [{ clinicId: 'L', weekday: 1, start: '12:00', end: '10:00' }], 'windows[0].end', /after start/],
  ])('refuses %s and keeps the previous availability', async (_label, windows, field, message) => {
    const p = await t.gql(CREATE, { input: { displayName: `P ${Math.random()}`, discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY'], availability: [{ clinicId: london, weekday: 4, start: '09:00', end: '10:00' }] } }, admin.token);
    const id = p.data?.createPractitioner.id;
    const before = await availabilityRows();
    const resolved = (windows as { clinicId: string }[]).map((w) => ({ ...w, clinicId: w.clinicId === 'L' ? london : w.clinicId === 'B' ? bath : w.clinicId }));
    const res = await t.gql(SET, { id, windows: resolved }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(res.errors?.[0].message).toMatch(message);
    expect(await availabilityRows()).toBe(before);
  });

  it('holds the no-overlap rule in PostgreSQL too (exclusion constraint)', async () => {
    const p = await t.gql(CREATE, { input: { displayName: 'Constraint Case', discipline: 'ACUPUNCTURIST', modalities: ['ACUPUNCTURE'], availability: [{ clinicId: london, weekday: 5, start: '09:00', end: '12:00' }] } }, admin.token);
    const id = p.data?.createPractitioner.id;
    await expect(
      t.tdb.dataSource.query(
        `INSERT INTO practitioner_availability (organization_id, practitioner_id, clinic_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, 5, 600, 700)`,
        [admin.organizationId, id, bath],
      ),
    ).rejects.toThrow(/practitioner_availability_no_overlap/);
  });

  it('lets a login be at most one practitioner in an organization (the one it acts as)', async () => {
    const ids = (await t.tdb.dataSource.query(`SELECT id FROM practitioner WHERE organization_id = $1 LIMIT 2`, [admin.organizationId])) as { id: string }[];
    await t.tdb.dataSource.query(`UPDATE practitioner SET user_id = $1 WHERE id = $2`, [admin.userId, ids[0].id]);
    await expect(t.tdb.dataSource.query(`UPDATE practitioner SET user_id = $1 WHERE id = $2`, [admin.userId, ids[1].id])).rejects.toThrow(/practitioner_one_per_login/);
    await t.tdb.dataSource.query(`UPDATE practitioner SET user_id = NULL WHERE id = $1`, [ids[0].id]);
  });

  it('rejects an unknown discipline at the schema', async () => {
    const res = await t.gql(CREATE, { input: { displayName: 'X', discipline: 'WIZARD', modalities: [] } }, admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('filters by clinic', async () => {
    const res = await t.gql(LIST, { clinicId: bath }, admin.token);
    expect(res.data?.practitioners.nodes.map((p: { displayName: string }) => p.displayName)).toEqual(['Ada Moss']);
  });

  it('lists practitioners with availability, clinics and rooms in a fixed number of statements (no N+1)', async () => {
    const statementsFor = async (): Promise<{ statements: number; rows: number }> => {
      t.tdb.queries.length = 0;
      const res = await t.gql(LIST, {}, admin.token);
      expect(res.errors).toBeUndefined();
      return { statements: t.tdb.queries.length, rows: res.data?.practitioners.nodes.length };
    };
    const small = await statementsFor();
    for (let i = 0; i < 15; i++) {
      await t.gql(CREATE, {
        input: { displayName: `Bulk ${String(i).padStart(2, '0')}`, discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: [{ clinicId: i % 2 ? london : bath, weekday: 1 + (i % 5), start: '10:00', end: '11:00' }] },
      }, admin.token);
    }
    const large = await statementsFor();
    expect(large.rows).toBeGreaterThanOrEqual(small.rows + 15);
    expect(large.statements).toBe(small.statements);
  });
});
