import { Client } from 'pg';
import { migrate } from '../src/data-source';
import { TEMPLATE_DB, TEST_SERVER_URL, adminQuery, urlFor } from '../src/testing';

/** Builds one migrated template database per test run; each test file copies it. */
export default async function globalSetup(): Promise<void> {
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    // Databases left by an interrupted earlier run.
    const stale = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'fascia_t\\_%'`);
    for (const row of stale.rows as { datname: string }[]) {
      await client.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
  await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${TEMPLATE_DB}`);
  await migrate(urlFor(TEMPLATE_DB));
}
