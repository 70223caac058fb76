// The three servers of the API benchmark, each run in a process of its own
// (`node bench/servers.mjs <fascia|postgraphile|raw>`, forked by run.mjs), so each is measured
// as one process, as the API runs. Configuration comes from the environment run.mjs sets:
// BENCH_RUNTIME_URL (the apps' login, fascia_runtime_test as in the tests), BENCH_APP_SECRET,
// BENCH_POOL (each server's connections, default 10; Fascia's through DATABASE_POOL_SIZE).
// Each sends `{ ready: url }` to its parent once it listens, and exits when the parent goes away.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUERIES, RAW_FEATURES_SQL } from './queries.mjs';

const require = createRequire(import.meta.url);
/** The API build Fascia runs from: this checkout's, or BENCH_API_DIR's (the baseline, another built checkout's apps/api). */
const API_DIR = process.env.BENCH_API_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const { accessTokenKey, verifyAccessToken } = require(join(API_DIR, 'dist/auth/tokens.js'));

const RUNTIME_URL = process.env.BENCH_RUNTIME_URL;
const SECRET = process.env.BENCH_APP_SECRET;
const POOL = Number(process.env.BENCH_POOL ?? 10);
if (!RUNTIME_URL || !SECRET) throw new Error('servers.mjs is started by bench/run.mjs (BENCH_RUNTIME_URL and BENCH_APP_SECRET unset)');
const key = accessTokenKey(SECRET);

/** The same check Fascia makes of the bearer token (its own code), for PostGraphile and the raw handler. */
function claimsOf(req) {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) throw Object.assign(new Error('no bearer token'), { status: 401 });
  try {
    return verifyAccessToken(m[1].trim(), key, new Date());
  } catch {
    throw Object.assign(new Error('invalid token'), { status: 401 });
  }
}

const listen = (server) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });

/**
 * Every server's pool keeps its connections while the server waits for its next slice: pg's
 * pool closes a connection idle for 10 s, and a server measured after such a pause would pay for
 * new backends (their catalog caches cold, the prepared statements parsed and planned again) —
 * which a server under steady traffic does not. A gap of more than 10 s fell on some servers'
 * measurements and not on others' (a source of the first-slot handicap, docs/operations.md).
 */
const KEEP_IDLE = { idleTimeoutMillis: 0 };

async function fascia() {
  const { startApi } = require(join(API_DIR, 'dist/server.js'));
  // DATABASE_POOL_SIZE: the API's pool (10 by default, as before the variable existed).
  const started = await startApi({ databaseUrl: RUNTIME_URL, port: 0, appSecret: SECRET, logLevel: 'silent', nodeEnv: 'production', env: { DATABASE_POOL_SIZE: String(POOL) } });
  // TypeORM's pg pool (its `master`): the same setting as the others' (KEEP_IDLE), read at each release.
  const pool = started.api.dataSource.driver.master;
  if (!pool?.options) throw new Error('bench: the API\'s DataSource has no pg pool to configure');
  Object.assign(pool.options, KEEP_IDLE);
  return `${started.url}/graphql`;
}

/**
 * PostGraphile 4 needs graphql 15 and one copy of it; npm installs it beside our graphql 16 as
 * several nested copies (postgraphile's, graphile-build-pg's, and a second graphile-build), and
 * mixing them fails ("Cannot use GraphQLScalarType "Int" from another module or realm"). In this
 * process only (it runs PostGraphile and nothing of Fascia's GraphQL), every `graphql` and
 * `graphile-build` resolves to postgraphile's own copy.
 */
function onePostGraphileRealm() {
  const Module = require('node:module');
  const root = dirname(require.resolve('postgraphile/package.json'));
  const anchor = new Module(join(root, 'index.js'));
  anchor.filename = join(root, 'index.js');
  anchor.paths = Module._nodeModulePaths(root);
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    const shared = request === 'graphql' || request.startsWith('graphql/') || request === 'graphile-build';
    if (shared) return resolve.call(this, request, anchor, ...rest);
    return resolve.call(this, request, parent, ...rest);
  };
}

async function postgraphile() {
  onePostGraphileRealm();
  const { postgraphile: middleware } = require('postgraphile');
  const ConnectionFilterPlugin = require('postgraphile-plugin-connection-filter');
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: RUNTIME_URL, max: POOL, application_name: 'bench-postgraphile', ...KEEP_IDLE });
  const handler = middleware(pool, 'public', {
    appendPlugins: [ConnectionFilterPlugin],
    graphileBuildOptions: { connectionFilterRelations: false, connectionFilterComputedColumns: false, connectionFilterSetofFunctions: false },
    disableDefaultMutations: true,
    graphiql: false,
    disableQueryLog: true,
    retryOnInitFail: false,
    setofFunctionsContainNulls: false,
    // The same role and settings as Fascia's Db.tenant (packages/db/src/tenant/tenant-scope.ts),
    // applied by PostGraphile with set_config(…, true) at the start of the request's transaction.
    pgSettings: (req) => {
      const claims = claimsOf(req);
      return { role: 'fascia_app', 'fascia.org_id': claims.organizationId, 'fascia.user_id': claims.userId };
    },
  });
  return `${await listen(createServer(handler))}/graphql`;
}

