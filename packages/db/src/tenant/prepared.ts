import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}
interface ConnectingRunner {
  connect(): Promise<PgClient>;
}

const names = new Map<string, string>();
const nameOf = (sql: string): string => {
  let name = names.get(sql);
  if (!name) names.set(sql, (name = `fascia_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
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
  const client = await runner.connect();
  em.connection.logger.logQuery(sql, params, em.queryRunner);
  const res = await client.query({ name: nameOf(sql), text: sql, values: params });
  return res.rows as T[];
}
