// Reports benchmark (issue 14): on a generated database, every report of the contract through
// GraphQL — one clinic over a month (grouped by day) and the whole organization over a year
// (grouped by month) — p50 and p95, against the same report computed straight from the raw tables
// (`baselineReport` of @fascia/db/testing, the property test's oracle: its SQL over appointments,
// hours, plans, notes and re-assessments, then the reporting package's definitions) in the same
// run, with the ratios and whether the totals agree; then how long the roll-ups take to catch up
// after 10,000 changes. `npm run bench:reports -w @fascia/api`.
//
// The database: BENCH_REPORTS_DB (default fascia_scale_reports) on BENCH_DATABASE_URL's server.
// If it does not exist it is created and filled with the scale generator at BENCH_FRACTION of
// the reference chain (default 0.1: 100 clinics, 1,000 practitioners, 100,000 clients,
// 2,000,000 appointments) — or make it yourself once (docs/operations.md §Indexes at scale):
//   npm run scale -w @fascia/db -- --migrate --fraction 0.1 --database-url postgres://…/fascia_scale_reports
// Either way its migrations are applied (the roll-up migration marks everything dirty), and the
// roll-ups are brought up to date (timed: the first fill) before anything is measured.
// The database is kept (drop it with DROP DATABASE fascia_scale_reports).
//
// Environment: BENCH_RUNS (GraphQL requests per report and scope, default 30), BENCH_RAW_RUNS
// (raw-SQL runs per report and scope, default 3), BENCH_CHANGES (default 10000),
// BENCH_EXPLAIN=1 (print EXPLAIN (ANALYZE, BUFFERS) of each report's statements, as the API runs them),
// BENCH_RAW_RUNS=0 (no raw baseline: latency only), BENCH_RAW_SCOPES (the scopes whose raw baseline is timed, default all), BENCH_SKIP_CATCHUP=1 (no change/catch-up phase), BENCH_DRAINERS (connections draining at once, default 2),
// BENCH_SCOPES (which scopes, in order: default clinic-month,org-year),
// BENCH_BASELINE (the apps/api directory of another built checkout, e.g. main's: its API runs beside this one on the same
// database and each report is measured on both, request by request in turn — before → after in one run, under the same load).
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
for (const f of ['../dist/server.js', '../../../packages/db/dist/index.js', '../../../packages/db/dist/testing/index.js']) {
  if (!existsSync(join(here, f))) {
    console.error(`${f} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const { createDataSource, migrate, provisionRuntimeLogin, withCredentials } = require('@fascia/db');
const testing = require('@fascia/db/testing');
const { startApi } = require('../dist/server.js');
const { accessTokenKey, signAccessToken } = require('../dist/auth/tokens.js');
const pg = require('pg');
const { Client } = pg;
const { readFileSync, readdirSync } = require('node:fs');
// The reports the reporting package defines (referral-flow is not rolled up yet: no baseline either).
const { REPORTS: BUILT } = require('@fascia/reporting');

const started = performance.now();
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = process.env.BENCH_REPORTS_DB ?? 'fascia_scale_reports';
const FRACTION = Number(process.env.BENCH_FRACTION ?? 0.1);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 3);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 10_000);
const SKIP_CATCHUP = process.env.BENCH_SKIP_CATCHUP === '1';
const DRAINERS = Number(process.env.BENCH_DRAINERS ?? 2);
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
// The scopes whose raw baseline is timed (default: every scope; at 0.1 the organization-year's takes minutes a report).
const RAW_SCOPES = (process.env.BENCH_RAW_SCOPES ?? 'clinic-month,org-year').split(',');
const SCOPES = (process.env.BENCH_SCOPES ?? 'clinic-month,org-year').split(',');
const TARGET = { p95Ms: 200, orgYearVsRaw: 20 };
const BASELINE = process.env.BENCH_BASELINE ?? null;
if (BASELINE && !existsSync(join(BASELINE, 'dist', 'server.js'))) {
  console.error(`BENCH_BASELINE: ${BASELINE} has no dist/server.js (give the apps/api directory of a built checkout)`);
  process.exit(1);
}
const APP_SECRET = `bench-${randomBytes(24).toString('hex')}`;
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DB)) throw new Error(`BENCH_REPORTS_DB: "${DB}" is not a database name`);

const log = (line) => console.log(`[reports ${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);
const urlFor = (db) => {
  const u = new URL(SERVER);
  u.pathname = `/${db}`;
  return u.toString();
};
async function withPg(url, fn) {
  const c = new Client({ connectionString: url, application_name: 'fascia-bench-reports' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => (x === undefined || x === null || Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

// ---------------------------------------------------------------------------------------------
// Where a request's time goes. The API runs in this process, PostgreSQL on this machine, so each
// request's latency can be set against (a) the time its statements took as the API saw them (pg's
// Client.query, from send to result), and (b) from the kernel's scheduler statistics
// (/proc/<pid>/schedstat: nanoseconds on a CPU, nanoseconds runnable but waiting for one) of this
// process's threads and of the API's PostgreSQL backends: on-CPU time is the work, the wait is CPU
// queueing (the machine's other load). Where /proc is not readable the columns are left empty.

/** Statement time as the API sees it: every pg Client.query of this process (the API's pool included). */
const statements = { ms: 0, count: 0, capture: null };
/** Times every query of a copy of pg's Client (this build's; the baseline's resolves its own copy). */
function timeQueries(PgClient) {
  const original = PgClient.prototype.query;
  PgClient.prototype.query = function timedQuery(...args) {
    const t = performance.now();
    if (statements.capture) {
      const [a, b] = args;
      statements.capture.push(typeof a === 'string' ? { text: a, values: Array.isArray(b) ? b : [] } : { text: a?.text, values: a?.values ?? [] });
    }
    const done = () => {
      statements.ms += performance.now() - t;
      statements.count++;
    };
    const cb = typeof args[args.length - 1] === 'function' ? args.length - 1 : -1;
    if (cb >= 0) {
      const f = args[cb];
      args[cb] = (...r) => {
        done();
        return f(...r);
      };
      return original.apply(this, args);
    }
    const res = original.apply(this, args);
    if (res && typeof res.then === 'function') return res.then((v) => (done(), v), (e) => (done(), Promise.reject(e)));
    return res;
  };
}
timeQueries(Client);
const baselineRequire = BASELINE ? createRequire(join(BASELINE, 'dist', 'server.js')) : null;
if (baselineRequire) {
  const { Client: BaseClient } = baselineRequire('pg');
  if (BaseClient !== Client) timeQueries(BaseClient);
}

/** [on-CPU ns, waiting-for-CPU ns] summed over the given schedstat files (missing ones count 0). */
function schedstat(files) {
  let cpu = 0;
  let wait = 0;
  for (const f of files) {
    try {
      const [a, b] = readFileSync(f, 'utf8').trim().split(/\s+/).map(Number);
      cpu += a;
      wait += b;
    } catch {
      /* gone or not readable */
    }
  }
  return [cpu, wait];
}
const selfThreads = () => {
  try {
    return readdirSync('/proc/self/task').map((t) => `/proc/self/task/${t}/schedstat`);
  } catch {
    return [];
  }
};
const MAIN_THREAD = `/proc/self/task/${process.pid}/schedstat`;
const schedReadable = (() => {
  try {
    readFileSync('/proc/self/schedstat', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

/** GraphQL field and raw-SQL key of each report of the contract. */
const REPORTS = [
  ['utilisationReport', 'utilisation'],
  ['attendanceReport', 'attendance'],
  ['planSessionsReport', 'plan-sessions'],
  ['outcomesReport', 'outcomes'],
  ['outcomeDistributionReport', 'outcome-distribution'],
  ['reassessmentTimelinessReport', 'reassessment-timeliness'],
  ['referralFlowReport', 'referral-flow'],
  ['retentionReport', 'retention'],
  ['clientsReport', 'clients'],
];
const REPORT_QUERY = (field) => `query R($scope: ReportScope!) { r: ${field}(scope: $scope) {
  name columns { key kind } rows { key values } total { values } previousTotal { values } headline note
  freshness { computedAt pendingChanges oldestPendingAt } } }`;

// ---------------------------------------------------------------------------------------------

async function prepare() {
  const url = urlFor(DB);
  const exists = await withPg(SERVER, async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DB])).rowCount > 0);
  if (!exists) {
    await withPg(SERVER, (c) => c.query(`CREATE DATABASE ${DB}`));
    log(`created ${DB}; generating ${FRACTION} of the reference chain…`);
    await migrate(url);
    const ds = createDataSource({ url, poolSize: 2, applicationName: 'fascia-bench-reports-fill' });
    await ds.initialize();
    try {
      const r = await testing.generateScale(ds, { ...testing.referenceShape(FRACTION), slug: 'scale-reports', log: (l) => log(`  ${l}`) });
      log(`generated ${Object.values(r.counts).reduce((a, b) => a + b, 0).toLocaleString('en')} rows in ${(r.ms / 1000).toFixed(0)} s (${r.rowsPerSecond.toLocaleString('en')} rows/s)`);
    } finally {
      await ds.destroy();
    }
  } else {
    log(`using ${DB}`);
    await migrate(url);
  }
  const runtimeUrl = (await provisionRuntimeLogin(url, testing.TEST_RUNTIME_LOGIN)) ?? withCredentials(url, testing.TEST_RUNTIME_LOGIN);
  return { url, runtimeUrl };
}

/**
 * Drains every dirty mark as the worker's report.drain job does (the same function, batches of
 * 500), with BENCH_DRAINERS connections at once (default 2, as two worker processes: the function
 * claims with SKIP LOCKED and locks each key); returns the marks and seconds.
 */
async function catchUp(url, label) {
  const pending = await withPg(url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM report_dirty`)).rows[0].n);
  const t0 = performance.now();
  let done = 0;
  let lastLog = t0;
  const drainer = () =>
    withPg(url, async (c) => {
      for (;;) {
        const [{ n }] = (await c.query(`SELECT fascia_report_drain(500) AS n`)).rows;
        if (n === 0) return;
        done += n;
        if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now();
          log(`  ${label}: ${done.toLocaleString('en')} of ${pending.toLocaleString('en')} marks in ${((lastLog - t0) / 1000).toFixed(0)} s`);
        }
      }
    });
  await Promise.all(Array.from({ length: DRAINERS }, drainer));
  const seconds = (performance.now() - t0) / 1000;
  log(`${label}: ${done.toLocaleString('en')} dirty marks recomputed in ${seconds.toFixed(1)} s by ${DRAINERS} drainers (${Math.round(done / Math.max(seconds, 0.001)).toLocaleString('en')} marks/s)`);
  return { marks: done, seconds };
}

async function fixture(url) {
  return withPg(url, async (c) => {
    const [org] = (await c.query(`SELECT o.id, o.slug FROM organization o JOIN clinic c ON c.organization_id = o.id GROUP BY o.id ORDER BY count(*) DESC LIMIT 1`)).rows;
    const [admin] = (
      await c.query(
        `SELECT m.user_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE m.organization_id = $1 AND m.role = 'ORG_ADMIN' AND m.status = 'ACTIVE' ORDER BY m.created_at LIMIT 1`,
        [org.id],
      )
    ).rows;
    const clinics = (await c.query(`SELECT id, name, time_zone FROM clinic WHERE organization_id = $1 ORDER BY name`, [org.id])).rows;
    // In the first clinic's zone: the clinic-month is the calendar month in which the clinic's first plan started (the
    // generated plans all start as the books open, so it holds plans, visits and re-assessments), the organization-year
    // the last 365 days up to today.
    const [span] = (
      await c.query(
        `SELECT to_char(min(tp.created_at AT TIME ZONE $2), 'YYYY-MM-DD') AS first, to_char((now() AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS today,
                (SELECT count(*)::int FROM appointment WHERE organization_id = $1) AS appointments
         FROM treatment_plan tp WHERE tp.organization_id = $1 AND tp.clinic_id = $3`,
        [org.id, clinics[0].time_zone, clinics[0].id],
      )
    ).rows;
    const first = new Date(`${span.first}T00:00:00Z`);
    const monthStart = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1));
    const monthEnd = new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 0));
    const today = new Date(`${span.today}T00:00:00Z`);
    const yearFrom = new Date(today.getTime() - 364 * 86_400_000);
    const d = (x) => x.toISOString().slice(0, 10);
    return {
      organizationId: org.id,
      adminUserId: admin.user_id,
      clinic: clinics[0],
      clinicIds: clinics.map((x) => x.id),
      appointments: span.appointments,
      scopes: [
        { key: 'clinic-month', clinicId: clinics[0].id, clinicIds: [clinics[0].id], from: d(monthStart), to: d(monthEnd), groupBy: 'DAY' },
        { key: 'org-year', clinicId: null, clinicIds: clinics.map((x) => x.id), from: d(yearFrom), to: d(today), groupBy: 'MONTH' },
      ],
    };
  });
}

/**
 * BENCH_EXPLAIN=1: the statements of one request of the report, each SELECT then run under
 * EXPLAIN (ANALYZE, BUFFERS) on the bench's own connection as the API runs it (role fascia_app,
 * the organization's row-level security settings), printed.
 */
async function explainRequest(raw, f, request, label) {
  statements.capture = [];
  await request();
  const captured = statements.capture;
  statements.capture = null;
  for (const st of captured) {
    if (!st.text || !/^\s*(SELECT|WITH)/i.test(st.text) || /fascia_tenant_session|set_config/.test(st.text)) continue;
    await raw.query('BEGIN');
    try {
      await raw.query(`SELECT set_config('role', 'fascia_app', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`, [f.organizationId, f.adminUserId]);
      const plan = (await raw.query(`EXPLAIN (ANALYZE, BUFFERS) ${st.text}`, st.values)).rows.map((r) => r['QUERY PLAN']);
      console.log(`--- ${label}: ${st.text.replace(/\s+/g, ' ').slice(0, 160)}…\n${plan.join('\n')}`);
    } finally {
      await raw.query('ROLLBACK');
    }
  }
}

/** baselineReport's Queryable over a pg Client (rows, not the result object). */
const pgQueryable = (c) => ({ query: async (sql, params) => (await c.query(sql, params)).rows });

async function gql(url, token, query, variables) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(`GraphQL: ${body.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')}`);
  return body.data;
}

/** 10,000 changes of the kinds a day brings (cancellations, late cancellations, no-shows), spread over the organization, in transactions of 500. */
async function makeChanges(url, organizationId) {
  return withPg(url, async (c) => {
    const t0 = performance.now();
    const ids = (
      await c.query(
        `SELECT id, status FROM appointment WHERE organization_id = $1 AND status IN ('BOOKED', 'COMPLETED')
          ORDER BY md5(id::text) LIMIT $2`,
        [organizationId, CHANGES],
      )
    ).rows;
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      await c.query('BEGIN');
      await c.query(
        `UPDATE appointment a SET status = CASE WHEN x.status = 'BOOKED' THEN (CASE WHEN x.k % 2 = 0 THEN 'CANCELLED' ELSE 'LATE_CANCELLED' END) ELSE 'NO_SHOW' END,
                status_reason = 'Bench change', status_changed_at = now(), updated_at = now()
           FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS x(id, status, k)
          WHERE a.organization_id = $1 AND a.id = x.id`,
        [organizationId, batch.map((r) => r.id), batch.map((r) => r.status)],
      );
      await c.query('COMMIT');
    }
    const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM report_dirty`)).rows;
    log(`${ids.length.toLocaleString('en')} appointment changes written in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${n.toLocaleString('en')} dirty marks`);
    return ids.length;
  });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const { url, runtimeUrl } = await prepare();
  const firstFill = await catchUp(url, 'roll-ups brought up to date');
  // The drained marks are dead rows that every report's freshness count walks until the queue is
  // vacuumed. Autovacuum does it in production (migration 1764985000000: every 2,000 dead rows); a
  // server with autovacuum off (this machine's test server) never would, so the bench does.
  await withPg(url, async (c) => {
    const [{ autovacuum }] = (await c.query(`SELECT current_setting('autovacuum') AS autovacuum`)).rows;
    if (autovacuum !== 'on') {
      await c.query('VACUUM (ANALYZE) report_dirty');
      log('autovacuum is off on this server: report_dirty vacuumed by the bench');
    }
  });
  const f = await fixture(url);
  log(`organization ${f.organizationId}: ${f.clinicIds.length} clinics, ${f.appointments.toLocaleString('en')} appointments; scopes: ${f.scopes.map((s) => `${s.key} ${s.from}..${s.to}`).join(', ')}`);
  await withPg(url, (c) => c.query('ANALYZE'));

  const api = await startApi({ databaseUrl: runtimeUrl, port: 0, appSecret: APP_SECRET, logLevel: 'silent', nodeEnv: 'production' });
  // BENCH_BASELINE: the other build's API on the same database (its own modules: its report service, its pg).
  const baseApi = baselineRequire ? await baselineRequire('./server.js').startApi({ databaseUrl: runtimeUrl, port: 0, appSecret: APP_SECRET, logLevel: 'silent', nodeEnv: 'production' }) : null;
  const servers = [{ key: 'this', api }, ...(baseApi ? [{ key: 'baseline', api: baseApi }] : [])];
  const token = signAccessToken({ userId: f.adminUserId, organizationId: f.organizationId }, accessTokenKey(APP_SECRET), 6 * 3600, new Date()).token;
  const results = [];
  const loadBefore = os.loadavg();
  log(`load average before the measurements: ${loadBefore.map((x) => x.toFixed(2)).join(' ')}`);
  try {
    await withPg(url, async (raw) => {
      for (const scope of SCOPES.map((k) => f.scopes.find((x) => x.key === k)).filter(Boolean)) {
        for (const [field, name] of REPORTS) {
          if (!(name in BUILT)) {
            log(`${scope.key.padEnd(12)} ${name.padEnd(24)} skipped: the report has no roll-up or baseline on this branch`);
            continue;
          }
          const variables = { scope: { clinicId: scope.clinicId, from: scope.from, to: scope.to, groupBy: scope.groupBy } };
          const q = REPORT_QUERY(field);
          const answers = {};
          const measured = {};
          for (const sv of servers) {
            answers[sv.key] = await gql(sv.api.url, token, q, variables); // warm-up (and the answer to compare)
            await gql(sv.api.url, token, q, variables);
            if (EXPLAIN) await explainRequest(raw, f, () => gql(sv.api.url, token, q, variables), `${sv.key} ${scope.key} ${name}`);
            measured[sv.key] = { times: [], split: { stmt: [], stmts: [], apiCpu: [], pgCpu: [], wait: [] } };
          }
          // The APIs' PostgreSQL backends (their pools' connections to this database), for their scheduler statistics. One
          // request runs at a time, so the backends' CPU over a request is that request's.
          const pgFiles = (
            await raw.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name NOT LIKE 'fascia-bench-reports%'`)
          ).rows.map((r) => `/proc/${r.pid}/schedstat`);
          // Request by request in turn across the servers: the same load for each.
          for (let i = 0; i < RUNS; i++) {
            for (const sv of servers) {
              const { times, split } = measured[sv.key];
              const threads = selfThreads();
              const main0 = schedstat([MAIN_THREAD]);
              const n0 = schedstat(threads);
              const p0 = schedstat(pgFiles);
              const s0 = { ...statements };
              const t = performance.now();
              answers[sv.key] = await gql(sv.api.url, token, q, variables);
              times.push(performance.now() - t);
              const s1 = { ...statements };
              const n1 = schedstat(threads);
              const main1 = schedstat([MAIN_THREAD]);
              const p1 = schedstat(pgFiles);
              split.stmt.push(s1.ms - s0.ms);
              split.stmts.push(s1.count - s0.count);
              if (schedReadable) {
                split.apiCpu.push((n1[0] - n0[0]) / 1e6);
                split.pgCpu.push((p1[0] - p0[0]) / 1e6);
                // The main thread's wait (JavaScript: GraphQL, the client) and the backends': the request's path. Helper
                // threads (GC, libuv) run beside it, so their waits are not counted.
                split.wait.push((main1[1] - main0[1] + (p1[1] - p0[1])) / 1e6);
              }
            }
          }
          const rawTimes = [];
          let base = null;
          // The raw queries of the organization-year take seconds: past 10 s in all, one run is enough.
          for (let i = 0; i < (RAW_SCOPES.includes(scope.key) ? RAW_RUNS : 0) && (i === 0 || rawTimes.reduce((a, b) => a + b, 0) < 10_000); i++) {
            const t = performance.now();
            base = await testing.baselineReport(pgQueryable(raw), name, {
              organizationId: f.organizationId,
              clinicIds: scope.clinicId ? [scope.clinicId] : null,
              from: scope.from,
              to: scope.to,
              groupBy: scope.groupBy,
            });
            rawTimes.push(performance.now() - t);
          }
          const differs = (a, b) => (a === null || b === null ? a !== b : Math.abs(a - b) > 1e-6 * Math.max(1, Math.abs(b)));
          for (const sv of servers) {
            const answer = answers[sv.key];
            const { times, split } = measured[sv.key];
            const cols = answer.r.columns.map((col) => col.key);
            const mismatches = !base ? [] : cols.flatMap((k, i) => (differs(answer.r.total.values[i], base.total[i]) ? [`${k}: api ${answer.r.total.values[i]} raw ${base.total[i]}`] : []));
            // Before → after: this build's whole answer (rows, totals, freshness) against the baseline's.
            const sameAsBaseline = sv.key === 'this' && baseApi ? JSON.stringify(answer.r) === JSON.stringify(answers.baseline.r) : null;
            const r = {
              server: sv.key,
              scope: scope.key,
              report: name,
              p50: pct(times, 50),
              p95: pct(times, 95),
              rawP50: pct(rawTimes, 50),
              rawP95: pct(rawTimes, 95),
              rows: answer.r.rows.length,
              pending: answer.r.freshness.pendingChanges,
              note: answer.r.note,
              mismatches,
              sameAsBaseline,
              load: os.loadavg()[0],
              stmtP50: pct(split.stmt, 50),
              stmts: pct(split.stmts, 50),
              apiCpuP50: schedReadable ? pct(split.apiCpu, 50) : null,
              pgCpuP50: schedReadable ? pct(split.pgCpu, 50) : null,
              pgCpuP95: schedReadable ? pct(split.pgCpu, 95) : null,
              waitP50: schedReadable ? pct(split.wait, 50) : null,
              waitP95: schedReadable ? pct(split.wait, 95) : null,
              // Latency minus the CPU queueing of the same request: what it would take on an idle machine (roughly).
              unqueuedP95: schedReadable ? pct(times.map((x, i) => x - split.wait[i]), 95) : null,
            };
            r.ratio = base ? r.rawP50 / r.p50 : NaN;
            results.push(r);
            log(`${baseApi ? `${sv.key.padEnd(9)}` : ''}${scope.key.padEnd(12)} ${name.padEnd(24)} p50 ${ms(r.p50).padStart(6)} ms  p95 ${ms(r.p95).padStart(6)} ms | statements ${ms(r.stmtP50)} ms (${r.stmts}) cpu api ${ms(r.apiCpuP50)} pg ${ms(r.pgCpuP50)} waiting ${ms(r.waitP50)} ms, p95 less waiting ${ms(r.unqueuedP95)} ms | raw p50 ${ms(r.rawP50).padStart(7)} ms | ${r.ratio.toFixed(1).padStart(7)}× | ${r.mismatches.length ? `totals differ: ${r.mismatches.join('; ')}` : 'totals equal'}${sameAsBaseline === null ? '' : sameAsBaseline ? ' | answer = baseline' : ' | ANSWER DIFFERS FROM BASELINE'}${r.note ? ` | note: ${r.note}` : ''}`);
          }
        }
      }
    });
  } finally {
    await api.stop();
    if (baseApi) await baseApi.stop();
  }
  const loadAfter = os.loadavg();
  log(`load average after the measurements: ${loadAfter.map((x) => x.toFixed(2)).join(' ')}`);

  let catchup = null;
  if (!SKIP_CATCHUP) {
    const n = await makeChanges(url, f.organizationId);
    catchup = { changes: n, ...(await catchUp(url, `caught up after ${n.toLocaleString('en')} changes`)) };
  }

  console.log('');
  console.log(`Reports benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${DB}: ${f.clinicIds.length} clinics, ${f.appointments.toLocaleString('en')} appointments`);
  console.log(`load average (1, 5, 15 min) before the report measurements ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(1)).join(' ')}; 1-min load at each report: ${results.map((r) => r.load.toFixed(1)).join(', ')}`);
  console.log(`GraphQL ${RUNS} requests per report and scope (one client), raw SQL ${RAW_RUNS} runs; targets: p95 < ${TARGET.p95Ms} ms, org-year ≥ ${TARGET.orgYearVsRaw}× raw`);
  console.log('Per request (p50 unless said): statements = the time of its SQL statements as the API saw them (count); CPU = on a CPU (this process\'s threads: GraphQL and the client; PostgreSQL: the API\'s backends); waiting = runnable but waiting for a CPU (this process\'s main thread and the backends); p95 − wait = the p95 of latency less each request\'s waiting.');
  const col = (r) => (BASELINE ? `| ${r.server} ` : '');
  console.log(`${BASELINE ? '| server ' : ''}| scope | report | p50 ms | p95 ms | statements ms (n) | CPU API ms | CPU PostgreSQL ms (p95) | waiting for CPU ms (p95) | p95 − wait ms | raw p50 ms | raw ÷ API (p50) | totals |`);
  console.log(`${BASELINE ? '|---' : ''}|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|`);
  for (const r of results) {
    console.log(
      `${col(r)}| ${r.scope} | ${r.report} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.stmtP50)} (${r.stmts}) | ${ms(r.apiCpuP50)} | ${ms(r.pgCpuP50)} (${ms(r.pgCpuP95)}) | ${ms(r.waitP50)} (${ms(r.waitP95)}) | ${ms(r.unqueuedP95)} | ${ms(r.rawP50)} | ${r.ratio.toFixed(1)}× | ${r.mismatches.length ? `differ (${r.mismatches.join('; ')})` : 'equal'} |`,
    );
  }
  if (BASELINE) {
    console.log(`Before (BENCH_BASELINE ${BASELINE}) → after (this build), measured request by request in turn:`);
    console.log('| scope | report | p50 ms | p95 ms | CPU PostgreSQL ms p50 | p95 − wait ms | same answer |');
    console.log('|---|---|---:|---:|---:|---:|---|');
    for (const r of results.filter((x) => x.server === 'this')) {
      const b = results.find((x) => x.server === 'baseline' && x.scope === r.scope && x.report === r.report);
      const arrow = (k) => `${ms(b?.[k])} → ${ms(r[k])}`;
      console.log(`| ${r.scope} | ${r.report} | ${arrow('p50')} | ${arrow('p95')} | ${arrow('pgCpuP50')} | ${arrow('unqueuedP95')} | ${r.sameAsBaseline ? 'yes' : 'NO'} |`);
    }
  }
  const slow = results.filter((r) => r.server === 'this' && r.p95 >= TARGET.p95Ms);
  const lowRatio = results.filter((r) => r.server === 'this' && r.scope === 'org-year' && r.ratio < TARGET.orgYearVsRaw);
  console.log(`p95 target (< ${TARGET.p95Ms} ms): ${slow.length ? `missed by ${slow.map((r) => `${r.scope} ${r.report} ${ms(r.p95)} ms`).join(', ')}` : 'met by every report'}`);
  console.log(`org-year ratio target (≥ ${TARGET.orgYearVsRaw}×): ${lowRatio.length ? `missed by ${lowRatio.map((r) => `${r.report} ${r.ratio.toFixed(1)}×`).join(', ')}` : 'met by every report'}`);
  console.log(`roll-up first fill: ${firstFill.marks.toLocaleString('en')} marks in ${firstFill.seconds.toFixed(1)} s (${DRAINERS} drainers)`);
  if (catchup) console.log(`catch-up after ${catchup.changes.toLocaleString('en')} changes: ${catchup.marks.toLocaleString('en')} marks in ${catchup.seconds.toFixed(1)} s (${DRAINERS} drainers)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
