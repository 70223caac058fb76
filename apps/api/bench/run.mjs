// API benchmark (issue 10, goals 1 and 3): Fascia's GraphQL API against PostGraphile 4 and a
// hand-written `pg` handler (the raw floor), on one database, with the same login, role and
// row-level-security settings. `npm run bench -w @fascia/api` (or the root `npm run bench`).
//
// Five queries (bench/queries.mjs): the clinic-week calendar, a client's chart, the clients
// list's first page, client search by a name fragment, the open tasks list. Each server runs in
// a process of its own (bench/servers.mjs); the load comes from this process over keep-alive
// connections. Before measuring, the three must return the same rows (it stops otherwise). Then,
// per query and per concurrency (1 and 16), after a short warm-up, three rounds; in each, every
// server is measured for BENCH_SECONDS in BENCH_SLICES slices, interleaved with the others' in
// orders that give no server a favoured position (williamsOrders), and each round has server
// processes of its own, started in a rotated order (startOrder): one process's luck — its JIT's
// choices, its memory — is one round's, not the whole run's. Printed: requests/s, p50, p95 per server;
// Fascia/PostGraphile throughput and Fascia p50 / raw p50 as min/median/max over the rounds,
// against the targets (≥ 1.0× PostGraphile, p50 ≤ 1.5× raw, p95 < 50 ms at one client).
//
// Environment:
//   BENCH_DATABASE_URL  server to use (default postgres://postgres@127.0.0.1:5432/postgres); a
//                       fresh fascia_bench_<random> database is created, and dropped at the end
//   BENCH_SMALL=1       a quick run: a small fixture, short measurements
//   BENCH_CLIENTS, BENCH_APPOINTMENTS  the size (default the reference: 100,000 and 2,000,000)
//   BENCH_KEEP_DB=1     keep the database (its name is printed) …
//   BENCH_REUSE_DB=name … and measure on it again without generating (migrations still run)
//   BENCH_SECONDS       seconds per measurement (default 3; 1.5 with BENCH_SMALL), BENCH_WARMUP_MS (500)
//   BENCH_ROUNDS (3), BENCH_SLICES (3 per server per round), BENCH_RESTART (1: new processes
//   each round; 0: one set for the run), BENCH_CONCURRENCY (1,16),
//   BENCH_QUERIES (e.g. calendar,chart)
//   BENCH_VERIFY_ONLY=1 only the check that the three return the same rows (a test runs this)
//   BENCH_PROFILE       fascia, postgraphile, raw (comma-separated) or all: those servers run with
//                       --cpu-prof; the .cpuprofile files land in .data/bench-profiles/<server>/
//   BENCH_TIMEOUT_MIN   the bound on the whole run (default 45; 10 with BENCH_SMALL): past it,
//                       the servers are stopped, the database dropped, and the run fails
//   BENCH_BASELINE      the apps/api directory of another built checkout (e.g. main's): its
//                       Fascia (its dist/, through this checkout's bench/servers.mjs) runs as a
//                       fourth server, "baseline", measured in the same rounds,
//                       and the report adds this Fascia / the baseline's (before → after in one run)
import { createRequire } from 'node:module';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POSTGRAPHILE_SETUP_SQL, QUERIES } from './queries.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
for (const f of ['../dist/server.js', '../dist/seed.js', '../../../packages/db/dist/index.js', '../../../packages/db/dist/testing/index.js']) {
  if (!existsSync(join(here, f))) {
    console.error(`${f} is missing: run \`npm run build\` first (npm run bench builds the API's packages).`);
    process.exit(1);
  }
}
const { createDataSource, migrate, provisionRuntimeLogin, withCredentials } = require('@fascia/db');
const testing = require('@fascia/db/testing');
const { seedDemo } = require('../dist/seed.js');
const { accessTokenKey, signAccessToken } = require('../dist/auth/tokens.js');
const { Client } = require('pg');

