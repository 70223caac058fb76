import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

export interface PreparedConfig {
  /** Absent: an unnamed statement (parsed and planned each time). */
  name?: string;
  text: string;
  values: unknown[];
}
export interface PreparedClient {
  query(config: PreparedConfig): Promise<{ rows: unknown[] }>;
}
interface ConnectingRunner {
  connect(): Promise<PreparedClient>;
}
/** A request's query runner (request-scope.ts): its prepared statements queue with its other statements. */
export interface RunnerWithPrepared {
  fasciaPrepared?: (config: PreparedConfig) => Promise<{ rows: unknown[] }>;
}

/**
 * The most statement texts named per process. Texts that follow a query's selection (the
 * columns it asks for) vary with what clients send: past this many, a new text runs unnamed, so
 * neither this map nor each connection's prepared statements grow without bound.
 */
export const MAX_PREPARED_STATEMENTS = 500;
const names = new Map<string, string>();
/** The name a statement text runs under as a prepared statement (undefined: past MAX_PREPARED_STATEMENTS, unnamed). */
export const nameOf = (sql: string): string | undefined => {
  let name = names.get(sql);
  if (!name && names.size < MAX_PREPARED_STATEMENTS) names.set(sql, (name = `fascia_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
  return name;
};

/**
 * Runs a statement of fixed text as a named prepared statement on the transaction's
 * connection (issue 10): PostgreSQL parses and plans it once per connection instead of on
 * every request — what the hot reads' short statements spent most of their server time on.
 * Logged through TypeORM's logger like any query (the statement-count tests see it); outside
 * a transaction's query runner it is a plain `em.query`. Use only for SQL whose text does not
 * vary with the values (the name is the text's hash).
 */
export async function preparedQuery<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = em.queryRunner as unknown as (ConnectingRunner & object) | undefined;
  if (!runner || typeof runner.connect !== 'function') return (await em.query(sql, params)) as T[];
  em.connection.logger.logQuery(sql, params, em.queryRunner);
  const name = nameOf(sql);
  const config: PreparedConfig = name ? { name, text: sql, values: params } : { text: sql, values: params };
  const inRequest = (runner as RunnerWithPrepared).fasciaPrepared;
  const res = inRequest ? await inRequest(config) : await (await runner.connect()).query(config);
  return res.rows as T[];
}
