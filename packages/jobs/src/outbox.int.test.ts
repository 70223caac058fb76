import { Invitation, Membership, Organization, OutboxMessage, User } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { InvalidJobDataError } from './registry';
import { enqueue } from './outbox';

describe('enqueue (outbox, real PostgreSQL with RLS)', () => {
  let t: TestDatabase;
  let orgA: string;
  let orgB: string;
  let invitationId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.dataSource.transaction(async (em) => {
      const [a, b] = await em.save(Organization, [
        em.create(Organization, { name: 'A', slug: 'a' }),
        em.create(Organization, { name: 'B', slug: 'b' }),
      ]);
      orgA = a.id;
      orgB = b.id;
      const [admin, staff] = await em.save(User, [
        em.create(User, { email: 'admin@a.test', displayName: 'Admin', status: 'ACTIVE' }),
        em.create(User, { email: 'staff@a.test', displayName: 'Staff', status: 'INVITED' }),
      ]);
      const m = await em.save(Membership, em.create(Membership, { organizationId: orgA, userId: staff.id, role: 'FRONT_DESK', clinicIds: [], status: 'INVITED' }));
      const inv = await em.save(
        Invitation,
        em.create(Invitation, { organizationId: orgA, userId: staff.id, membershipId: m.id, email: staff.email, invitedBy: admin.id, expiresAt: new Date(Date.now() + 86_400_000), acceptedAt: null }),
      );
      invitationId = inv.id;
    });
  });
  afterAll(() => t.drop());

  it('writes a pending row in the tenant transaction and returns its id', async () => {
    const runAt = new Date(Date.now() + 60_000);
    const id = await t.db.tenant({ organizationId: orgA, userId: null }, (tx) => enqueue(tx.em, 'staff.invitation.send', { organizationId: orgA, invitationId }, { runAt }));
    const row = await t.db.system((em) => em.findOneByOrFail(OutboxMessage, { id }));
    expect(row).toMatchObject({ organizationId: orgA, jobName: 'staff.invitation.send', payload: { organizationId: orgA, invitationId }, dispatchedAt: null, attempts: 0 });
    expect(row.runAt?.getTime()).toBe(runAt.getTime());
  });

  it('disappears with a rolled-back transaction', async () => {
    let id = '';
    await expect(
      t.db.tenant({ organizationId: orgA, userId: null }, async (tx) => {
        id = await enqueue(tx.em, 'staff.invitation.send', { organizationId: orgA, invitationId });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await t.db.system((em) => em.countBy(OutboxMessage, { id }))).toBe(0);
  });

  it("refuses a payload naming another organization (RLS on the tenant's insert)", async () => {
    await expect(
      t.db.tenant({ organizationId: orgB, userId: null }, (tx) => enqueue(tx.em, 'staff.invitation.send', { organizationId: orgA, invitationId })),
    ).rejects.toThrow(/row-level security/);
  });

  it('validates the payload before writing', async () => {
    await expect(
      t.db.tenant({ organizationId: orgA, userId: null }, (tx) =>
        enqueue(tx.em, 'staff.invitation.send', { organizationId: orgA, invitationId: 'not-a-uuid' }),
      ),
    ).rejects.toThrow(InvalidJobDataError);
  });
});