const started = performance.now();
const SMALL = process.env.BENCH_SMALL === '1';
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? (SMALL ? 5_000 : 100_000));
const APPOINTMENTS = Number(process.env.BENCH_APPOINTMENTS ?? (SMALL ? 50_000 : 2_000_000));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (SMALL ? 1.5 : 3));
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Slices per server per round, interleaved across the servers (see williamsOrders). */
const SLICES = Math.max(1, Math.round(Number(process.env.BENCH_SLICES ?? 3)));
/** PostgreSQL's refusals when all its connections are taken (by other work on a shared server). */
const SHARED_SERVER_FULL = /too many clients already|remaining connection slots are reserved/;
/** Fresh server processes for each round (BENCH_RESTART=0: one set for the whole run). */
const RESTART = process.env.BENCH_RESTART !== '0';
/** Round r starts the servers in SERVERS' order rotated by r, so none is always started first. */
const startOrder = (r) => SERVERS.map((_, i) => SERVERS[(i + r) % SERVERS.length]);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,16').split(',').map(Number);
const ONLY = process.env.BENCH_QUERIES ? new Set(process.env.BENCH_QUERIES.split(',')) : null;
const KEEP = process.env.BENCH_KEEP_DB === '1';
const REUSE = process.env.BENCH_REUSE_DB ?? null;
const VERIFY_ONLY = process.env.BENCH_VERIFY_ONLY === '1';
const PROFILE = process.env.BENCH_PROFILE ?? '';
const PROFILE_DIR = join(here, '..', '..', '..', '.data', 'bench-profiles');
const TIMEOUT_MIN = Number(process.env.BENCH_TIMEOUT_MIN ?? (SMALL ? 10 : 45));
const APP_SECRET = `bench-${randomBytes(24).toString('hex')}`;
const BASELINE = process.env.BENCH_BASELINE ?? null;
if (BASELINE && !existsSync(join(BASELINE, 'dist', 'server.js'))) {
  console.error(`BENCH_BASELINE: ${BASELINE} has no dist/server.js (give the apps/api directory of a built checkout)`);
  process.exit(1);
}
const SERVERS = ['fascia', 'postgraphile', 'raw', ...(BASELINE ? ['baseline'] : [])];
/** The query a server is sent: the baseline is another build of Fascia. */
const dialect = (kind) => (kind === 'baseline' ? 'fascia' : kind);
const TARGET = { vsPostgraphile: 1.0, vsRawP50: 1.5, p95Ms: 50 };
const queries = QUERIES.filter((q) => !ONLY || ONLY.has(q.key));

