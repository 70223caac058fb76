/**
 * How each table would be placed on PostgreSQL distributed by organization (Citus), and the
 * rules that keep the schema ready for it. docs/scale-out.md explains the plan; the
 * integration test packages/db/src/migrations/distribution.int.test.ts reads the live schema
 * and fails on any table or constraint that breaks these rules, so every future migration
 * keeps them.
 *
 * - A **tenant table** is any table with an `organization_id` column: it is distributed by
 *   `organization_id`, all co-located. Its primary key, every unique constraint and unique
 *   index (partial ones too) include `organization_id`; every exclusion constraint compares
 *   it with `=`; every foreign key to another tenant table joins on it (both column lists).
 * - A table without `organization_id` must be listed below: a reference table (copied to
 *   every node; tenant tables may point at it), a coordinator-local table (kept on the
 *   coordinator, never joined with tenant data), or infrastructure.
 */

/**
 * The organization of an audit event written before any organization is known (a refused
 * sign-in): the nil uuid, because a distribution column has a value. No organization row has it.
 */
export const NO_ORGANIZATION = '00000000-0000-0000-0000-000000000000';

/** Global tables, copied to every Citus node (`create_reference_table`), with why each is global. */
export const REFERENCE_TABLES: Readonly<Record<string, string>> = {
  organization: 'the tenants themselves (one row per organization, about a thousand); every tenant table points at it, and sign-in, the directory and the exchange door read it across organizations',
  app_user: 'a login is one person across every organization they belong to (memberships, practitioner.user_id); sign-in finds it by email before any organization is known',
};

/** Tables kept as plain tables on the coordinator: never distributed, never joined with tenant data. */
export const COORDINATOR_LOCAL_TABLES: Readonly<Record<string, string>> = {
  sign_in_limit: 'failed sign-in counters keyed by a hash of the email or client address, counted before any organization is known; written on every failed attempt, so not a reference table (each write would go to every node)',
};

/**
 * Infrastructure, not application data: left where it is (on the coordinator), outside the
 * rules. Whole schemas, and single tables as `schema.table`.
 */
export const INFRASTRUCTURE_SCHEMAS: Readonly<Record<string, string>> = {
  bullmq: 'the queue’s PostgreSQL-backend tables (migrateQueueSchema; QUEUE_PG_SCHEMA names it, bullmq by default): job rows keyed by queue, not by organization',
};
export const INFRASTRUCTURE_TABLES: Readonly<Record<string, string>> = {
  'public.migrations': 'TypeORM’s migration bookkeeping',
};

/** Every placement the rules allow for a table without `organization_id`. */
export function globalTableKind(schema: string, table: string): 'reference' | 'coordinator-local' | 'infrastructure' | undefined {
  if (schema in INFRASTRUCTURE_SCHEMAS || `${schema}.${table}` in INFRASTRUCTURE_TABLES) return 'infrastructure';
  if (schema !== 'public') return undefined;
  if (table in REFERENCE_TABLES) return 'reference';
  if (table in COORDINATOR_LOCAL_TABLES) return 'coordinator-local';
  return undefined;
}

/** Anything that runs a query and returns its rows (a DataSource, an EntityManager, a QueryRunner). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

interface TableRow {
  schema: string;
  table: string;
  has_org: boolean;
}
interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  type: 'p' | 'u' | 'x' | 'f';
  def: string;
  /** Column names of conkey, in order ('' for an expression). */
  cols: string[];
  /** For an exclusion constraint: the operator of each element. */
  ops: string[] | null;
  /** For a foreign key: the referenced table and its columns. */
  ref_schema: string | null;
  ref_table: string | null;
  ref_cols: string[] | null;
}
interface IndexRow {
  schema: string;
  table: string;
  name: string;
  def: string;
  key_cols: string[];
}

const qualified = (schema: string, table: string): string => (schema === 'public' ? table : `${schema}.${table}`);

/**
 * Reads the live schema and returns one line per broken rule (empty when the schema is
 * ready to be distributed by organization). Each line names the table and the constraint.
 */
