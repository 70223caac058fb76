// The report roll-ups' drain, before and after the set-based drain (migration 1764945000000), on one
// generated database: docs/reports.md "Benchmark", "Catch-up".
//
//   1. creates BENCH_CATCHUP_DB (default fascia_bench_catchup) with every migration but
//      1764945000000, generates BENCH_FRACTION (default 0.005) of the reference chain;
//   2. before: drains the first fill, writes BENCH_CHANGES (default 10000) appointment changes
//      (cancels, late cancels, no-shows, 500 a transaction, as bench/reports.mjs), drains them;
//   3. applies 1764945000000, checks a full recompute equals the old code's roll-ups;
//   4. after: the same first fill (fascia_report_mark_all) and the same kind of changes, drained;
//   5. checks the incrementally drained roll-ups equal a full recompute.
// BENCH_DRAINERS connections drain at once (default 2). The database is dropped at the end unless BENCH_KEEP=1.
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);
const { createDataSource, migrate } = require('@fascia/db');
const testing = require('@fascia/db/testing');
const { Client } = require('pg');

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = process.env.BENCH_CATCHUP_DB ?? 'fascia_bench_catchup';
const FRACTION = Number(process.env.BENCH_FRACTION ?? 0.005);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 10_000);
const DRAINERS = Number(process.env.BENCH_DRAINERS ?? 2);
const NEW_MIGRATION = 'ReportDrainSetBased1764945000000';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DB)) throw new Error(`BENCH_CATCHUP_DB: "${DB}" is not a database name`);

