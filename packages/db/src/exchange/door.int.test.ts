import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Organization } from '../entities';
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
