import { runMigrations } from 'bullmq';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';

/**
 * The database roles, and the one login the apps use.
 *
 *  - the owner (whoever runs the migrations) owns every table;
 *  - `fascia_app`, `fascia_system` (NOLOGIN): every transaction of the apps switches to one
 *    of them (`Db.tenant` / `Db.system`), so row-level security always applies;
 *  - `fascia_queue` (NOLOGIN): BullMQ's PostgreSQL backend works as it (set at connection
 *    startup) and it holds only the queue schema;
 *  - `fascia_runtime` (LOGIN, NOINHERIT, owns nothing): what the API and the worker log in
 *    as. Without SET ROLE it can do nothing at all; it can become the three roles above.
 *    `npm start` provisions it on the embedded server and on a DATABASE_URL alike.
 */
export const RUNTIME_ROLE = 'fascia_runtime';
export const QUEUE_ROLE = 'fascia_queue';
export const DEFAULT_QUEUE_SCHEMA = 'bullmq';

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'fascia-migrate' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates or upgrades BullMQ's tables in their own schema (BullMQ's migrator: one
 * transaction, an advisory lock against concurrent starters), then lets `fascia_queue`
 * use them. Run by the migration step as the owner; the apps never migrate it themselves.
 */
export async function migrateQueueSchema(url: string, schema = DEFAULT_QUEUE_SCHEMA): Promise<number> {
  if (!IDENT.test(schema)) throw new Error(`Invalid queue schema name: ${schema}`);
  return withClient(url, async (client) => {
    const version = await runMigrations(client, schema);
    const s = escapeIdentifier(schema);
    await client.query(`
      GRANT USAGE, CREATE ON SCHEMA ${s} TO ${QUEUE_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA ${s} TO ${QUEUE_ROLE};
      GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${QUEUE_ROLE};
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${s} TO ${QUEUE_ROLE};
    `);
    return version;
  });
}

export interface RuntimeLogin {
  role: string;
  password: string;
}

/**
 * Creates (or updates the password of) the login the apps use, a member of the three
 * application roles and nothing else. Needs a role that may create roles (the owner on
 * the embedded server; on a managed server, run it once as an administrator or create
 * the login by hand as docs/operations.md shows). Returns the apps' connection string.
 */
export async function provisionRuntimeLogin(ownerUrl: string, login: RuntimeLogin): Promise<string> {
  if (!IDENT.test(login.role)) throw new Error(`Invalid runtime role name: ${login.role}`);
  if (login.password.length < 16) throw new Error('The runtime login needs a password of at least 16 characters');
  const role = escapeIdentifier(login.role);
  await withClient(ownerUrl, async (client) => {
    // Serialise concurrent provisioners (roles are cluster-wide).
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('fascia.provision_runtime_login'))`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login.role]);
    const attrs = 'LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION';
    await client.query(`${rowCount ? 'ALTER' : 'CREATE'} ROLE ${role} ${attrs} PASSWORD ${escapeLiteral(login.password)}`);
    await client.query(`GRANT fascia_app, fascia_system, ${QUEUE_ROLE} TO ${role}`);
    // The cross-organization door's role (migration ExchangeRole1764800000000), once it exists.
    await client.query(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fascia_exchange') THEN GRANT fascia_exchange TO ${role}; END IF; END $$`);
    await client.query('COMMIT');
  });
  return withCredentials(ownerUrl, login);
}

/** The same server and database, logged in as another role. */
export function withCredentials(url: string, login: RuntimeLogin): string {
  const u = new URL(url);
  u.username = encodeURIComponent(login.role);
  u.password = encodeURIComponent(login.password);
  return u.toString();
}
