import { tenantTableSql } from './rls';

describe('tenantTableSql: the row-level-security block of a tenant table', () => {
  it('writes the tenant policy, the grants and the system policy', () => {
    expect(tenantTableSql('referral', { app: 'SELECT, INSERT, UPDATE (status)', system: { privileges: 'SELECT', policy: 'read' } })).toBe(
      [
        'ALTER TABLE referral ENABLE ROW LEVEL SECURITY;',
        'CREATE POLICY referral_tenant ON referral TO fascia_app',
        '  USING (organization_id = fascia_current_org())',
        '  WITH CHECK (organization_id = fascia_current_org());',
        'GRANT SELECT, INSERT, UPDATE (status) ON referral TO fascia_app;',
        'GRANT SELECT ON referral TO fascia_system;',
        'CREATE POLICY referral_system ON referral FOR SELECT TO fascia_system USING (true);',
      ].join('\n'),
    );
  });

  it('forces RLS on the owner and lets the system write when asked', () => {
    const sql = tenantTableSql('report_rollup', { force: true, system: { privileges: 'SELECT, INSERT, UPDATE', policy: 'write' } });
    expect(sql).toContain('ALTER TABLE report_rollup FORCE ROW LEVEL SECURITY;');
    expect(sql).toContain('CREATE POLICY report_rollup_system ON report_rollup TO fascia_system USING (true) WITH CHECK (true);');
    expect(sql).not.toContain('TO fascia_app;');
  });

  it.each([['Referral'], ['referral; DROP TABLE client'], ['"quoted"']])('refuses a table name that is not a plain identifier: %s', (name) => {
    expect(() => tenantTableSql(name)).toThrow(/table name/);
  });

  it('refuses privileges that are not privileges', () => {
    expect(() => tenantTableSql('referral', { app: 'ALL; DROP TABLE client' })).toThrow(/privileges/);
  });
});
