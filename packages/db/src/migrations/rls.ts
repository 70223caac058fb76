/**
 * The row-level-security block every tenant table needs, in one place for the migrations
 * written from now on (the migrations before 1764600000000 spell it out and stay as they are:
 * a migration that has run is never edited).
 *
 * It enables row-level security, adds the tenant policy (`organization_id =
 * fascia_current_org()`, i.e. the transaction's `fascia.org_id` setting) for `fascia_app`, and
 * grants what the table needs to `fascia_app` and, when the worker or sign-in path reads it, to
 * `fascia_system` with its own policy. See docs/architecture.md, "The path of a tenant id".
 */
export interface TenantTableOptions {
  /** Privileges `fascia_app` gets on the table, e.g. `'SELECT, INSERT, UPDATE'`. */
  app?: string;
  /**
   * What `fascia_system` (sign-in, the outbox relay, the worker) may do: its privileges and a
   * policy over every organization's rows — `read` (FOR SELECT) or `write` (all commands).
   */
  system?: { privileges: string; policy: 'read' | 'write' };
  /**
   * Also FORCE row-level security, so the table's owner is bound by the policies too. The
   * existing tables do not (the owner is the migrating role, which no request uses).
   */
  force?: boolean;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const PRIVILEGES = /^(SELECT|INSERT|UPDATE|DELETE)(\s*\([a-z_][a-z0-9_]*(\s*,\s*[a-z_][a-z0-9_]*)*\))?(\s*,\s*(SELECT|INSERT|UPDATE|DELETE)(\s*\([a-z_][a-z0-9_]*(\s*,\s*[a-z_][a-z0-9_]*)*\))?)*$/;

/** The SQL (several statements) that makes `table` a tenant table. */
export function tenantTableSql(table: string, opts: TenantTableOptions = {}): string {
  if (!IDENTIFIER.test(table)) throw new Error(`tenantTableSql: "${table}" is not a plain lower-case table name`);
  for (const p of [opts.app, opts.system?.privileges]) {
    if (p !== undefined && !PRIVILEGES.test(p.trim())) throw new Error(`tenantTableSql: "${p}" is not a list of SELECT/INSERT/UPDATE/DELETE privileges`);
  }
  const out = [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`,
    ...(opts.force ? [`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;`] : []),
    `CREATE POLICY ${table}_tenant ON ${table} TO fascia_app`,
    `  USING (organization_id = fascia_current_org())`,
    `  WITH CHECK (organization_id = fascia_current_org());`,
  ];
  if (opts.app) out.push(`GRANT ${opts.app.trim()} ON ${table} TO fascia_app;`);
  if (opts.system) {
    out.push(`GRANT ${opts.system.privileges.trim()} ON ${table} TO fascia_system;`);
    out.push(
      opts.system.policy === 'read'
        ? `CREATE POLICY ${table}_system ON ${table} FOR SELECT TO fascia_system USING (true);`
        : `CREATE POLICY ${table}_system ON ${table} TO fascia_system USING (true) WITH CHECK (true);`,
    );
  }
  return out.join('\n');
}
