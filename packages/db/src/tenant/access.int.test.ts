import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../testing';
import { AccessGrant, Organization, User } from '../entities';
import { canRead } from './access';

describe('canRead: membership or a consent grant', () => {
  let t: TestDatabase;
  let owner: string;
  let partner: string;
  let reader: string;
  let otherReader: string;
  const client = randomUUID();
  beforeAll(async () => {
    t = await createTestDatabase();
    const orgs = t.dataSource.getRepository(Organization);
    owner = (await orgs.save({ name: 'Owner Clinic', slug: `owner-${client}` })).id;
    partner = (await orgs.save({ name: 'Partner Physio', slug: `partner-${client}` })).id;
    const users = t.dataSource.getRepository(User);
    reader = (await users.save({ email: `physio-${client}@example.org`, displayName: 'Physio', status: 'ACTIVE', lastSignInAt: null })).id;
    otherReader = (await users.save({ email: `other-${client}@example.org`, displayName: 'Other', status: 'ACTIVE', lastSignInAt: null })).id;
  });
  afterAll(() => t.drop());

  const grant = (values: Partial<AccessGrant>) =>
    t.dataSource.getRepository(AccessGrant).save({
      organizationId: owner,
      clientId: client,
      granteeUserId: reader,
      granteeOrganizationId: partner,
      recordTypes: ['CURRENT_PLAN'],
      referralId: null,
      expiresAt: null,
      revokedAt: null,
      ...values,
    });
  const check = (userId: string, recordType: 'CURRENT_PLAN' | 'INTAKE_SUMMARY', org = partner) =>
    t.db.tenant({ organizationId: org, userId }, (tx) => canRead(tx, { organizationId: owner, clientId: client, recordType }));

  it('says yes to the owner organization’s own members', async () => {
    expect(await check(otherReader, 'CURRENT_PLAN', owner)).toEqual({ kind: 'MEMBER' });
  });

  it('says no across organizations without a grant', async () => {
    expect(await check(reader, 'CURRENT_PLAN')).toBeNull();
  });

  it('says yes for a live grant to this user for the named record type only', async () => {
    const g = await grant({});
    expect(await check(reader, 'CURRENT_PLAN')).toEqual({ kind: 'GRANT', grantId: g.id, referralId: null });
    expect(await check(reader, 'INTAKE_SUMMARY')).toBeNull();
    expect(await check(otherReader, 'CURRENT_PLAN')).toBeNull();
    await t.dataSource.getRepository(AccessGrant).update({ id: g.id }, { revokedAt: new Date() });
    expect(await check(reader, 'CURRENT_PLAN')).toBeNull();
  });

  it('says no once the grant has expired', async () => {
    await grant({ recordTypes: ['INTAKE_SUMMARY'], expiresAt: new Date(Date.now() - 1000) });
    expect(await check(reader, 'INTAKE_SUMMARY')).toBeNull();
  });
});
