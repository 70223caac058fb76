// The month roll-ups at the reference shape (docs/reports.md "Month roll-ups at the reference shape"): on a database the
// reports bench filled (BENCH_REPORTS_DB, default fascia_scale_reports), inside ONE transaction that is rolled back at the
// end (nothing is kept), the roll-up rows are reshaped as a real chain's would be and the organization-year statements are
// timed with and without the month roll-ups:
//  - the generated plans all start on one day with one condition (so at 0.1 the month roll-up holds one row per clinic);
//    here each `report_plan` row gets a start day spread over the last BENCH_SPREAD_MONTHS months (default 24) and one of
//    BENCH_CONDITIONS conditions (default 8);
//  - BENCH_COPIES (default 10) copies of every `report_plan` and `report_clinic_day` row under new clinic ids (FK checks off
//    in this transaction: session_replication_role = replica) make the 0.1 database's roll-ups the reference size's
//    (1,000 clinics' days, ~860,000 plans); a database with fewer plans than BENCH_PLANS / BENCH_COPIES (default 850,000 / 10)
//    first gets copies of each plan spread over the organization's clinics, each with its own start and condition (the API
//    reference database holds 250 plans, all in one clinic);
//  - the month roll-ups are refilled from those rows, ANALYZE, then each report's statement (reportStatement of the report
//    service, as the API runs it, over the organization's last 365 days grouped by month — and over the last 12 whole
//    months, and 12 whole months plus 4, 8, 15, 19, 22 and 26 days: more and more edge days) is run under EXPLAIN ANALYZE BENCH_RUNS times
//    (default 7) three ways, in turn: day and plan rows only (before), as the API runs it (after: the edge guard may send a plan
//    report to its plan rows), and the month roll-ups whatever the edges (unguarded); the median execution times print.
//    BENCH_RANGES: which ranges (comma-separated keys as printed).
//    BENCH_REPORTS: which reports (comma-separated); BENCH_EXPLAIN=1 prints each statement's plan once.
//  - the organization-day roll-ups of the plan reports (migration 1765000000000; applied inside the transaction, without its
//    table lock, when the database has not run it): refilled from the reshaped plans like the month roll-ups; `main` times each
//    statement as main's API builds it (month roll-ups and the edge guard, no organization-day rows) beside the three ways above.
//    BENCH_WAYS: which ways (comma-separated: before, main, after, unguarded; default main,after). Then the cost the
//    organization-days add to a drain batch: the month and organization-day recomputes of BENCH_RECOMPUTE_PLANS (default 500)
//    random plans' keys, each timed BENCH_RUNS times under a savepoint rolled back.
// Run from apps/api after `npx turbo run build`: node bench/report-months.mjs
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);
const { Client } = require('pg');
const { reportStatement, edgeDays } = require('../dist/modules/report/report.service.js');
const { previousPeriod } = require('@fascia/reporting');
const { MIGRATIONS } = require('@fascia/db');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = process.env.BENCH_REPORTS_DB ?? 'fascia_scale_reports';
const SPREAD = Number(process.env.BENCH_SPREAD_MONTHS ?? 24);
const CONDITIONS = Number(process.env.BENCH_CONDITIONS ?? 8);
const COPIES = Number(process.env.BENCH_COPIES ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_PLANS = Number(process.env.BENCH_PLANS ?? 850_000);
const WAYS = (process.env.BENCH_WAYS ?? 'main,after').split(',');
const RECOMPUTE_PLANS = Number(process.env.BENCH_RECOMPUTE_PLANS ?? 500);
const url = new URL(SERVER);
url.pathname = `/${DB}`;

const started = performance.now();
const log = (line) => console.log(`[report-months ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const c = new Client({ connectionString: url.toString(), application_name: 'fascia-bench-report-months' });
await c.connect();
try {
  const [{ org }] = (await c.query(`SELECT o.id AS org FROM organization o JOIN clinic c ON c.organization_id = o.id GROUP BY o.id ORDER BY count(*) DESC LIMIT 1`)).rows;
  const [{ zone }] = (await c.query(`SELECT time_zone AS zone FROM clinic WHERE organization_id = $1 ORDER BY name LIMIT 1`, [org])).rows;
  const [{ today }] = (await c.query(`SELECT to_char((now() AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS today`, [zone])).rows;
  await c.query('BEGIN');
  await c.query(`SET LOCAL session_replication_role = replica`);
  if (!(await c.query(`SELECT to_regclass('report_plan_org_day') AS t`)).rows[0].t) {
    // The organization-day roll-ups' migration, rolled back with the rest (its LOCK TABLE left out: the reference database is shared).
    const migration = new (MIGRATIONS.find((m) => m.name === 'ReportPlanOrgDays1765000000000'))();
    await migration.up({ query: (text) => (/^\s*LOCK TABLE/.test(text) ? Promise.resolve() : c.query(text)) });
    log('applied migration 1765000000000 inside the transaction');
  }
  // A database whose roll-ups were never drained (the API reference database as the API bench keeps it: its marks pending,
  // report_plan and report_clinic_day empty) gets stand-in rows inside the transaction: one report_plan row per treatment
  // plan and one report_clinic_day row per clinic and day of the spread, with pseudo-random facts (the paths are compared
  // with each other, not with the raw tables), and its marks are taken off the queue as a drain would (the freshness count).
  const [{ plansHave, daysHave }] = (await c.query(
    `SELECT EXISTS (SELECT 1 FROM report_plan WHERE organization_id = $1) AS "plansHave", EXISTS (SELECT 1 FROM report_clinic_day WHERE organization_id = $1) AS "daysHave"`,
    [org],
  )).rows;
  if (!plansHave) {
    const { rowCount } = await c.query(
      `INSERT INTO report_plan SELECT tp.organization_id, tp.id, tp.clinic_id, coalesce(tp.practitioner_id, (SELECT id FROM practitioner WHERE organization_id = $1 LIMIT 1)), 'condition-0', $2::date,
              2 + h % 10, 6, 10, (h % 7 = 1)::int, (h % 7 = 2)::int, (h % 7 = 3)::int, CASE WHEN h % 5 = 0 THEN NULL ELSE -((h / 5) % 9)::numeric END,
              (h % 3 = 0)::int, h % 4, h % 2, (h % 11 = 0)::int, (h % 6 = 0)::int, (h % 12 = 0)::int, now() - make_interval(secs => h % 100000)
       FROM (SELECT t.*, abs(hashtext(t.id::text)) AS h FROM treatment_plan t WHERE t.organization_id = $1) tp ORDER BY random()`,
      [org, today],
    );
    log(`report_plan was empty: ${rowCount} stand-in plan rows (one per treatment plan)`);
  }
  if (!daysHave) {
    const { rowCount } = await c.query(
      `INSERT INTO report_clinic_day SELECT c.organization_id, c.id, d::date, 300 + h % 900, 1800, 10 + h % 20, 8 + h % 15, h % 3, h % 2, h % 4, h % 5, 5 + h % 10, now()
       FROM clinic c CROSS JOIN generate_series($2::date - ($3::int * 30 + 30), $2::date, interval '1 day') d
       CROSS JOIN LATERAL (SELECT abs(hashtext(c.id::text || d::text)) AS h) x
       WHERE c.organization_id = $1`,
      [org, today, SPREAD],
    );
    log(`report_clinic_day was empty: ${rowCount} stand-in clinic-day rows`);
  }
  if (!plansHave || !daysHave) {
    const { rowCount } = await c.query(`DELETE FROM report_dirty WHERE organization_id = $1`, [org]);
    log(`${rowCount} pending marks taken off the queue (rolled back with the rest)`);
  }
  log(`reshaping the roll-ups of ${org} (rolled back at the end): starts over ${SPREAD} months, ${CONDITIONS} conditions, ×${COPIES} clinics`);
  await c.query(
    `UPDATE report_plan SET day = ($2::date - (abs(hashtext(plan_id::text)) % ($3::int * 30))), condition = 'condition-' || (abs(hashtext(plan_id::text || 'c')) % $4::int)
     WHERE organization_id = $1`,
    [org, today, SPREAD, CONDITIONS],
  );
  // A database with few plans (the API reference database: 250 in one clinic for 2,000,000 appointments) gets copies of each
  // plan spread over the organization's clinics, each with its own start day and condition, up to BENCH_PLANS plans after the clinic copies (default 850,000:
  // the reference size), inserted in random order as a drain over months would leave them.
  const [{ plans0 }] = (await c.query(`SELECT count(*)::int AS plans0 FROM report_plan WHERE organization_id = $1`, [org])).rows;
  const planCopies = Math.max(1, Math.ceil(TARGET_PLANS / Math.max(1, plans0 * COPIES)));
  if (planCopies > 1) {
    log(`${plans0} plans: ${planCopies} copies of each, spread over the clinics`);
    await c.query(
      `WITH k AS (SELECT array_agg(id ORDER BY id) AS ids FROM clinic WHERE organization_id = $1)
       INSERT INTO report_plan SELECT r.organization_id, gen_random_uuid(), k.ids[1 + abs(hashtext(r.plan_id::text || n || 'k')) % cardinality(k.ids)], r.practitioner_id,
              'condition-' || (abs(hashtext(r.plan_id::text || n || 'c')) % $4::int), ($2::date - (abs(hashtext(r.plan_id::text || n)) % ($3::int * 30))),
              r.sessions, r.expected_min, r.expected_max, r.within_range, r.below_range, r.above_range, r.pain_change, r.reached_benchmark, r.on_time, r.late,
              r.missed, r.in_maintenance, r.booked_within_interval, r.computed_at
       FROM report_plan r, k, generate_series(2, $5::int) n WHERE r.organization_id = $1 ORDER BY random()`,
      [org, today, SPREAD, CONDITIONS, planCopies],
    );
  }
  if (COPIES > 1) {
    await c.query(`CREATE TEMP TABLE clinic_copy ON COMMIT DROP AS SELECT c.id AS clinic_id, n, gen_random_uuid() AS copy_id FROM clinic c, generate_series(2, $2::int) n WHERE c.organization_id = $1`, [org, COPIES]);
    await c.query(
      `INSERT INTO report_plan SELECT r.organization_id, gen_random_uuid(), k.copy_id, r.practitioner_id, r.condition, r.day, r.sessions, r.expected_min, r.expected_max,
              r.within_range, r.below_range, r.above_range, r.pain_change, r.reached_benchmark, r.on_time, r.late, r.missed, r.in_maintenance, r.booked_within_interval, r.computed_at
       FROM report_plan r JOIN clinic_copy k ON k.clinic_id = r.clinic_id WHERE r.organization_id = $1`,
      [org],
    );
    await c.query(
      `INSERT INTO report_clinic_day SELECT r.organization_id, k.copy_id, r.day, r.booked_minutes, r.available_minutes, r.booked, r.completed, r.no_shows,
              r.late_cancels, r.cancels, r.new_clients, r.returning_clients, r.computed_at
       FROM report_clinic_day r JOIN clinic_copy k ON k.clinic_id = r.clinic_id WHERE r.organization_id = $1`,
      [org],
    );
  }
  await c.query(`DELETE FROM report_plan_month; DELETE FROM report_plan_month_pain; DELETE FROM report_clinic_month`);
  await c.query(`
    INSERT INTO report_plan_month SELECT organization_id, clinic_id, condition, date_trunc('month', day)::date, count(*), sum(sessions), sum(expected_min), sum(expected_max),
      sum(within_range), sum(below_range), sum(above_range), count(pain_change), coalesce(sum(pain_change), 0), sum(reached_benchmark),
      sum(on_time), sum(late), sum(missed), sum(in_maintenance), sum(booked_within_interval), max(computed_at) FROM report_plan GROUP BY 1, 2, 3, 4;
    INSERT INTO report_plan_month_pain SELECT organization_id, clinic_id, condition, date_trunc('month', day)::date, greatest(-10, least(10, floor(pain_change + 0.5)))::smallint,
      count(*), sum(reached_benchmark), max(computed_at) FROM report_plan WHERE pain_change IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO report_clinic_month SELECT organization_id, clinic_id, date_trunc('month', day)::date, sum(booked_minutes), sum(available_minutes), sum(booked), sum(completed),
      sum(no_shows), sum(late_cancels), sum(cancels), sum(new_clients), sum(returning_clients), max(computed_at) FROM report_clinic_day GROUP BY 1, 2, 3;
    DELETE FROM report_plan_org_day; DELETE FROM report_plan_org_day_pain;
    INSERT INTO report_plan_org_day SELECT organization_id, condition, day, count(*), sum(sessions), sum(expected_min), sum(expected_max),
      sum(within_range), sum(below_range), sum(above_range), count(pain_change), coalesce(sum(pain_change), 0), sum(reached_benchmark),
      sum(on_time), sum(late), sum(missed), sum(in_maintenance), sum(booked_within_interval), max(computed_at) FROM report_plan GROUP BY 1, 2, 3;
    INSERT INTO report_plan_org_day_pain SELECT organization_id, condition, day, greatest(-10, least(10, floor(pain_change + 0.5)))::smallint,
      count(*), sum(reached_benchmark), max(computed_at) FROM report_plan WHERE pain_change IS NOT NULL GROUP BY 1, 2, 3, 4;
    ANALYZE report_plan; ANALYZE report_plan_month; ANALYZE report_plan_month_pain; ANALYZE report_clinic_day; ANALYZE report_clinic_month;
    ANALYZE report_plan_org_day; ANALYZE report_plan_org_day_pain;`);
  const counts = (await c.query(
    `SELECT (SELECT count(*) FROM report_plan WHERE organization_id = $1)::int AS plans, (SELECT count(*) FROM report_plan_month WHERE organization_id = $1)::int AS plan_months,
            (SELECT count(*) FROM report_plan_month_pain WHERE organization_id = $1)::int AS pain_months,
            (SELECT count(*) FROM report_clinic_day WHERE organization_id = $1)::int AS clinic_days, (SELECT count(*) FROM report_clinic_month WHERE organization_id = $1)::int AS clinic_months,
            (SELECT count(*) FROM report_plan_org_day WHERE organization_id = $1)::int AS plan_org_days,
            (SELECT count(*) FROM report_plan_org_day_pain WHERE organization_id = $1)::int AS pain_org_days`,
    [org],
  )).rows[0];
  log(`rows: ${Object.entries(counts).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);

  const d = (x) => x.toISOString().slice(0, 10);
  const t = new Date(`${today}T00:00:00Z`);
  const lastMonthEnd = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 0));
  const yearStart = new Date(Date.UTC(lastMonthEnd.getUTCFullYear(), lastMonthEnd.getUTCMonth() - 11, 1));
  const plusDays = (n) => d(new Date(lastMonthEnd.getTime() + n * 86_400_000));
  // Ranges with more and more edge days (the guard's rule is read off these: docs/reports.md "Edge days: the guard").
  const allScopes = [
    { key: 'last 365 days', from: d(new Date(t.getTime() - 364 * 86_400_000)), to: today },
    { key: 'last 12 whole months', from: d(yearStart), to: d(lastMonthEnd) },
    { key: '12 months + 4 days', from: d(yearStart), to: plusDays(4) },
    { key: '12 months + 8 days', from: d(yearStart), to: plusDays(8) },
    { key: '12 months + 15 days', from: d(yearStart), to: plusDays(15) },
    { key: '12 months + 19 days', from: d(yearStart), to: plusDays(19) },
    { key: '12 months + 22 days', from: d(yearStart), to: plusDays(22) },
    { key: '12 months + 26 days', from: d(yearStart), to: plusDays(26) },
  ];
  const wanted = process.env.BENCH_RANGES?.split(',');
  const scopes = wanted ? allScopes.filter((x) => wanted.includes(x.key)) : allScopes;
  const reports = (process.env.BENCH_REPORTS ?? 'plan-sessions,outcomes,outcome-distribution,reassessment-timeliness,retention,utilisation,attendance,clients').split(',');
  const rows = [];
  const ways = [
    ['before', { monthRollups: false, orgDays: false }],
    ['main', { orgDays: false }],
    ['after', {}],
    ['unguarded', { edgeGuard: false, orgDays: false }],
  ].filter(([k]) => WAYS.includes(k));
  for (const scope of scopes) {
    const checked = { clinicIds: null, from: scope.from, to: scope.to, prev: previousPeriod(scope.from, scope.to), groupBy: 'MONTH' };
    for (const name of reports) {
      // before: day and plan rows only; after: as the API runs it (the month roll-ups, unless the edge guard
      // sends a plan report to its plan rows); unguarded: the month roll-ups whatever the edges.
      // main: as main's API runs it (month roll-ups and the guard, no organization-day roll-ups).
      const times = { before: [], main: [], after: [], unguarded: [] };
      // The same less the freshness count (the scan of report_dirty joined to the aggregate): in this transaction the marks it
      // took off the queue are still in the heap, so the count scans them (a parallel scan whose worker start waits for a CPU) —
      // after a drain and a vacuum the queue is a few pages. The aggregate alone is what the paths differ in.
      const aggTimes = { before: [], main: [], after: [], unguarded: [] };
      const freshMs = (node) => {
        const has = (n) => n['Relation Name'] === 'report_dirty' || (n.Plans ?? []).some(has);
        return (node.Plans ?? []).filter(has).reduce((t, n) => t + n['Actual Total Time'], 0);
      };
      const answers = {};
      let guarded = false;
      let path = '';
      for (let i = 0; i < RUNS; i++) {
        for (const [k, opts] of ways) {
          const { sql, params, months, orgDays } = reportStatement(org, name, checked, opts);
          if (k === 'main') guarded = !months;
          if (k === 'after') path = orgDays ? 'organization-days' : months ? 'months' : 'day/plan rows';
          const plan = (await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN'][0];
          times[k].push(plan['Execution Time']);
          aggTimes[k].push(plan['Execution Time'] - freshMs(plan.Plan));
          if (i === 0) answers[k] = JSON.stringify((await c.query(sql, params)).rows.map((r) => JSON.stringify({ ...r, pending: 0, oldest: null })).sort());
          if (i === 0 && process.env.BENCH_EXPLAIN === '1') {
            console.log(`--- ${scope.key} ${name} ${k}\n${(await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n')}`);
          }
        }
      }
      const { edge, range } = edgeDays(checked);
      const base = WAYS.includes('main') ? 'main' : ways[0][0];
      const r = {
        scope: scope.key, name, edge: `${edge}/${range} (${((100 * edge) / range).toFixed(1)} %)`, mainPath: guarded ? 'plan rows (guard)' : 'months', path,
        ...Object.fromEntries(ways.map(([k]) => [k, median(times[k])])),
        ...Object.fromEntries(ways.map(([k]) => [`${k}Agg`, median(aggTimes[k])])),
        same: ways.every(([k]) => answers[k] === answers[base]),
      };
      rows.push(r);
      const ms = (k) => (r[k] === undefined ? '' : `${k} ${r[k].toFixed(1)} ms (${r[`${k}Agg`].toFixed(1)} less freshness)`);
      log(`${scope.key.padEnd(22)} ${name.padEnd(24)} edges ${r.edge} ${ways.map(([k]) => ms(k)).join(', ')} (${WAYS.includes('main') ? `main reads ${r.mainPath}, ` : ''}after reads ${r.path}${r.main && r.after ? `; main ÷ after ${(r.main / r.after).toFixed(1)}×` : ''}) ${r.same ? 'same answer' : 'ANSWERS DIFFER'}`);
    }
  }

  // What the organization-days add to a drain batch: for BENCH_RECOMPUTE_PLANS random plans' keys, the month recompute (as main),
  // the organization-days recomputed from report_plan (the lead's design), and the difference the drain applies (each plan
  // replaced in place: one more session, a newer computed_at).
  const recompute = { months: [], orgDaysExact: [], orgDaysDelta: [] };
  const [{ months: monthKeys, days: dayKeys, before: beforeRows, after: afterRows, n }] = (await c.query(
    `SELECT count(*)::int AS n,
            jsonb_agg(DISTINCT jsonb_build_object('o', organization_id, 'c', clinic_id, 'k', condition, 'm', date_trunc('month', day)::date)) AS months,
            jsonb_agg(DISTINCT jsonb_build_object('o', organization_id, 'k', condition, 'd', day)) AS days,
            jsonb_agg(to_jsonb(r)) AS before,
            jsonb_agg(to_jsonb(r) || jsonb_build_object('sessions', r.sessions + 1, 'computed_at', clock_timestamp())) AS after
     FROM (SELECT * FROM report_plan WHERE organization_id = $1 ORDER BY random() LIMIT $2) r`,
    [org, RECOMPUTE_PLANS],
  )).rows;
  for (let i = 0; i < RUNS; i++) {
    for (const [k, call, params] of [
      ['months', 'fascia_report_recompute_plan_months($1::jsonb)', [monthKeys]],
      ['orgDaysExact', 'fascia_report_recompute_plan_org_days($1::jsonb)', [dayKeys]],
      ['orgDaysDelta', 'fascia_report_apply_plan_org_days($1::jsonb, $2::jsonb)', [beforeRows, afterRows]],
    ]) {
      await c.query('SAVEPOINT recompute');
      const t0 = performance.now();
      await c.query(`SELECT ${call}`, params.map((x) => JSON.stringify(x)));
      recompute[k].push(performance.now() - t0);
      await c.query('ROLLBACK TO SAVEPOINT recompute');
    }
  }
  const drainLine = `drain batch of ${n} random plans (median of ${RUNS}): month recompute (${monthKeys.length} months) ${median(recompute.months).toFixed(1)} ms; organization-days (${dayKeys.length}) recomputed from report_plan ${median(recompute.orgDaysExact).toFixed(1)} ms, by difference ${median(recompute.orgDaysDelta).toFixed(1)} ms`;
  log(drainLine);

  console.log('');
  console.log(`Month and organization-day roll-ups at the reference shape — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${DB}: ${Object.entries(counts).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
  console.log(`PostgreSQL execution time (EXPLAIN ANALYZE, median of ${RUNS}), organization, by month: ${ways.map(([k]) => k).join(', ')} (before: day and plan rows only; main: month roll-ups, or plan rows when the edge guard says so; after: as this API runs it; unguarded: month roll-ups whatever the edges)`);
  console.log(`| range | edge days | report | ${ways.map(([k]) => `${k} ms (less freshness)`).join(' | ')} | main reads | after reads | main ÷ after (less freshness) | same answer |`);
  console.log(`|---|---|---|${ways.map(() => '---:').join('|')}|---|---|---:|---|`);
  for (const r of rows) {
    console.log(`| ${r.scope} | ${r.edge} | ${r.name} | ${ways.map(([k]) => `${r[k].toFixed(1)} (${r[`${k}Agg`].toFixed(1)})`).join(' | ')} | ${r.mainPath} | ${r.path} | ${r.main && r.after ? `${(r.main / r.after).toFixed(1)}× (${(r.mainAgg / r.afterAgg).toFixed(1)}×)` : ''} | ${r.same ? 'yes' : 'NO'} |`);
  }
  console.log(drainLine);
} finally {
  await c.query('ROLLBACK').catch(() => {});
  await c.end();
}