const log = (line) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const urlFor = (db) => {
  const u = new URL(SERVER);
  u.pathname = `/${db}`;
  return u.toString();
};
async function withPg(url, fn) {
  const c = new Client({ connectionString: url, application_name: 'fascia-bench' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The database and its fixture.

const FIXTURE_TAG = 'fascia-bench-fixture:';

/** Fills the database: the scale generator when this branch has it (packages/db testing), otherwise the demo seed. */
async function fill(ownerUrl) {
  const ds = createDataSource({ url: ownerUrl, poolSize: 4, applicationName: 'fascia-bench-fill' });
  await ds.initialize();
  try {
    if (typeof testing.generateScale === 'function') {
      log(`generating ${CLIENTS.toLocaleString('en')} clients and ${APPOINTMENTS.toLocaleString('en')} appointments (the scale generator)…`);
      const r = await testing.generateScale(ds, { clients: CLIENTS, appointments: APPOINTMENTS, log: (l) => log(`  ${l}`) });
      const [clinic] = await ds.query(`SELECT time_zone FROM clinic WHERE id = $1`, [r.busyClinicId]);
      const [{ d }] = await ds.query(`SELECT to_char(($1::timestamptz AT TIME ZONE $2), 'YYYY-MM-DD') AS d`, [r.busyWeek.from, clinic.time_zone]);
      const fragment = r.sampleClient.lastName.toLowerCase().replace(/[^a-z]/g, '').slice(1, 5);
      return { source: 'generateScale', organizationId: r.organizationId, adminUserId: r.adminUserId, clinicId: r.busyClinicId, timeZone: clinic.time_zone, weekFrom: d, chartClientId: r.longHistoryClientId, searchFragment: fragment };
    }
    log('the scale generator is not on this branch: filling with the demo seed (a small fixture)');
    const { organizationId } = await seedDemo(ds);
    return await discover(ds, organizationId, 'seedDemo');
  } finally {
    await ds.destroy();
  }
}

/** Finds what to query in a filled database: the admin, the busiest clinic-week, the longest history. */
async function discover(ds, organizationId, source) {
  const [admin] = await ds.query(
    `SELECT m.user_id FROM membership m JOIN app_user u ON u.id = m.user_id
      WHERE m.organization_id = $1 AND m.role = 'ORG_ADMIN' AND m.status = 'ACTIVE' AND u.status = 'ACTIVE' ORDER BY m.created_at LIMIT 1`,
    [organizationId],
  );
  const [week] = await ds.query(
    `SELECT a.clinic_id, c.time_zone, to_char(date_trunc('week', a.starts_at AT TIME ZONE c.time_zone), 'YYYY-MM-DD') AS week, count(*)::int AS n
       FROM appointment a JOIN clinic c ON c.id = a.clinic_id
      WHERE a.organization_id = $1 AND a.status IN ('BOOKED', 'CHECKED_IN', 'COMPLETED')
      GROUP BY 1, 2, 3 ORDER BY abs(count(*) - 250), 3 DESC LIMIT 1`,
    [organizationId],
  );
  const [client] = await ds.query(
    `SELECT a.client_id, c.last_name FROM appointment a JOIN client c ON c.id = a.client_id WHERE a.organization_id = $1 GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [organizationId],
  );
  if (!admin || !week || !client) throw new Error(`bench: the ${source} fixture has no admin, appointments or clients to query`);
  // The demo seed writes no tasks (the worker does): give the list a page of open ones.
  const [{ n: tasks }] = await ds.query(`SELECT count(*)::int AS n FROM practitioner_task WHERE organization_id = $1 AND status = 'OPEN'`, [organizationId]);
  if (tasks < 60) {
    await ds.query(
      `INSERT INTO practitioner_task (organization_id, clinic_id, kind, reason, practitioner_id, client_id, plan_id, due_at, dedupe_key)
       SELECT p.organization_id, p.clinic_id, 'PLAN_REVIEW', 'Bench: review the plan', p.practitioner_id, p.client_id, p.id, now() + (g || ' hours')::interval, 'bench:' || p.id || ':' || g
         FROM treatment_plan p CROSS JOIN generate_series(1, 10) g WHERE p.organization_id = $1
       ON CONFLICT (organization_id, dedupe_key) DO NOTHING`,
      [organizationId],
    );
  }
  return {
    source,
    organizationId,
    adminUserId: admin.user_id,
    clinicId: week.clinic_id,
    timeZone: week.time_zone,
    weekFrom: week.week,
    chartClientId: client.client_id,
    searchFragment: client.last_name.toLowerCase().replace(/[^a-z]/g, '').slice(1, 4),
  };
}

async function prepareDatabase() {
  const name = REUSE ?? `fascia_bench_${randomBytes(5).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`BENCH_REUSE_DB: "${name}" is not a database name`);
  const url = urlFor(name);
  let fixture = null;
  if (REUSE) {
    const comment = await withPg(SERVER, async (c) => (await c.query(`SELECT shobj_description(oid, 'pg_database') AS d FROM pg_database WHERE datname = $1`, [name])).rows[0]);
    if (!comment) throw new Error(`BENCH_REUSE_DB: there is no database ${name} on ${new URL(SERVER).host}`);
    if (!comment.d?.startsWith(FIXTURE_TAG)) throw new Error(`BENCH_REUSE_DB: ${name} was not made by this bench (no fixture note on it)`);
    fixture = JSON.parse(comment.d.slice(FIXTURE_TAG.length));
    log(`reusing database ${name} (${fixture.source})`);
  } else {
    await withPg(SERVER, (c) => c.query(`CREATE DATABASE ${name}`));
    log(`created database ${name}`);
  }
  const drop = async () => {
    if (KEEP || REUSE) return log(`kept database ${name}: measure it again with BENCH_REUSE_DB=${name}; drop it with DROP DATABASE ${name}`);
    await withPg(SERVER, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    log(`dropped database ${name}`);
  };
  cleanup.db = { drop };
  await migrate(url);
  // After the migrations (they create the roles the login joins): the tests' runtime login.
  const runtimeUrl = await provisionRuntimeLogin(url, testing.TEST_RUNTIME_LOGIN);
  await withPg(url, (c) => c.query(POSTGRAPHILE_SETUP_SQL));
  if (!fixture) {
    const t0 = performance.now();
    fixture = await fill(url);
    await withPg(url, (c) => c.query('ANALYZE'));
    fixture.fillSeconds = Math.round((performance.now() - t0) / 100) / 10;
    log(`filled in ${fixture.fillSeconds} s`);
    await withPg(SERVER, (c) => c.query(`COMMENT ON DATABASE ${name} IS ${c.escapeLiteral(FIXTURE_TAG + JSON.stringify(fixture))}`));
  }
  const counts = await withPg(url, async (c) => {
    const one = async (sql) => (await c.query(sql, [fixture.organizationId])).rows[0].n;
    return {
      clients: await one(`SELECT count(*)::int AS n FROM client WHERE organization_id = $1`),
      appointments: await one(`SELECT count(*)::int AS n FROM appointment WHERE organization_id = $1`),
      openTasks: await one(`SELECT count(*)::int AS n FROM practitioner_task WHERE organization_id = $1 AND status = 'OPEN'`),
    };
  });
  return {
    name,
    url,
    runtimeUrl: runtimeUrl ?? withCredentials(url, testing.TEST_RUNTIME_LOGIN),
    fixture,
    counts,
    drop,
  };
}

// ---------------------------------------------------------------------------------------------
// The servers, and requests to them.

/** Starts the servers one after the other, in `order` (each round rotates it: startOrder). */
async function startServers(runtimeUrl, order = SERVERS) {
  const children = [];
  const urls = {};
  const pids = {};
  const env = { ...process.env, BENCH_RUNTIME_URL: runtimeUrl, BENCH_APP_SECRET: APP_SECRET, NODE_ENV: 'production' };
  try {
    for (const kind of order) {
      const profiled = PROFILE === 'all' || PROFILE.split(',').includes(kind);
      const execArgv = profiled ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE_DIR, kind)}`] : [];
      // The baseline runs through this checkout's servers.mjs too (the same pool settings), from its own build.
      const child = fork(join(here, 'servers.mjs'), [dialect(kind)], {
        env: kind === 'baseline' ? { ...env, BENCH_API_DIR: BASELINE } : env,
        execArgv,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      pids[kind] = child.pid;
      urls[kind] = await new Promise((resolve, reject) => {
        child.once('message', (m) => (m?.ready ? resolve(m.ready) : reject(new Error(`${kind}: unexpected message ${JSON.stringify(m)}`))));
        child.once('exit', (code) => reject(new Error(`the ${kind} server exited (code ${code}) before it was ready`)));
      });
    }
  } catch (err) {
    for (const c of children) c.kill();
    throw err;
  }
  return {
    urls,
    pids,
    order,
    stop: async () => {
      await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : (c.once('exit', r), c.kill())))));
    },
  };
}

/** What one server is sent for one query: path, headers and body, built once. */
function requestFor(server, url, query, fixture, token) {
  const kind = dialect(server);
  const u = new URL(url);
  const body =
    kind === 'raw'
      ? JSON.stringify(query.raw.variables(fixture))
      : JSON.stringify({ query: query[kind].query, variables: query[kind].variables(fixture) });
  const path = kind === 'raw' ? `${u.pathname}/${query.key}` : u.pathname;
  return {
    host: u.hostname,
    port: Number(u.port),
    path,
    body: Buffer.from(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
  };
}

function send(target, agent) {
  return new Promise((resolve) => {
    const req = request({ host: target.host, port: target.port, path: target.path, method: 'POST', headers: target.headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const ok = res.statusCode === 200 && !text.startsWith('{"errors"') && !text.includes('"errors":[');
        resolve({ ok, status: res.statusCode, text });
      });
      res.on('error', (err) => resolve({ ok: false, status: 0, text: String(err) }));
    });
    req.on('error', (err) => resolve({ ok: false, status: 0, text: String(err) }));
    req.end(target.body);
  });
}

// ---------------------------------------------------------------------------------------------
// Correctness first: the same rows from the three.

async function verify(servers, fixture, token) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const problems = [];
  for (const q of queries) {
    const got = {};
    for (const kind of SERVERS) {
      const r = await send(requestFor(kind, servers.urls[kind], q, fixture, token), agent);
      if (!r.ok) {
        problems.push(`${q.key} on ${kind}: HTTP ${r.status} ${r.text.slice(0, 500)}`);
        continue;
      }
      const data = JSON.parse(r.text).data;
      try {
        got[kind] = q.ids[dialect(kind)](data);
      } catch (err) {
        problems.push(`${q.key} on ${kind}: unexpected answer (${err.message}): ${r.text.slice(0, 300)}`);
      }
    }
    if (Object.keys(got).length < SERVERS.length) continue;
    const { totalCount: _f, ...fascia } = got.fascia;
    const size = fascia.ids?.length ?? fascia.appointments?.length ?? 0;
    if (size === 0) problems.push(`${q.key}: Fascia returned no rows; the fixture gives this query nothing to measure`);
    for (const kind of SERVERS.filter((k) => k !== 'fascia')) {
      const { totalCount, ...rest } = got[kind];
      if (JSON.stringify(rest) !== JSON.stringify(fascia)) {
        problems.push(`${q.key}: ${kind} returned other rows than Fascia:\n    fascia: ${JSON.stringify(fascia).slice(0, 400)}\n    ${kind}: ${JSON.stringify(rest).slice(0, 400)}`);
      }
      if (totalCount !== undefined && totalCount !== got.fascia.totalCount) log(`note: ${q.key}: totalCount ${kind} ${totalCount} vs Fascia ${got.fascia.totalCount}`);
    }
    const what = q.key === 'chart' ? `${fascia.appointments.length} appointments, ${fascia.notes.length} notes, ${fascia.intakes.length} intakes, ${fascia.plans.length} plans, ${fascia.reassessments.length} re-assessments` : `${size} rows`;
    log(`same answer from the ${SERVERS.length === 4 ? 'four' : 'three'}: ${q.label} (${what}${got.fascia.totalCount !== undefined ? ` of ${got.fascia.totalCount}` : ''})`);
  }
  agent.destroy();
  if (problems.length) throw new Error(`the servers disagree or fail; nothing was measured:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------
// Measurement.

const quantile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN);

/**
 * The CPU time (ms) a process has used so far: the sum over its threads (node's main thread, its
 * GC and libuv helpers) of the scheduler's own count, in nanoseconds (`/proc/<pid>/task/<tid>/
 * schedstat`); where that is missing, user + system from `/proc/<pid>/stat`, counted in 10 ms
 * ticks. Linux only; null elsewhere. Per request it is the server's own work, which other load
 * on the machine stretches far less than it stretches wall-clock throughput (PostgreSQL's work
 * is not in it).
 */
function cpuMsOf(pid) {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    if (Number.isFinite(ns) && ns > 0) return ns / 1e6;
  } catch {
    // no schedstat (a kernel without CONFIG_SCHEDSTATS' per-task file, or not Linux): ticks below
  }
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100;

/**
 * The order the servers are measured in, slice after slice: a Williams design — over `n`
 * consecutive cycles (2n for an odd n) every server is measured in every position equally often
 * and after every other server equally often. So neither a position in the cycle nor the server
 * measured just before (its leftover load: PostgreSQL's, the kernel's) favours one server, and a
 * burst of other work on a shared machine falls on each server's slices alike.
 */
function williamsOrders(n) {
  const first = [0];
  for (let k = 1, lo = 1, hi = n - 1; k < n; k++) first.push(k % 2 ? lo++ : hi--);
  const rows = Array.from({ length: n }, (_, r) => first.map((x) => (x + r) % n));
  return n % 2 ? [...rows, ...rows.map((row) => [...row].reverse())] : rows;
}

/** `concurrency` clients sending to one server over keep-alive connections that last across its slices. */
function loadFor(target, concurrency, pid) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const totals = { latencies: [], elapsed: 0, cpuMs: 0, errors: 0, serverFull: 0, warmupErrors: 0, firstError: null, firstWarmupError: null, cpuKnown: true };
  /**
   * Runs the clients for `ms` (uncounted if `warmup`). A counted slice starts counting only once
   * every client has had an answer (so the window opens with requests in flight, as it closes:
   * none of a slice's time is the pipeline filling), then counts latencies, CPU and time for
   * `ms`; it returns once every request sent is answered (those answered after the window are
   * not counted).
   */
  async function run(ms, warmup) {
    let stop = false;
    let counting = false;
    let answered = 0;
    let opened;
    const open = new Promise((resolve) => (opened = resolve));
    const latencies = [];
    const client = async () => {
      while (!stop) {
        const t0 = performance.now();
        const r = await send(target, agent);
        const dt = performance.now() - t0;
        if (++answered === concurrency) opened();
        if (stop) break;
        if (!counting) {
          if (!r.ok) {
            totals.warmupErrors++;
            totals.firstWarmupError ??= `HTTP ${r.status} ${r.text.slice(0, 200)}`;
          }
          continue;
        }
        if (r.ok) latencies.push(dt);
        else if (SHARED_SERVER_FULL.test(r.text)) {
          // PostgreSQL out of connections, shared with other work: the machine's, not the server's; not counted.
          totals.serverFull++;
        } else {
          totals.errors++;
          totals.firstError ??= `HTTP ${r.status} ${r.text.slice(0, 300)}`;
        }
      }
    };
    const running = Array.from({ length: concurrency }, client);
    if (warmup) {
      await sleep(ms);
      stop = true;
      await Promise.all(running);
      return;
    }
    await open;
    counting = true;
    const cpu0 = cpuMsOf(pid);
    const t0 = performance.now();
    await sleep(ms);
    stop = true;
    const elapsed = (performance.now() - t0) / 1000;
    const cpu1 = cpuMsOf(pid);
    await Promise.all(running);
    for (const l of latencies) totals.latencies.push(l);
    totals.elapsed += elapsed;
    if (cpu0 === null || cpu1 === null) totals.cpuKnown = false;
    else totals.cpuMs += cpu1 - cpu0;
  }
  /** The counted slices since the last call, as one measurement; then starts counting anew. */
  function take() {
    const latencies = totals.latencies.sort((a, b) => a - b);
    const n = latencies.length;
    const out = {
      rps: n / totals.elapsed,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      n,
      errors: totals.errors,
      serverFull: totals.serverFull,
      warmupErrors: totals.warmupErrors,
      firstError: totals.firstError,
      firstWarmupError: totals.firstWarmupError,
      cpuPerRequest: totals.cpuKnown && n ? totals.cpuMs / n : NaN,
    };
    Object.assign(totals, { latencies: [], elapsed: 0, cpuMs: 0, errors: 0, serverFull: 0, warmupErrors: 0, firstError: null, firstWarmupError: null, cpuKnown: true });
    return out;
  }
  return { run, take, close: () => agent.destroy() };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const mmm = (s, d = 2) => `${fmt(s.min, d)} / ${fmt(s.median, d)} / ${fmt(s.max, d)}`;

/** What the time bound's watchdog undoes: the servers, then the database. */
const cleanup = { servers: null, db: null };
const watchdog = setTimeout(async () => {
  console.error(`\nbench failed: over its time bound of ${TIMEOUT_MIN} min (BENCH_TIMEOUT_MIN); stopping`);
  await cleanup.servers?.stop().catch(() => {});
  await cleanup.db?.drop().catch(() => {});
  process.exit(1);
}, TIMEOUT_MIN * 60_000);
watchdog.unref();

async function main() {
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
  log(`machine: ${machine}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  let db;
  try {
    db = await prepareDatabase();
  } catch (err) {
    await cleanup.db?.drop().catch(() => {});
    throw err;
  }
  let servers;
  try {
    const pgVersion = await withPg(db.url, async (c) => (await c.query('SHOW server_version')).rows[0].server_version);
    // A pool of BENCH_POOL connections per server: on a server shared with test runs, say when that is tight.
    const [slots] = await withPg(db.url, async (c) => (await c.query(`SELECT current_setting('max_connections')::int AS max, (SELECT count(*)::int FROM pg_stat_activity) AS used`)).rows);
    const need = SERVERS.length * Number(process.env.BENCH_POOL ?? 10) + 5;
    if (slots.max - slots.used < need) log(`note: PostgreSQL has ${slots.max - slots.used} of ${slots.max} connections free and the servers may open ${need}: requests may fail ("remaining connection slots are reserved")`);
    const f = db.fixture;
    log(`data (${f.source}): ${db.counts.clients.toLocaleString('en')} clients, ${db.counts.appointments.toLocaleString('en')} appointments, ${db.counts.openTasks} open tasks in the organization; PostgreSQL ${pgVersion}`);
    log(`queried: clinic ${f.clinicId} week from ${f.weekFrom} (${f.timeZone}), chart of client ${f.chartClientId}, search "${f.searchFragment}"`);
    const token = signAccessToken({ userId: f.adminUserId, organizationId: f.organizationId }, accessTokenKey(APP_SECRET), 6 * 3600, new Date()).token;
    servers = await startServers(db.runtimeUrl, startOrder(0));
    cleanup.servers = servers;
    const describe = () => servers.order.map((k) => `${k} ${servers.urls[k]} (pid ${servers.pids[k]})`).join(', ');
    log(`servers, started in this order: ${describe()}`);
    await verify(servers, f, token);
    if (VERIFY_ONLY) return log('BENCH_VERIFY_ONLY: nothing measured');
    if (PROFILE) log(`CPU profiles of ${PROFILE} go to ${PROFILE_DIR} when the servers stop (open them in Chrome DevTools)`);

    const perMeasurement = WARMUP_MS / 1000 + SECONDS;
    log(
      `measuring: ${queries.length} queries × concurrency ${CONCURRENCY.join(' and ')} × ${ROUNDS} rounds × ${SERVERS.length} servers, ${SECONDS} s each in ${SLICES} interleaved slices` +
        `${RESTART ? ', the servers started afresh, in a rotated order, for each round' : ''} (about ${Math.ceil((queries.length * CONCURRENCY.length * ROUNDS * SERVERS.length * perMeasurement) / 60)} min, more while requests in flight finish at each slice's end)`,
    );
    const loadBefore = os.loadavg()[0];
    const results = queries.flatMap((query) => CONCURRENCY.map((concurrency) => ({ query, concurrency, rounds: [] })));
    const orders = williamsOrders(SERVERS.length);
    let cycle = 0;
    for (let r = 0; r < ROUNDS; r++) {
      if (r > 0 && RESTART) {
        await servers.stop();
        servers = await startServers(db.runtimeUrl, startOrder(r));
        cleanup.servers = servers;
        log(`round ${r + 1}: servers started afresh in this order: ${describe()}`);
      }
      for (const row of results) {
        const { query: q, concurrency: c } = row;
        const loads = Object.fromEntries(SERVERS.map((k) => [k, loadFor(requestFor(k, servers.urls[k], q, f, token), c, servers.pids[k])]));
        // Warm-up (not counted; each round's processes are new), in the order of the next cycle.
        for (const i of orders[cycle % orders.length]) await loads[SERVERS[i]].run(WARMUP_MS, true);
        // SLICES cycles; in each, every server measured for one slice, in the cycle's order (williamsOrders).
        for (let s = 0; s < SLICES; s++, cycle++) {
          for (const i of orders[cycle % orders.length]) await loads[SERVERS[i]].run((SECONDS * 1000) / SLICES, false);
        }
        const round = Object.fromEntries(SERVERS.map((k) => [k, loads[k].take()]));
        for (const l of Object.values(loads)) l.close();
        for (const kind of SERVERS) {
          if (round[kind].errors) throw new Error(`${q.key} at ${c} on ${kind}: ${round[kind].errors} failed requests, e.g. ${round[kind].firstError}`);
          if (round[kind].serverFull) log(`note: ${q.key} ×${c} on ${kind}: ${round[kind].serverFull} requests refused for want of a PostgreSQL connection (the server is shared; not counted)`);
          if (round[kind].warmupErrors) log(`note: ${q.key} ×${c} on ${kind}: ${round[kind].warmupErrors} requests failed during the warm-up (not measured), e.g. ${round[kind].firstWarmupError}`);
        }
        row.rounds.push(round);
        log(`round ${r + 1}, ${q.key} ×${c}: ${SERVERS.map((k) => `${k} ${fmt(round[k].rps, 0)}/s p50 ${fmt(round[k].p50)} ms CPU ${fmt(round[k].cpuPerRequest, 2)} ms/request`).join(', ')}`);
      }
    }
    report(results, { machine, pgVersion, db, loadBefore });
  } finally {
    await servers?.stop();
    if (PROFILE && servers) summariseProfiles();
    await db.drop();
    log(`total time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

/** Where each profiled server's CPU went, by package (self time; the newest profile of each). */
function summariseProfiles() {
  for (const kind of SERVERS) {
    const dir = join(PROFILE_DIR, kind);
    if (!existsSync(dir)) continue;
    const newest = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().pop();
    if (!newest) continue;
    const profile = JSON.parse(readFileSync(join(dir, newest), 'utf8'));
    const byPackage = new Map();
    let total = 0;
    for (const node of profile.nodes) {
      const { url, functionName } = node.callFrame;
      // The innermost package (postgraphile nests its own graphql and graphile-build).
      const nested = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].pop()?.[1];
      const ours = url.includes('/apps/') || url.includes('/packages/') ? `fascia ${url.replace(/^.*\/(apps|packages)\//, '$1/').split('/').slice(0, 2).join('/')}` : null;
      const pkg = nested ?? ours ?? (url.startsWith('node:') ? 'node' : url ? 'other' : functionName);
      if (pkg === '(idle)') continue;
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + (node.hitCount ?? 0));
      total += node.hitCount ?? 0;
    }
    const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12);
    log(`CPU of ${kind} (${join(dir, newest)}; start-up included), self time by package, of the busy time: ${top.map(([k, n]) => `${k} ${((100 * n) / total).toFixed(1)} %`).join(', ')}`);
  }
}

function report(results, { machine, pgVersion, db, loadBefore }) {
  const f = db.fixture;
  const lines = [];
  const out = (s = '') => lines.push(s);
  out();
  out(`API bench — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  out(`machine: ${machine}; load average ${loadBefore.toFixed(2)} before measuring, ${os.loadavg()[0].toFixed(2)} after; PostgreSQL ${pgVersion}`);
  out(
    `data: ${f.source}, ${db.counts.clients.toLocaleString('en')} clients, ${db.counts.appointments.toLocaleString('en')} appointments; ${ROUNDS} rounds × ${SECONDS} s (+ ${WARMUP_MS} ms warm-up) per server, ` +
      `in ${SLICES} slices interleaved in balanced orders${RESTART ? ', fresh server processes each round, started in a rotated order' : ''}`,
  );
  out(`servers: one process each, pool of ${process.env.BENCH_POOL ?? 10} connections, login fascia_runtime_test, role fascia_app + fascia.org_id/user_id per transaction`);
  out(`per server: median requests/s, p50 and p95 (ms) over the rounds; ratios min / median / max of the per-round ratios`);
  out();
  const head = ['query', 'c', 'Fascia r/s', 'p50', 'p95', 'PostGraphile r/s', 'p50', 'p95', 'raw r/s', 'p50', 'p95', 'Fascia/PostGraphile r/s', 'Fascia p50 / raw p50', 'targets'];
  const rows = [head];
  const misses = [];
  for (const { query, concurrency, rounds } of results) {
    const med = (kind, k) => median(rounds.map((r) => r[kind][k]));
    const vsPg = spread(rounds.map((r) => r.fascia.rps / r.postgraphile.rps));
    const vsRaw = spread(rounds.map((r) => r.fascia.p50 / r.raw.p50));
    const p95 = med('fascia', 'p95');
    const checks = [
      [vsPg.median >= TARGET.vsPostgraphile, `≥${TARGET.vsPostgraphile}×PG`],
      [vsRaw.median <= TARGET.vsRawP50, `p50≤${TARGET.vsRawP50}×raw`],
      ...(concurrency === 1 ? [[p95 < TARGET.p95Ms, `p95<${TARGET.p95Ms}ms`]] : []),
    ];
    for (const [ok, what] of checks) if (!ok) misses.push(`${query.key} ×${concurrency}: ${what}`);
    rows.push([
      query.label,
      String(concurrency),
      fmt(med('fascia', 'rps'), 0),
      fmt(med('fascia', 'p50')),
      fmt(p95),
      fmt(med('postgraphile', 'rps'), 0),
      fmt(med('postgraphile', 'p50')),
      fmt(med('postgraphile', 'p95')),
      fmt(med('raw', 'rps'), 0),
      fmt(med('raw', 'p50')),
      fmt(med('raw', 'p95')),
      mmm(vsPg),
      mmm(vsRaw),
      checks.map(([ok, what]) => `${ok ? 'ok' : 'MISS'} ${what}`).join(', '),
    ]);
  }
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [i, r] of rows.entries()) {
    out(r.map((cell, j) => (j < 2 || j === r.length - 1 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ').trimEnd());
    if (i === 0) out(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  out();
  out('server CPU per request (ms, user + system of its process, median over the rounds; less stretched by other load than requests/s):');
  for (const { query, concurrency, rounds } of results) {
    const med = (kind) => median(rounds.map((r) => r[kind].cpuPerRequest));
    const vsPg = spread(rounds.map((r) => r.fascia.cpuPerRequest / r.postgraphile.cpuPerRequest));
    out(`  ${query.label} ×${concurrency}: Fascia ${fmt(med('fascia'), 2)}, PostGraphile ${fmt(med('postgraphile'), 2)}, raw ${fmt(med('raw'), 2)}; Fascia/PostGraphile ${mmm(vsPg)}`);
  }
  if (BASELINE) {
    out();
    out(`this Fascia against the baseline (${BASELINE}), measured in the same rounds: requests/s and CPU per request, min / median / max of the per-round ratios:`);
    for (const { query, concurrency, rounds } of results) {
      const rps = spread(rounds.map((r) => r.fascia.rps / r.baseline.rps));
      const cpu = spread(rounds.map((r) => r.fascia.cpuPerRequest / r.baseline.cpuPerRequest));
      const p50 = spread(rounds.map((r) => r.fascia.p50 / r.baseline.p50));
      const med = (kind, k) => median(rounds.map((r) => r[kind][k]));
      const vsPg = spread(rounds.map((r) => r.baseline.rps / r.postgraphile.rps));
      const cpuVsPg = spread(rounds.map((r) => r.baseline.cpuPerRequest / r.postgraphile.cpuPerRequest));
      out(
        `  ${query.label} ×${concurrency}: r/s ${mmm(rps)}, CPU per request ${mmm(cpu)}, p50 ${mmm(p50)}; baseline ${fmt(med('baseline', 'rps'), 0)}/s p50 ${fmt(med('baseline', 'p50'))} ms CPU ${fmt(med('baseline', 'cpuPerRequest'), 2)} ms, baseline/PostGraphile r/s ${mmm(vsPg)}, CPU ${mmm(cpuVsPg)}`,
      );
    }
  }
  out();
  out(`targets (issue 10): Fascia ≥ ${TARGET.vsPostgraphile}× PostGraphile's throughput at 1 and 16 clients, p50 ≤ ${TARGET.vsRawP50}× the raw floor's, p95 < ${TARGET.p95Ms} ms (judged at one client), on the medians`);
  out(misses.length ? `missed: ${misses.length} — ${misses.join('; ')}` : 'every target met');
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`\nbench failed: ${err.stack ?? err}`);
    process.exit(1);
  },
);
