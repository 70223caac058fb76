// Worker benchmark (`npm run bench -w @fascia/worker`, or the root `npm run bench`).
//
// FOUR worker processes (child processes running the built runtime, bench/child.cjs) against a
// local SMTP sink (smtp-server), on Redis and on BullMQ's PostgreSQL backend, each backend on a
// fresh database:
//  - delivered/s: N reminders due now (rows written first, their outbox rows committed in one
//    statement once the four processes run): from that commit until every reminder is SENT and
//    the sink holds every message;
//  - scheduled/s: BENCH_N_SCHEDULE appointments' `appointment.changed` jobs → reminder rows and
//    their outbox rows → delayed jobs;
//  - the baseline, measured in the same run on the same backend: a no-op job's throughput (one
//    in-process BullMQ worker, the same concurrency).
// Prints the ratios: Redis delivered/s against the 1,000/s target, PostgreSQL against 0.3 × Redis.
//
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres: a
// fresh database per backend, dropped after) and, for the Redis row, Redis (BENCH_REDIS_URL,
// default redis://127.0.0.1:6379; skipped with a note when unreachable). BENCH_N reminders
// (default 3000), BENCH_HISTORY reminders already sent before the run (default BENCH_N; 0: empty tables, as before wave 9), BENCH_PROCESSES (4), BENCH_CONCURRENCY (the worker's default unless set),
// BENCH_LOG_LEVEL of the workers (warn), and beside the workers' and PostgreSQL's CPU per reminder, the Redis server's
// (INFO cpu: the whole server, so another user of it shows here too) and this process's (the SMTP sink and the bench's polling), BENCH_PROFILE_DIR (a CPU profile of the first worker process over the delivery phase, written there as delivery-<backend>-<time>.cpuprofile), BENCH_BATCH_STATS=1 (each process prints its statements' batch sizes), BENCH_DB_POOL_SIZE (6) and BENCH_QUEUE_PG_POOL_SIZE (2) per
// process, so that four processes stay well inside one server's max_connections. Runs against
// dist/ (built first). Bounded: each wait gives up when nothing moves for 20 s; a run takes
// about a minute. BENCH_BASELINE / BENCH_ROUNDS: before → after in one run (see startProcesses).
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
for (const f of ['../dist/runtime.js', '../../../packages/db/dist/index.js', '../../../packages/jobs/dist/index.js']) {
  if (!existsSync(join(here, f))) {
    console.error(`${f} is missing: run \`npm run build\` first (npm run bench builds the worker's packages).`);
    process.exit(1);
  }
}
const { migrate } = require('@fascia/db');
const { createQueue, createWorker } = require('@fascia/jobs');
const { Client } = require('pg');
const { SMTPServer } = require('smtp-server');
const IORedis = require('ioredis');

const N = Number(process.env.BENCH_N ?? 3000);
const N_SCHEDULE = Number(process.env.BENCH_N_SCHEDULE ?? 400);
const HISTORY = Number(process.env.BENCH_HISTORY ?? N);
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 4);
const CONCURRENCY = process.env.BENCH_CONCURRENCY;
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const BASELINE_CONCURRENCY = Number(CONCURRENCY ?? 20);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const STALL_MS = 20_000;
const TARGET = 1000;
const CLK_TCK = 100; // Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

const admin = async (sql) => {
  const c = new Client({ connectionString: SERVER });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
};
const urlFor = (db) => {
  const u = new URL(SERVER);
  u.pathname = `/${db}`;
  return u.toString();
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Waits until `done()`; gives up when `progress()` has not moved for STALL_MS (never on a fixed deadline). */
async function until(what, done, progress, everyMs = 50) {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    if (await done()) return;
    const p = await progress();
    if (p !== last) {
      last = p;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > STALL_MS) throw new Error(`bench: no progress for ${STALL_MS / 1000} s waiting for ${what} (at ${p})`);
    await sleep(everyMs);
  }
}

