import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../testing';
import { Clinic, Membership, Organization, User } from '../entities';
import { Db } from './tenant-scope';

/** TenantRepository's insert: one INSERT that names the organization, whether or not the caller chose the id. */
describe('TenantRepository.insert', () => {
  let t: TestDatabase;
  let db: Db;
  let org: string;
  let otherOrg: string;
  let user: string;
  const clinic = (name: string) => ({ name, addressLine1: '1 High Street', city: 'Leeds', country: 'GB', timeZone: 'Europe/London', openingHours: [] });

  beforeAll(async () => {
    t = await createTestDatabase();
    db = new Db(t.appDataSource);
    const slug = randomUUID().slice(0, 8);
    org = (await t.dataSource.getRepository(Organization).save({ name: 'Insert Clinic', slug: `insert-${slug}` })).id;
    otherOrg = (await t.dataSource.getRepository(Organization).save({ name: 'Other Clinic', slug: `insert-other-${slug}` })).id;
    user = (await t.dataSource.getRepository(User).save({ email: `insert-${slug}@example.org`, displayName: 'Insert', status: 'ACTIVE', lastSignInAt: null })).id;
    await t.dataSource.getRepository(Membership).insert({ organizationId: org, userId: user, role: 'ORG_ADMIN', clinicIds: [], status: 'ACTIVE' });
  });
  afterAll(() => t.drop());

  it('sends only an INSERT for a row whose id the caller chose (no read of that id without the organization first), and returns it as stored', async () => {
    const id = randomUUID();
    const stored = await db.tenant({ organizationId: org, userId: user }, async (tx) => {
      t.queries.length = 0;
      const row = await tx.repo(Clinic).insert({ id, ...clinic('Chosen Id') });
      const sent = [...t.queries];
      return { row, sent };
    });
    expect(stored.sent).toHaveLength(1);
    expect(stored.sent[0]).toMatch(/^INSERT INTO "clinic"\(.*"organization_id"/);
    expect(stored.row).toMatchObject({ id, organizationId: org, name: 'Chosen Id', lateCancelHours: 24, maxBookingHorizonDays: 365, addressLine2: null, phone: null, archivedAt: null });
    expect(stored.row.createdAt).toBeInstanceOf(Date);
    // As a fresh read of the row gives it (what `save` used to return): unset columns are null, not undefined.
    const read = await db.tenant({ organizationId: org, userId: user }, (tx) => tx.repo(Clinic).findOneBy({ id }));
    expect(stored.row).toEqual(read);
  });

  it('generates the id when none is given, and the row belongs to the caller’s organization only', async () => {
    const row = await db.tenant({ organizationId: org, userId: user }, (tx) => tx.repo(Clinic).insert(clinic('Generated Id')));
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    const seenByOther = await db.tenant({ organizationId: otherOrg, userId: null }, (tx) => tx.repo(Clinic).findOneBy({ id: row.id }));
    expect(seenByOther).toBeNull();
  });
});
