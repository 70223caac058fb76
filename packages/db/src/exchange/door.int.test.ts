import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Membership, Organization, User } from '../entities';
import { runInRequestScope } from '../tenant/request-scope';
import { Db, type TenantTx } from '../tenant/tenant-scope';
import { createTestDatabase, type TestDatabase } from '../testing';
import { throughExchange } from './door';

describe('throughExchange: the one door across an organization boundary', () => {
  let t: TestDatabase;
  let org: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    org = (await t.dataSource.getRepository(Organization).save({ name: 'Door', slug: `door-${randomUUID()}` })).id;
  });
  afterAll(() => t.drop());

  const role = async (q: (sql: string) => Promise<Array<{ r: string }>>) => (await q(`SELECT current_user AS r`))[0].r;

  it('runs its step as fascia_exchange with the caller’s tenant settings, then returns to fascia_app', async () => {
    const seen = await t.db.tenant({ organizationId: org, userId: null }, async (tx) => {
      const inside = await throughExchange(tx, async (em) => em.query(`SELECT current_user AS r, fascia_current_org() AS o`));
      return { inside: inside[0], after: await role((sql) => tx.em.query(sql)) };
    });
    expect(seen.inside).toEqual({ r: 'fascia_exchange', o: org });
    expect(seen.after).toBe('fascia_app');
  });

  it('returns to fascia_app when its step throws without failing the transaction', async () => {
    const after = await t.db.tenant({ organizationId: org, userId: null }, async (tx) => {
      await expect(throughExchange(tx, async () => { throw new Error('refused by the door’s own check'); })).rejects.toThrow(/own check/);
      return role((sql) => tx.em.query(sql));
    });
    expect(after).toBe('fascia_app');
  });

  it('is the only code that switches to fascia_exchange (migrations grant it; nothing else names it)', () => {
    const root = path.resolve(__dirname, '../../../..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(ts|tsx|mjs|js)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
          const rel = path.relative(root, full);
          if (rel.startsWith(path.join('packages', 'db', 'src', 'exchange')) || rel.startsWith(path.join('packages', 'db', 'src', 'migrations'))) continue;
          if (rel === path.join('packages', 'db', 'src', 'roles.ts')) continue;
          if (readFileSync(full, 'utf8').includes('fascia_exchange')) offenders.push(rel);
        }
      }
    };
    for (const top of ['apps', 'packages', 'scripts']) walk(path.join(root, top));
    expect(offenders).toEqual([]);
  });
});

describe('throughExchange in a read request: one exclusive section of the shared connection', () => {
  let t: TestDatabase;
  let db: Db;
  let org: string;
  let user: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    db = new Db(t.appDataSource);
    const slug = randomUUID().slice(0, 8);
    org = (await t.dataSource.getRepository(Organization).save({ name: 'Door Scope', slug: `door-scope-${slug}` })).id;
    user = (await t.dataSource.getRepository(User).save({ email: `door-${slug}@example.org`, displayName: 'Door', status: 'ACTIVE', lastSignInAt: null })).id;
    await t.dataSource.getRepository(Membership).insert({ organizationId: org, userId: user, role: 'ORG_ADMIN', clinicIds: [], status: 'ACTIVE' });
  });
  afterAll(() => t.drop());

  it('lets no statement of a concurrent field run as fascia_exchange, nor one of the step run as fascia_app', async () => {
    const tenant = { organizationId: org, userId: user, requestId: randomUUID() };
    await runInRequestScope(db, async (scope) => {
      await db.tenantSession(tenant, scope);
      const seen: string[] = [];
      const whoAmI = (tx: TenantTx, label: string) => tx.em.query(`SELECT current_user AS r`).then((rows: { r: string }[]) => seen.push(`${label}:${rows[0].r}`));
      await Promise.all([
        db.tenant(tenant, (tx) =>
          throughExchange(tx, async (em) => {
            for (let i = 0; i < 3; i++) {
              const [{ r }] = (await em.query(`SELECT current_user AS r, pg_sleep(0.01)`)) as { r: string }[];
              seen.push(`door:${r}`);
            }
          }),
        ),
        ...[1, 2, 3, 4].map((i) => db.tenant(tenant, (tx) => whoAmI(tx, `field${i}`))),
      ]);
      expect(seen.filter((s) => s.startsWith('door:'))).toEqual(['door:fascia_exchange', 'door:fascia_exchange', 'door:fascia_exchange']);
      expect(seen.filter((s) => s.startsWith('field')).every((s) => s.endsWith(':fascia_app'))).toBe(true);
      expect(seen).toHaveLength(7);
      await scope.commit();
    });
  });
});
