import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import { SYSTEM_ROLE, sessionRoleOf } from '../data-source';
import type { Db } from './tenant-scope';

/**
 * Rows of a statement: TypeORM returns `[rows, count]` for UPDATE / DELETE … RETURNING on
 * PostgreSQL (a statement whose outer command is one, a `WITH … UPDATE` too), plain rows otherwise.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

/**
 * One statement as `fascia_system`, for the worker's hot paths. On a data source whose
 * connections start as `fascia_system` (`createDataSource({ sessionRole: 'fascia_system' })`,
 * the worker's) it is sent alone: one round trip, its own (implicit) transaction. On any
 * other data source (the API's, the tests' runtime login) it runs in a `Db.system`
 * transaction, which switches to that role first. Either way it is one atomic statement
 * under row-level security: write it so that it needs nothing else from a transaction.
 */
export async function systemQuery<T>(db: Db, sql: string, parameters: unknown[] = [], opts: { prepare?: boolean } = {}): Promise<T[]> {
  if (sessionRoleOf(db.dataSource) !== SYSTEM_ROLE) return returnedRows<T>(await db.system((em) => em.query(sql, parameters)));
  // Straight to the driver's pool, as a named (prepared) statement: PostgreSQL plans each
  // text once per connection, not per call (planning the reminder load costs ten times its
  // execution). The data source's logger still sees the statement (tests count them).
  // `prepare: false` for texts that vary from call to call (a batch built of as many parts as
  // it has requests): a prepared statement stays in the connection's memory until it closes.
  db.dataSource.logger.logQuery(sql, parameters);
  const pool = (db.dataSource.driver as unknown as { master: Pool }).master;
  const result = await pool.query<T & QueryResultRow>(opts.prepare === false ? { text: sql, values: parameters } : { name: statementName(sql), text: sql, values: parameters });
  return result.rows;
}

const names = new Map<string, string>();
/** A prepared statement's name: the same for the same text (a hash of it), so every connection prepares it once. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `fascia_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    if (names.size < 1000) names.set(sql, name);
  }
  return name;
}

/**
 * Builds a statement's parameter list: `param(value)` appends the value and returns its
 * placeholder (`$1`, `$2` …), so fragments written apart (a guard, a settle) join into one
 * statement without counting placeholders by hand.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  readonly param = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}