export async function distributionViolations(db: Queryable): Promise<string[]> {
  const system = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'`;
  const tables = (await db.query(`
    SELECT n.nspname AS schema, c.relname AS "table",
           EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped) AS has_org
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${system}
     ORDER BY 1, 2`)) as TableRow[];
  const constraints = (await db.query(`
    SELECT n.nspname AS schema, c.relname AS "table", k.conname AS name, k.contype AS type, pg_get_constraintdef(k.oid) AS def,
           ARRAY(SELECT coalesce(a.attname::text, '') FROM unnest(k.conkey) WITH ORDINALITY u(attnum, i)
                   LEFT JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.i) AS cols,
           CASE WHEN k.contype = 'x' THEN ARRAY(SELECT o.oprname::text FROM unnest(k.conexclop) WITH ORDINALITY u(op, i)
                   JOIN pg_operator o ON o.oid = u.op ORDER BY u.i) END AS ops,
           rn.nspname AS ref_schema, r.relname AS ref_table,
           CASE WHEN k.contype = 'f' THEN ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(attnum, i)
                   JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.i) END AS ref_cols
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_class r ON r.oid = k.confrelid LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
     WHERE k.contype IN ('p', 'u', 'x', 'f') AND ${system}
     ORDER BY 1, 2, 3`)) as ConstraintRow[];
  const uniqueIndexes = (await db.query(`
    SELECT n.nspname AS schema, c.relname AS "table", ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def,
           ARRAY(SELECT coalesce(a.attname::text, '') FROM unnest(i.indkey[0:i.indnkeyatts - 1]) u(attnum)
                   LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum) AS key_cols
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indisunique AND ${system}
     ORDER BY 1, 2, 3`)) as IndexRow[];

  const out: string[] = [];
  const kindOf = new Map<string, 'tenant' | 'reference' | 'coordinator-local' | 'infrastructure' | undefined>();
  for (const t of tables) {
    const name = qualified(t.schema, t.table);
    const listed = globalTableKind(t.schema, t.table);
    if (t.has_org) {
      if (listed && listed !== 'infrastructure') out.push(`${name}: has organization_id but is listed as a ${listed} table; a table is one or the other`);
      kindOf.set(`${t.schema}.${t.table}`, listed === 'infrastructure' ? 'infrastructure' : 'tenant');
    } else {
      if (!listed) {
        out.push(
          `${name}: has no organization_id and is not listed as a reference, coordinator-local or infrastructure table (packages/db/src/distribution.ts); give it organization_id or list it with a reason`,
        );
      }
      kindOf.set(`${t.schema}.${t.table}`, listed);
    }
  }
  for (const [name] of Object.entries(REFERENCE_TABLES)) if (!kindOf.has(`public.${name}`)) out.push(`${name}: listed as a reference table but no such table exists`);
  for (const [name] of Object.entries(COORDINATOR_LOCAL_TABLES)) if (!kindOf.has(`public.${name}`)) out.push(`${name}: listed as a coordinator-local table but no such table exists`);

  const isTenant = (schema: string, table: string): boolean => kindOf.get(`${schema}.${table}`) === 'tenant';
  const pkOf = new Set<string>();
  for (const k of constraints) {
    const name = qualified(k.schema, k.table);
    const kind = kindOf.get(`${k.schema}.${k.table}`);
    if (kind === 'infrastructure') continue;
    if (k.type === 'f') {
      const target = kindOf.get(`${k.ref_schema}.${k.ref_table}`);
      const refName = qualified(k.ref_schema ?? '', k.ref_table ?? '');
      if (kind === 'tenant') {
        if (target === 'tenant') {
          const joinsOnOrg = k.cols.some((c, i) => c === 'organization_id' && k.ref_cols?.[i] === 'organization_id');
          if (!joinsOnOrg) out.push(`${name}: foreign key ${k.name} to tenant table ${refName} does not join on organization_id (both column lists): ${k.def}`);
        } else if (target !== 'reference') {
          out.push(`${name}: foreign key ${k.name} points at ${refName}, which is neither a tenant nor a reference table: ${k.def}`);
        }
      } else if (kind === 'reference') {
        if (target !== 'reference') out.push(`${name}: reference table's foreign key ${k.name} points at ${refName}, which is not a reference table: ${k.def}`);
      } else if (kind === 'coordinator-local') {
        if (target === 'tenant') out.push(`${name}: coordinator-local table's foreign key ${k.name} points at tenant table ${refName}: ${k.def}`);
      }
      continue;
    }
    if (kind !== 'tenant') continue;
    if (k.type === 'p') {
      pkOf.add(`${k.schema}.${k.table}`);
      if (!k.cols.includes('organization_id')) out.push(`${name}: primary key ${k.name} does not include organization_id: ${k.def}`);
    } else if (k.type === 'u') {
      if (!k.cols.includes('organization_id')) out.push(`${name}: unique constraint ${k.name} does not include organization_id: ${k.def}`);
    } else if (k.type === 'x') {
      const i = k.cols.indexOf('organization_id');
      if (i < 0 || k.ops?.[i] !== '=') out.push(`${name}: exclusion constraint ${k.name} does not compare organization_id with =: ${k.def}`);
    }
  }
  const constraintNames = new Set(constraints.map((k) => `${k.schema}.${k.name}`));
  for (const ix of uniqueIndexes) {
    if (!isTenant(ix.schema, ix.table)) continue;
    if (constraintNames.has(`${ix.schema}.${ix.name}`)) continue; // reported as its constraint
    if (!ix.key_cols.includes('organization_id')) out.push(`${qualified(ix.schema, ix.table)}: unique index ${ix.name} does not include organization_id: ${ix.def}`);
  }
  for (const t of tables) {
    if (isTenant(t.schema, t.table) && !pkOf.has(`${t.schema}.${t.table}`)) out.push(`${qualified(t.schema, t.table)}: tenant table has no primary key`);
  }
  return out;
}

/** The tables that would be distributed by organization_id, from the live schema. */
export async function tenantTables(db: Queryable): Promise<string[]> {
  const rows = (await db.query(`
    SELECT c.relname AS "table" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped)
     ORDER BY 1`)) as { table: string }[];
  return rows.map((r) => r.table);
}
