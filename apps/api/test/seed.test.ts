import { Clinic, Practitioner, PractitionerAvailability } from '@fascia/db';
import { DEMO_ADMIN, seedDemo } from '../src/seed';
import { SIGN_IN, startTestApi, type TestApi } from './harness';

describe('demo seed', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.stop());

  it('creates three clinics in three time zones and every discipline, once', async () => {
    const first = await seedDemo(t.tdb.dataSource);
    const second = await seedDemo(t.tdb.dataSource);
    expect(first.created).toBe(true);
    expect(second).toEqual({ created: false, organizationId: first.organizationId });
    const clinics = await t.tdb.dataSource.getRepository(Clinic).find();
    expect(new Set(clinics.map((c) => c.timeZone)).size).toBe(3);
    const disciplines = new Set((await t.tdb.dataSource.getRepository(Practitioner).find()).map((p) => p.discipline));
    expect([...disciplines].sort()).toEqual(['ACUPUNCTURIST', 'MASSAGE_THERAPIST', 'PAIN_SPECIALIST', 'PHYSICIAN', 'PHYSIOTHERAPIST']);
    expect(await t.tdb.dataSource.getRepository(PractitionerAvailability).count()).toBeGreaterThan(20);
    const signIn = await t.gql(SIGN_IN, { input: DEMO_ADMIN });
    expect(signIn.data?.signIn.me.organization.name).toBe('Fascia Demo Chain');
  });
});