const started = performance.now();
const log = (line) => console.log(`[catchup ${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s, load ${os.loadavg()[0].toFixed(0)}] ${line}`);
const urlFor = (db) => {
  const u = new URL(SERVER);
  u.pathname = `/${db}`;
  return u.toString();
};
async function withPg(url, fn) {
  const c = new Client({ connectionString: url, application_name: 'fascia-bench-catchup' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function drain(url, label) {
  const pending = await withPg(url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM report_dirty`)).rows[0].n);
  const t0 = performance.now();
  let calls = 0;
  const drainer = () =>
    withPg(url, async (c) => {
      for (;;) {
        const [{ n }] = (await c.query(`SELECT fascia_report_drain(500) AS n`)).rows;
        calls += 1;
        if (n === 0) return;
      }
    });
  await Promise.all(Array.from({ length: DRAINERS }, drainer));
  const seconds = (performance.now() - t0) / 1000;
  log(`${label}: ${pending.toLocaleString('en')} marks drained in ${seconds.toFixed(1)} s by ${DRAINERS} drainers (${calls} calls, ${Math.round(pending / seconds).toLocaleString('en')} marks/s)`);
  return { marks: pending, seconds };
}

async function changes(url) {
  return withPg(url, async (c) => {
    const [{ id: org }] = (await c.query(`SELECT organization_id AS id FROM clinic GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows;
    const t0 = performance.now();
    const ids = (
      await c.query(
        `SELECT id, status FROM appointment WHERE organization_id = $1 AND status IN ('BOOKED', 'COMPLETED') ORDER BY md5(id::text) LIMIT $2`,
        [org, CHANGES],
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
        [org, batch.map((r) => r.id), batch.map((r) => r.status)],
      );
      await c.query('COMMIT');
    }
    const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM report_dirty`)).rows;
    const kinds = ids.reduce((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
    log(`${ids.length.toLocaleString('en')} changes (${JSON.stringify(kinds)}) written in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${n.toLocaleString('en')} dirty marks (${(n / ids.length).toFixed(2)} a change)`);
    return { changes: ids.length, marks: n };
  });
}

/** The roll-ups' content without computed_at, as one digest per table. */
const DIGEST = `SELECT
  (SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (SELECT organization_id, clinic_id, practitioner_id, day, booked_minutes, available_minutes, booked, completed, no_shows, late_cancels, cancels, new_clients, returning_clients FROM report_day) t) AS day,
  (SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (SELECT organization_id, clinic_id, day, booked_minutes, available_minutes, booked, completed, no_shows, late_cancels, cancels, new_clients, returning_clients FROM report_clinic_day) t) AS clinic_day,
  (SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (SELECT organization_id, plan_id, clinic_id, practitioner_id, condition, day, sessions, expected_min, expected_max, within_range, below_range, above_range, pain_change, reached_benchmark, on_time, late, missed, in_maintenance, booked_within_interval FROM report_plan) t) AS plan,
  (SELECT count(*)::int FROM report_day) AS day_rows, (SELECT count(*)::int FROM report_plan) AS plan_rows`;
const digest = (url) => withPg(url, async (c) => (await c.query(DIGEST)).rows[0]);
const same = (a, b) => a.day === b.day && a.clinic_day === b.clinic_day && a.plan === b.plan;

async function main() {
  const url = urlFor(DB);
  await withPg(SERVER, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${DB}`);
    await c.query(`CREATE DATABASE ${DB}`);
  });
  try {
    const ds = createDataSource({ url, poolSize: 2, applicationName: 'fascia-bench-catchup' });
    await ds.initialize();
    try {
      const i = ds.migrations.findIndex((m) => m.name === NEW_MIGRATION);
      if (i < 0) throw new Error(`${NEW_MIGRATION} is not in this build`);
      ds.migrations.splice(i, 1);
      await ds.runMigrations({ transaction: 'each' });
      log(`migrated without ${NEW_MIGRATION}; generating ${FRACTION} of the reference chain…`);
      const r = await testing.generateScale(ds, { ...testing.referenceShape(FRACTION), slug: 'bench-catchup' });
      log(`generated ${Object.values(r.counts).reduce((a, b) => a + b, 0).toLocaleString('en')} rows (${r.counts.appointment?.toLocaleString('en') ?? '?'} appointments) in ${(r.ms / 1000).toFixed(0)} s`);
    } finally {
      await ds.destroy();
    }
    await withPg(url, (c) => c.query('ANALYZE'));

    const before = { fill: await drain(url, 'before: first fill') };
    before.change = await changes(url);
    before.catchup = await drain(url, 'before: catch-up');

    await migrate(url);
    log(`applied ${NEW_MIGRATION}`);
    // The new code over the old code's data: a full recompute must give the rows the old incremental drain left.
    const oldAfterChanges = await digest(url);
    await withPg(url, (c) => c.query(`SELECT fascia_report_mark_all()`));
    const after = { fill: await drain(url, 'after: first fill (fascia_report_mark_all)') };
    const newFull = await digest(url);
    log(`roll-ups of the old drain ${same(oldAfterChanges, newFull) ? 'EQUAL' : 'DIFFER FROM'} a full recompute by the new one (${newFull.day_rows} day rows, ${newFull.plan_rows} plan rows)`);
    after.change = await changes(url);
    after.catchup = await drain(url, 'after: catch-up');
    const incremental = await digest(url);
    await withPg(url, (c) => c.query(`SELECT fascia_report_mark_all()`));
    await drain(url, 'after: full recompute to compare');
    const full = await digest(url);
    log(`after the new catch-up the roll-ups ${same(incremental, full) ? 'EQUAL' : 'DIFFER FROM'} a full recompute`);

    console.log('');
    console.log(`Report catch-up — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg().map((x) => x.toFixed(0)).join(' ')}, fraction ${FRACTION}, ${DRAINERS} drainers`);
    for (const [k, v] of [['before', before], ['after', after]]) {
      console.log(
        `${k}: first fill ${v.fill.marks.toLocaleString('en')} marks ${v.fill.seconds.toFixed(1)} s; ${v.change.changes.toLocaleString('en')} changes → ${v.change.marks.toLocaleString('en')} marks, caught up in ${v.catchup.seconds.toFixed(1)} s`,
      );
    }
    console.log(`catch-up speed-up ${(before.catchup.seconds / after.catchup.seconds).toFixed(1)}×, first fill ${(before.fill.seconds / after.fill.seconds).toFixed(1)}×`);
  } finally {
    if (process.env.BENCH_KEEP !== '1') await withPg(SERVER, (c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
