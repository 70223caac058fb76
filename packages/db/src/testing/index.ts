import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { withCredentials } from '../roles';
import { Db } from '../tenant/tenant-scope';

/** The server tests run against: real PostgreSQL (see STACK.md), never a mock. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The migrated template this Jest run copies; set by the global setup (one per run, so runs never collide). */
export const templateDb = (): string => process.env.FASCIA_TEMPLATE_DB ?? 'fascia_test_template';

/** Test database names carry their creation time, so a later run can drop only abandoned ones. */
export const testDbName = (kind: 't' | 'tpl'): string => `fascia_${kind}_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;

export function urlFor(database: string): string {
  const u = new URL(TEST_SERVER_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The apps under test log in as the tests' own runtime login, as the apps do everywhere
 * (fascia_runtime in npm start and production: NOINHERIT, a member of the application
 * roles, owns nothing). Its own name, so a developer's fascia_runtime on the same server
 * keeps its password. The global setup creates it.
 */
export const TEST_RUNTIME_LOGIN = { role: 'fascia_runtime_test', password: 'fascia-test-runtime-login' };

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  /** The owner (superuser): fixtures and checks of what was stored. */
  url: string;
  dataSource: DataSource;
  db: Db;
  /** The apps' login (see TEST_RUNTIME_LOGIN): hand it to the API and the worker under test. */
  runtimeUrl: string;
  appDataSource: DataSource;
  /** Statements sent since the last reset (see countQueries). */
  queries: string[];
  /** Statements sent on the apps' login only ({@link appDataSource}): what the API sends, without the tests' own fixtures (the org-filter check reads them). */
  appQueries: string[];
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file, copied from the migrated template that the
 * global setup built: every file starts from the same empty, migrated schema.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = testDbName('t');
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
  const url = urlFor(name);
  const queries: string[] = [];
  const dataSource = createDataSource({ url, poolSize: 20, onQuery: (sql) => queries.push(sql) });
  await dataSource.initialize();
  const runtimeUrl = withCredentials(url, TEST_RUNTIME_LOGIN);
  const appQueries: string[] = [];
  const appDataSource = createDataSource({
    url: runtimeUrl,
    poolSize: 20,
    onQuery: (sql) => {
      queries.push(sql);
      appQueries.push(sql);
    },
  });
  await appDataSource.initialize();
  return {
    name,
    url,
    dataSource,
    db: new Db(dataSource),
    runtimeUrl,
    appDataSource,
    queries,
    appQueries,
    async drop() {
      if (appDataSource.isInitialized) await appDataSource.destroy();
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export { generateScale, referenceShape, type ScaleOptions, type ScaleResult } from './scale';
export * from './report-baseline';
