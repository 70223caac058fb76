import { randomUUID } from 'node:crypto';
import { Organization } from '../entities';
import { createTestDatabase, type TestDatabase } from '../testing';
import { tenantTableSql } from './rls';

describe('tenantTableSql on PostgreSQL: a new table is born tenant-scoped', () => {
  let t: TestDatabase;
  let mine: string;
  let theirs: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    const orgs = t.dataSource.getRepository(Organization);
    mine = (await orgs.save({ name: 'Mine', slug: `mine-${randomUUID()}` })).id;
    theirs = (await orgs.save({ name: 'Theirs', slug: `theirs-${randomUUID()}` })).id;
    await t.dataSource.query(`CREATE TABLE rls_probe (organization_id uuid NOT NULL REFERENCES organization(id), id uuid NOT NULL DEFAULT gen_random_uuid(), note text, PRIMARY KEY (organization_id, id))`);
    await t.dataSource.query(tenantTableSql('rls_probe', { app: 'SELECT, INSERT', system: { privileges: 'SELECT', policy: 'read' } }));
    await t.dataSource.query(`INSERT INTO rls_probe (organization_id, note) VALUES ($1, 'mine'), ($2, 'theirs')`, [mine, theirs]);
  });
  afterAll(() => t.drop());

  it('shows fascia_app its own organization’s rows only, and refuses a row for another', async () => {
    const notes = await t.db.tenant({ organizationId: mine, userId: null }, (tx) => tx.em.query(`SELECT note FROM rls_probe ORDER BY note`));
    expect(notes).toEqual([{ note: 'mine' }]);
    await expect(t.db.tenant({ organizationId: mine, userId: null }, (tx) => tx.em.query(`INSERT INTO rls_probe (organization_id, note) VALUES ($1, 'sneaky')`, [theirs]))).rejects.toThrow(
      /row-level security/,
    );
  });

  it('lets fascia_system read every organization’s rows, as granted', async () => {
    const notes = await t.db.system((em) => em.query(`SELECT note FROM rls_probe ORDER BY note`));
    expect(notes).toEqual([{ note: 'mine' }, { note: 'theirs' }]);
  });
});
