import { functionBodyStatements, loadOrgFilterParser, orgFilterViolations } from '../src/testing/org-filter';

/** The organization-filter check's own rules, on statements written for them (issue 16 §1). */
const TENANT = new Set(['appointment', 'client', 'clinic', 'reminder']);
const problems = (sql: string) => orgFilterViolations(sql, TENANT).map((v) => `${v.table}:${v.problem.split(' ')[0]}`);

beforeAll(() => loadOrgFilterParser());

describe('orgFilterViolations', () => {
  it.each([
    ['a filter on the alias', `SELECT * FROM appointment a WHERE a.organization_id = $1 AND a.id = $2`],
    ['a filter on the table name, quoted, with a cast', `SELECT * FROM "client" WHERE "client"."organization_id" = $1::uuid`],
    ['an unqualified column with one table', `SELECT id FROM client WHERE organization_id = $1`],
    ['= ANY and IN', `SELECT * FROM client c WHERE c.organization_id = ANY($1::uuid[]) UNION ALL SELECT * FROM client d WHERE d.organization_id IN ($1, $2)`],
    ['a join equating the organizations', `SELECT * FROM appointment a JOIN client c ON c.id = a.client_id AND c.organization_id = a.organization_id WHERE a.organization_id = $1`],
    ['a join where both take the same value', `SELECT * FROM appointment a, client c WHERE c.id = a.client_id AND c.organization_id = $1 AND a.organization_id = $1`],
    ['every arm of an OR', `SELECT * FROM client c WHERE (c.id = $1 AND c.organization_id = $2) OR (c.id = $3 AND c.organization_id = $2)`],
    ['a correlated sub-select bound to the outer row', `SELECT * FROM client c WHERE c.organization_id = $1 AND EXISTS (SELECT 1 FROM appointment a WHERE a.client_id = c.id AND a.organization_id = c.organization_id)`],
    ['a CTE that shadows nothing and filters', `WITH due AS (SELECT id FROM reminder r WHERE r.organization_id = $1) UPDATE reminder r SET status = 'X' FROM due WHERE r.id = due.id AND r.organization_id = $1`],
    ['an INSERT of values', `INSERT INTO reminder (organization_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING`],
    ['a non-tenant table', `SELECT * FROM app_user WHERE email = $1`],
    ['JOIN … USING (organization_id)', `SELECT * FROM appointment a JOIN client c USING (organization_id) WHERE a.organization_id = $1`],
    ['a row comparison', `DELETE FROM clinic k WHERE (k.organization_id, k.id) = ($1, $2)`],
  ])('passes %s', (_what, sql) => {
    expect(problems(sql)).toEqual([]);
  });

  it.each([
    ['no filter', `SELECT * FROM client c WHERE c.id = $1`, ['client:reads']],
    ['a filter on another alias only', `SELECT * FROM appointment a JOIN client c ON c.id = a.client_id WHERE a.organization_id = $1`, ['client:reads', 'client:joins']],
    ['two different organizations', `SELECT * FROM appointment a JOIN client c ON c.id = a.client_id WHERE a.organization_id = $1 AND c.organization_id = $2`, ['client:joins']],
    ['an OR with an arm that does not filter', `SELECT * FROM client c WHERE (c.id = $1 AND c.organization_id = $2) OR c.id = $3`, ['client:reads']],
    ['an UPDATE by id', `UPDATE reminder SET status = 'SENT' WHERE id = $1`, ['reminder:reads']],
    ['a DELETE … USING', `DELETE FROM appointment a USING client c WHERE c.id = a.client_id AND a.organization_id = $1`, ['client:reads', 'client:joins']],
    ['an INSERT … SELECT', `INSERT INTO reminder (organization_id, id) SELECT organization_id, id FROM appointment WHERE starts_at > now()`, ['appointment:reads']],
    ['a sub-select in the target list', `SELECT c.id, (SELECT count(*) FROM appointment a WHERE a.client_id = c.id) FROM client c WHERE c.organization_id = $1`, ['appointment:reads']],
    ['a CTE body', `WITH x AS (SELECT id FROM clinic) SELECT * FROM x`, ['clinic:reads']],
    ['a filter that is not equality', `SELECT * FROM client c WHERE c.organization_id <> $1`, ['client:reads']],
  ])('flags %s', (_what, sql, expected) => {
    expect(problems(sql).sort()).toEqual(expected.sort());
  });

  it('refuses SQL PostgreSQL cannot parse', () => {
    expect(() => orgFilterViolations('SELEC 1', TENANT)).toThrow();
  });
});

describe('functionBodyStatements', () => {
  it('returns the statements of a PL/pgSQL body', () => {
    const stmts = functionBodyStatements({
      language: 'plpgsql',
      body: '',
      definition: `CREATE FUNCTION f(p_id uuid) RETURNS SETOF uuid LANGUAGE plpgsql AS $$ BEGIN IF p_id IS NULL THEN RETURN; END IF; RETURN QUERY SELECT c.id FROM client c WHERE c.id = p_id; END $$`,
    });
    expect(stmts.some((s) => /FROM client c/.test(s))).toBe(true);
  });
});
