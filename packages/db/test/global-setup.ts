import { Client } from 'pg';
import { migrate } from '../src/data-source';
import { provisionRuntimeLogin } from '../src/roles';
import { TEST_RUNTIME_LOGIN, TEST_SERVER_URL, adminQuery, testDbName, urlFor } from '../src/testing';

/** Databases left by runs that died more than this long ago are dropped. */
const ABANDONED_AFTER_SECONDS = 3 * 3600;

/**
 * Builds one migrated template database for this Jest run; each test file copies it.
 * Names carry their creation time, so concurrent runs leave each other alone and only
 * databases abandoned hours ago are cleaned up.
 */
export default async function globalSetup(): Promise<void> {
  // Several projects share this setup; the first builds the template, the others reuse it.
  if (process.env.FASCIA_TEMPLATE_DB) return;
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname ~ '^fascia_(t|tpl)_[0-9]+_'`);
    const cutoff = Date.now() / 1000 - ABANDONED_AFTER_SECONDS;
    for (const { datname } of rows as { datname: string }[]) {
      if (Number(datname.split('_')[2]) < cutoff) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
  const template = testDbName('tpl');
  await adminQuery(`CREATE DATABASE ${template}`);
  await migrate(urlFor(template));
  // After the migrations: they create the roles the login is a member of.
  await provisionRuntimeLogin(urlFor(template), TEST_RUNTIME_LOGIN);
  // Read by createTestDatabase() in the test workers, which inherit this environment.
  process.env.FASCIA_TEMPLATE_DB = template;
}