async function smtpSink() {
  let received = 0;
  let connections = 0;
  const server = new SMTPServer({
    onConnect(_session, cb) {
      connections++;
      cb();
    },
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 1000,
    onData(stream, _s, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${server.server.address().port}`, received: () => received, connections: () => connections, close: () => new Promise((r) => server.close(r)) };
}

async function noopBaseline(queueCfg) {
  const name = `fascia-bench-noop-${randomBytes(4).toString('hex')}`;
  const q = createQueue(name, queueCfg);
  await q.waitUntilReady();
  let done = 0;
  const w = createWorker(name, async () => void done++, queueCfg, { concurrency: BASELINE_CONCURRENCY, autorun: false });
  await q.addBulk(Array.from({ length: N }, (_, i) => ({ name: 'staff.invitation.send', data: { i } })));
  const t0 = performance.now();
  void w.run();
  await until('no-op jobs', async () => done >= N, async () => done, 10);
  const rate = N / ((performance.now() - t0) / 1000);
  await w.close();
  await q.obliterate({ force: true }).catch(() => {});
  await q.close();
  return rate;
}

/** N clients, practitioners and appointments starting at `startsAt`; returns the appointment ids. */
async function seedAppointments(db, orgId, clinicId, userId, n, startsAt, createdAt, tag) {
  const { rows } = await db.query(
    `WITH p AS (INSERT INTO practitioner (organization_id, display_name, discipline) SELECT $1, 'P ' || g, 'MASSAGE_THERAPIST' FROM generate_series(1, $2) g RETURNING id),
          pn AS (SELECT id, row_number() OVER () n FROM p),
          c AS (INSERT INTO client (organization_id, first_name, last_name, email, reminder_consent, clinic_ids)
                SELECT $1, 'C', $7 || g, $7 || g || '@bench.test', true, ARRAY[$3::uuid] FROM generate_series(1, $2) g RETURNING id),
          cn AS (SELECT id, row_number() OVER () n FROM c)
     INSERT INTO appointment (organization_id, clinic_id, practitioner_id, client_id, starts_at, ends_at, created_by, created_at, updated_at)
     SELECT $1, $3, pn.id, cn.id, $4, $4::timestamptz + interval '30 minutes', $5, $6, $6 FROM pn JOIN cn USING (n) RETURNING id`,
    [orgId, n, clinicId, startsAt, userId, createdAt, tag],
  );
  return rows.map((r) => r.id);
}

/**
 * BENCH_BASELINE=<apps/worker directory of a built copy of another commit (main)>: each backend
 * is run for the baseline and for this tree, alternately (BENCH_ROUNDS rounds, default 1), in
 * the same run: the before → after of a change on the same machine at the same load. The
 * baseline's processes are its own bench/child.cjs and dist/ (its code, this bench).
 */
const BASELINE = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : null;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
if (BASELINE && !existsSync(join(BASELINE, 'bench/child.cjs'))) {
  console.error(`BENCH_BASELINE=${BASELINE}: no bench/child.cjs there (give the apps/worker directory of a built copy)`);
  process.exit(1);
}

function startProcesses(env, dir) {
  return Promise.all(
    Array.from({ length: PROCESSES }, () => {
      const child = fork(join(dir, 'bench', 'child.cjs'), [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      return new Promise((resolve, reject) => {
        child.once('message', (m) => (m === 'ready' ? resolve({ child, exited }) : reject(new Error(`worker said ${m}`))));
        child.once('exit', (code) => reject(new Error(`a worker process exited (${code}) before it was ready`)));
      });
    }),
  );
}

async function runBackend(kind, variant = { label: 'this tree', dir: join(here, '..') }) {
  const dbName = `fascia_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const url = urlFor(dbName);
  const smtp = await smtpSink();
  const db = new Client({ connectionString: url });
  let procs = [];
  let queueCfg;
  try {
    await migrate(url);
    await db.connect();
    queueCfg = kind === 'redis' ? { kind: 'redis', url: REDIS, prefix: `fascia-bench-${randomBytes(4).toString('hex')}` } : { kind: 'postgres', connectionString: url };
    const baseline = await noopBaseline(queueCfg);

    const [{ id: orgId }] = (await db.query(`INSERT INTO organization (name, slug) VALUES ('Bench', 'bench-' || substr(md5(random()::text), 1, 8)) RETURNING id`)).rows;
    const [{ id: clinicId }] = (await db.query(`INSERT INTO clinic (organization_id, name, address_line1, city, country, time_zone) VALUES ($1, 'Bench Clinic', '1 St', 'London', 'GB', 'UTC') RETURNING id`, [orgId])).rows;
    await db.query(`INSERT INTO reminder_policy (organization_id, clinic_id, lead_minutes, channels, quiet_start, quiet_end) VALUES ($1, $2, '{60}', '{EMAIL}', '00:00', '00:00')`, [orgId, clinicId]);
    const userId = '00000000-0000-4000-8000-000000000000';
    const count = async (sql) => Number((await db.query(sql)).rows[0].n);

    // The reminders to deliver: appointments in two hours, one reminder each, due now, written
    // before the workers start; their outbox rows are what the workers will see.
    const startsAt = new Date(Date.now() + 2 * 3600_000);
    const appts = await seedAppointments(db, orgId, clinicId, userId, N, startsAt, new Date(Date.now() - 3600_000), 'b');
    await db.query(
      `INSERT INTO reminder (id, organization_id, clinic_id, kind, appointment_id, client_id, channel, lead_minutes, due_at, send_at, appointment_starts_at, status, delivery_key)
       SELECT gen_random_uuid(), $1, $2, 'APPOINTMENT', a.id, a.client_id, 'EMAIL', 120, now(), now(), a.starts_at, 'SCHEDULED', 'appointment:' || a.id || ':EMAIL:120'
       FROM appointment a WHERE a.id = ANY($3::uuid[])`,
      [orgId, clinicId, appts],
    );
    // The history of a clinic that has sent reminders before (BENCH_HISTORY, default N): past
    // appointments' reminders SENT, their delivery rows and their dispatched outbox rows. The
    // worker's statements are prepared and planned generically once per connection from the
    // statistics of this ANALYZE; on empty delivery and outbox tables those plans scan the whole
    // table (by then thousands of rows) at every claim and settle, which no running deployment does.
    if (HISTORY > 0) {
      const past = await seedAppointments(db, orgId, clinicId, userId, HISTORY, new Date(Date.now() - 24 * 3600_000), new Date(Date.now() - 72 * 3600_000), 'h');
      await db.query(
        `WITH r AS (
           INSERT INTO reminder (id, organization_id, clinic_id, kind, appointment_id, client_id, channel, lead_minutes, due_at, send_at, appointment_starts_at, status, attempts, delivery_key)
           SELECT gen_random_uuid(), $1, $2, 'APPOINTMENT', a.id, a.client_id, 'EMAIL', 120, a.starts_at - interval '2 hours', a.starts_at - interval '2 hours', a.starts_at, 'SENT', 1, 'appointment:' || a.id || ':EMAIL:120'
           FROM appointment a WHERE a.id = ANY($3::uuid[]) RETURNING id, organization_id, delivery_key, send_at),
         o AS (
           INSERT INTO outbox_message (id, organization_id, job_name, payload, dispatched_at, attempts, created_at)
           SELECT r.id, r.organization_id, 'reminder.send', jsonb_build_object('organizationId', r.organization_id::text, 'reminderId', r.id::text), r.send_at, 1, r.send_at - interval '2 days' FROM r)
         INSERT INTO delivery (organization_id, delivery_key, channel, recipient, template, status, attempts, provider_ref, outbox_id, created_at, sent_at)
         SELECT r.organization_id, r.delivery_key, 'EMAIL', 'past@bench.test', 'reminder-appointment', 'SENT', 1, 'bench-history', r.id, r.send_at, r.send_at FROM r`,
        [orgId, clinicId, past],
      );
    }
    await db.query('ANALYZE');

    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      APP_SECRET: 'bench-secret-0123456789abcdef0123456789',
      ADMIN_URL: 'http://admin.bench',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Bench <bench@fascia.test>',
      SWEEPS: 'off',
      SMS_PROVIDER: 'console',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      ...(process.env.BENCH_BATCH_STATS ? { BENCH_BATCH_STATS: '1' } : {}),
      ...(CONCURRENCY ? { WORKER_CONCURRENCY: CONCURRENCY } : {}),
      ...(process.env.BENCH_OUTBOX_BATCH_SIZE ? { OUTBOX_BATCH_SIZE: process.env.BENCH_OUTBOX_BATCH_SIZE } : {}),
      ...(process.env.BENCH_SMTP_MAX_CONNECTIONS ? { SMTP_MAX_CONNECTIONS: process.env.BENCH_SMTP_MAX_CONNECTIONS } : {}),
      // Four processes share one PostgreSQL server (max_connections 100 here, with other suites on it).
      WORKER_DB_POOL_SIZE: process.env.BENCH_DB_POOL_SIZE ?? '6',
      QUEUE_PG_POOL_SIZE: process.env.BENCH_QUEUE_PG_POOL_SIZE ?? '2',
      ...(kind === 'redis' ? { REDIS_URL: REDIS, QUEUE_PREFIX: queueCfg.prefix } : {}),
    };
    procs = await startProcesses(env, variant.dir);

    /** CPU time (user + system, ms) the worker processes have used so far. */
    const workerCpuMs = async () => {
      const each = await Promise.all(
        procs.map((p) => new Promise((resolve) => {
          const on = (m) => {
            if (m && typeof m === 'object' && 'cpu' in m) {
              p.child.off('message', on);
              resolve(m.cpu);
            }
          };
          p.child.on('message', on);
          p.child.send('cpu');
        })),
      );
      const user = each.reduce((a, c) => a + c.user / 1000, 0);
      const system = each.reduce((a, c) => a + c.system / 1000, 0);
      return { ms: user + system, user, system };
    };
    /** CPU time (ms) of this database's PostgreSQL backends (the workers' and the queue's connections), from /proc; null elsewhere. */
    const pgCpuMs = async () => {
      const pids = (await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows.map((r) => r.pid);
      let ms = 0;
      for (const pid of pids) {
        try {
          const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
          ms += ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
        } catch {
          return null;
        }
      }
      return { ms, pids: new Set(pids) };
    };
    /** BENCH_PROFILE_DIR: the first worker process profiles the delivery phase alone (bench/child.cjs). */
    const profile = (what, file) =>
      PROFILE_DIR && variant.dir === join(here, '..')
        ? new Promise((resolve) => {
            const on = (m) => {
              if (m && typeof m === 'object' && 'profile' in m) {
                procs[0].child.off('message', on);
                resolve(m);
              }
            };
            procs[0].child.on('message', on);
            procs[0].child.send({ profile: what, file });
          })
        : Promise.resolve();
    /** BENCH_PG_STATS=1: what the database did over the delivery phase (transactions, rows read, scans per table). */
    const pgStats = async () => {
      const [d] = (await db.query(`SELECT xact_commit + xact_rollback AS xacts, tup_returned, tup_fetched, tup_inserted, tup_updated, blks_hit + blks_read AS blks FROM pg_stat_database WHERE datname = current_database()`)).rows;
      const tables = (await db.query(`SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) AS idx_scan, coalesce(idx_tup_fetch, 0) AS idx_tup_fetch, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE schemaname = 'public'`)).rows;
      return { d, tables };
    };
    /** CPU time (ms) of the Redis server so far (INFO cpu: the whole server, whoever else uses it). */
    const redisCpuMs = async () => {
      if (kind !== 'redis') return null;
      const r = new IORedis(REDIS, { maxRetriesPerRequest: 1 });
      try {
        const info = await r.info('cpu');
        const v = (k) => Number(new RegExp(`^${k}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
        return (v('used_cpu_sys') + v('used_cpu_user')) * 1000;
      } finally {
        r.disconnect();
      }
    };
    /** CPU time (ms) of this process: the bench's own polling and the SMTP sink. */
    const benchCpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const statsBefore = process.env.BENCH_PG_STATS ? await pgStats() : null;
    await profile('start');
    const cpuBefore = await workerCpuMs();
    const pgBefore = await pgCpuMs();
    const redisBefore = await redisCpuMs();
    const benchBefore = benchCpuMs();
    // Delivery: the outbox rows of every reminder, committed at once.
    const sentBefore = await count(`SELECT count(*) n FROM reminder WHERE status = 'SENT'`);
    const sent = async () => (await count(`SELECT count(*) n FROM reminder WHERE status = 'SENT'`)) - sentBefore;
    let t0 = performance.now();
    await db.query(
      `INSERT INTO outbox_message (id, organization_id, job_name, payload)
       SELECT r.id, r.organization_id, 'reminder.send', jsonb_build_object('organizationId', r.organization_id::text, 'reminderId', r.id::text) FROM reminder r WHERE r.status = 'SCHEDULED'`,
    );
    await until('reminders delivered', async () => smtp.received() >= N && (await sent()) >= N, sent, 100);
    const delivered = N / ((performance.now() - t0) / 1000);
    const benchCpuPerReminder = (benchCpuMs() - benchBefore) / N;
    const cpuAfter = await workerCpuMs();
    const cpuPerReminder = (cpuAfter.ms - cpuBefore.ms) / N;
    const workerSystemShare = (cpuAfter.system - cpuBefore.system) / Math.max(cpuAfter.ms - cpuBefore.ms, 1e-9);
    const redisAfter = await redisCpuMs();
    const redisCpuPerReminder = redisBefore !== null && redisAfter !== null ? (redisAfter - redisBefore) / N : null;
    const pgAfter = await pgCpuMs();
    await profile('stop', join(PROFILE_DIR ?? '.', `delivery-${kind}-${Date.now()}.cpuprofile`));
    // Backends that came and went during the run are not counted: the figure is a floor.
    const pgCpuPerReminder = pgBefore && pgAfter ? (pgAfter.ms - pgBefore.ms) / N : null;
    const failed = await count(`SELECT count(*) n FROM delivery WHERE status <> 'SENT'`);
    if (statsBefore) {
      await sleep(1500); // the statistics collector's flush (stats_fetch_consistency / pgstat flush interval)
      const after = await pgStats();
      const per = (a, b) => ((Number(a) - Number(b)) / N).toFixed(2);
      console.log(`[${kind} ${variant.label}] per reminder: transactions ${per(after.d.xacts, statsBefore.d.xacts)}, rows returned ${per(after.d.tup_returned, statsBefore.d.tup_returned)}, fetched ${per(after.d.tup_fetched, statsBefore.d.tup_fetched)}, buffers ${per(after.d.blks, statsBefore.d.blks)}`);
      for (const t of after.tables) {
        const b = statsBefore.tables.find((x) => x.relname === t.relname) ?? {};
        const delta = (k) => Number(t[k]) - Number(b[k] ?? 0);
        if (delta('seq_scan') + delta('idx_scan') + delta('n_tup_upd') === 0) continue;
        console.log(`  ${t.relname.padEnd(22)} seq ${delta('seq_scan')} (${delta('seq_tup_read')} rows)  idx ${delta('idx_scan')} (${delta('idx_tup_fetch')} rows)  upd ${delta('n_tup_upd')} (hot ${delta('n_tup_hot_upd')})`);
      }
    }

    // Scheduling: appointment.changed for appointments in two hours → reminder rows + outbox → delayed jobs.
    const later = await seedAppointments(db, orgId, clinicId, userId, N_SCHEDULE, new Date(Date.now() + 3 * 3600_000), new Date(), 'a');
    const relayed = async () => (await count(`SELECT count(*) n FROM outbox_message WHERE job_name = 'reminder.send' AND dispatched_at IS NOT NULL`)) - HISTORY;
    t0 = performance.now();
    await db.query(
      `INSERT INTO outbox_message (organization_id, job_name, payload)
       SELECT $1::uuid, 'appointment.changed', jsonb_build_object('organizationId', $1::uuid::text, 'appointmentId', a) FROM unnest($2::uuid[]) a`,
      [orgId, later],
    );
    await until('reminders scheduled', async () => (await relayed()) >= N + N_SCHEDULE, relayed);
    const scheduled = N_SCHEDULE / ((performance.now() - t0) / 1000);
    return { kind, variant: variant.label, baseline, scheduled, delivered, cpuPerReminder, workerSystemShare, pgCpuPerReminder, redisCpuPerReminder, benchCpuPerReminder, failed, repeats: smtp.received() - N, smtpConnections: smtp.connections() };
  } finally {
    for (const p of procs) p.child.send('stop');
    await Promise.all(procs.map((p) => p.exited));
    if (queueCfg?.kind === 'redis') {
      for (const name of ['fascia-notifications', 'fascia-scheduling']) {
        const q = createQueue(name, queueCfg);
        await q.obliterate({ force: true }).catch(() => {});
        await q.close();
      }
    }
    await db.end().catch(() => {});
    await smtp.close();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  }
}

async function redisReachable() {
  const r = new IORedis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

const rows = [];
const backends = (process.env.BENCH_BACKENDS ?? 'redis,postgres').split(',').filter(Boolean);
if (backends.includes('redis') && !(await redisReachable())) {
  console.log(`(Redis at ${REDIS} is not reachable: Redis row skipped)`);
  backends.splice(backends.indexOf('redis'), 1);
}
const variants = BASELINE ? [{ label: 'baseline', dir: BASELINE }, { label: 'this tree', dir: join(here, '..') }] : [{ label: 'this tree', dir: join(here, '..') }];
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of backends)
    for (const v of variants) {
      const r = { ...(await runBackend(kind, v)), round: round + 1, load: os.loadavg()[0] };
      rows.push(r);
      // Each run as it ends, so a run cut short still has its figures.
      console.log(`[${kind} ${v.label} round ${r.round}] load ${r.load.toFixed(1)}: ${r.delivered.toFixed(0)} delivered/s, no-op ${r.baseline.toFixed(0)}/s, worker CPU ${r.cpuPerReminder.toFixed(2)} ms (${(r.workerSystemShare * 100).toFixed(0)} % in the kernel), PostgreSQL CPU ${r.pgCpuPerReminder?.toFixed(2) ?? 'n/a'} ms, Redis CPU ${r.redisCpuPerReminder?.toFixed(2) ?? 'n/a'} ms, bench + SMTP sink CPU ${r.benchCpuPerReminder.toFixed(2)} ms per reminder, not SENT ${r.failed}, SMTP repeats ${r.repeats}`);
    }
}
const f = (x) => x.toFixed(0).padStart(7);
console.log(
  `\nworker bench: ${N} reminders (${HISTORY} sent before), ${PROCESSES} worker processes (concurrency ${CONCURRENCY ?? 'default'}), local SMTP sink; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
);
console.log('backend    variant    round load  no-op jobs/s  reminders delivered/s (×no-op)  worker CPU ms/reminder  PostgreSQL CPU ms/reminder  Redis CPU  bench+sink CPU  scheduled/s (×no-op)  not SENT  SMTP repeats  SMTP connections');
for (const r of rows) {
  console.log(
    `${r.kind.padEnd(9)}  ${r.variant.padEnd(9)}  ${String(r.round).padStart(3)}  ${r.load.toFixed(1).padStart(4)}  ${f(r.baseline)}       ${f(r.delivered)}  (${(r.delivered / r.baseline).toFixed(2)})            ${r.cpuPerReminder.toFixed(2).padStart(7)}              ${r.pgCpuPerReminder === null ? '    n/a' : r.pgCpuPerReminder.toFixed(2).padStart(7)}                 ${r.redisCpuPerReminder === null ? '  n/a' : r.redisCpuPerReminder.toFixed(2).padStart(5)}     ${r.benchCpuPerReminder.toFixed(2).padStart(5)}          ${f(r.scheduled)}  (${(r.scheduled / r.baseline).toFixed(2)})   ${String(r.failed).padStart(7)}  ${String(r.repeats).padStart(7)}  ${String(r.smtpConnections).padStart(6)}`,
  );
}
for (const v of variants) {
  const mean = (kind, key) => {
    const rs = rows.filter((r) => r.kind === kind && r.variant === v.label);
    return rs.length ? rs.reduce((a, r) => a + r[key], 0) / rs.length : null;
  };
  const redis = mean('redis', 'delivered');
  const pg = mean('postgres', 'delivered');
  const tag = variants.length > 1 ? `${v.label}: ` : '';
  if (redis !== null) console.log(`${tag}Redis delivered/s vs target ${TARGET}: ${(redis / TARGET).toFixed(2)}×${ROUNDS > 1 ? ` (mean of ${ROUNDS} rounds)` : ''}`);
  if (redis !== null && pg !== null) console.log(`${tag}PostgreSQL delivered/s vs Redis: ${(pg / redis).toFixed(2)}× (target 0.3×)`);
}
process.exit(0);