const MEMBERSHIP_SQL = `SELECT m.role, m.clinic_ids FROM membership m JOIN app_user u ON u.id = m.user_id
  WHERE m.user_id = $1 AND m.organization_id = $2 AND m.status = 'ACTIVE' AND u.status = 'ACTIVE'`;

/**
 * The raw floor: POST /q/<query key> with the variables as JSON. Per request: the token check,
 * then one transaction — BEGIN, the role and tenant settings, the membership check Fascia makes
 * (one statement, fascia_tenant_session, where the schema has it), the query's statements
 * (prepared), COMMIT — and the JSON Fascia returns.
 */
async function raw() {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: RUNTIME_URL, max: POOL, application_name: 'bench-raw', ...KEEP_IDLE });
  const byKey = new Map(QUERIES.map((q) => [q.key, q.raw]));
  const [features] = (await pool.query(RAW_FEATURES_SQL)).rows;
  // The first time each statement runs, its plan: a floor that seq-scans a big table is no
  // floor (an index the SQL needs is missing, or the SQL does not match it), so it says so.
  const explained = new Set();
  const explainFirst = async (client, q) => {
    explained.add(q.name);
    if (/^\s*SELECT/i.test(q.text)) {
      const [{ 'QUERY PLAN': [plan] }] = (await client.query({ text: `EXPLAIN (FORMAT JSON) ${q.text}`, values: q.values })).rows;
      const scans = [];
      // A seq scan under a LIMIT with no sort between stops early (a capped count's
      // `SELECT 1 … LIMIT 1001`): not flagged.
      const walk = (node, limited) => {
        if (node['Node Type'] === 'Seq Scan' && !limited) scans.push(node['Relation Name']);
        const next = node['Node Type'] === 'Limit' || (limited && !/Sort|Aggregate|Hash/.test(node['Node Type']));
        for (const child of node.Plans ?? []) walk(child, next);
      };
      walk(plan.Plan, false);
      for (const rel of new Set(scans)) {
        const { rows } = await client.query(`SELECT reltuples::bigint AS n FROM pg_class WHERE oid = to_regclass($1)`, [rel]);
        if (Number(rows[0]?.n ?? 0) > 50_000) console.error(`[raw floor] statement ${q.name} seq-scans ${rel} (~${Number(rows[0].n).toLocaleString('en')} rows): an index its SQL needs is missing`);
      }
    }
    return client.query(q);
  };
  const send = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    try {
      const def = byKey.get((req.url ?? '').replace(/^\/q\//, ''));
      if (!def || req.method !== 'POST') return send(res, 404, { errors: [{ message: 'POST /q/<query>' }] });
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const variables = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const claims = claimsOf(req);
      const tenant = { ...claims, requestId: randomUUID() };
      const client = await pool.connect();
      let data;
      try {
        await client.query('BEGIN');
        let membership;
        if (features.tenantSession) {
          membership = await client.query({ name: 'tenant_session', text: `SELECT member_role, member_clinic_ids FROM fascia_tenant_session($1, $2)`, values: [tenant.organizationId, tenant.userId] });
        } else {
          await client.query({
            name: 'tenant',
            text: `SELECT set_config('role', 'fascia_app', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`,
            values: [tenant.organizationId, tenant.userId],
          });
          membership = await client.query({ name: 'membership', text: MEMBERSHIP_SQL, values: [tenant.userId, tenant.organizationId] });
        }
        if (membership.rows.length === 0) throw Object.assign(new Error('no membership'), { status: 401 });
        data = await def.handle((q) => (explained.has(q.name) ? client.query(q) : explainFirst(client, q)), tenant, variables, features);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
      send(res, 200, { data });
    } catch (err) {
      send(res, err.status ?? 500, { errors: [{ message: String(err.message ?? err) }] });
    }
  });
  return `${await listen(server)}/q`;
}

const kind = process.argv[2];
const start = { fascia, postgraphile, raw }[kind];
if (!start) throw new Error(`servers.mjs: unknown server "${kind}"`);
process.on('disconnect', () => process.exit(0));
// A normal exit on SIGTERM (how run.mjs stops it), so --cpu-prof writes its profile.
process.on('SIGTERM', () => process.exit(0));
start().then(
  (url) => process.send?.({ ready: url }),
  (err) => {
    console.error(`${kind} server failed to start:`, err);
    process.exit(1);
  },
);
