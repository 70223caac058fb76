// Worker benchmark (`npm run bench -w @fascia/worker`, or the root `npm run bench`): reminders
// scheduled per second (appointment.changed → reminder rows + outbox → delayed jobs) and
// delivered per second (reminder.send → SMTP → delivery row), against a local SMTP server
// (smtp-server), on Redis and on BullMQ's PostgreSQL backend. The baseline, measured in the
// same run on the same backend, is a no-op job's throughput. Runs against dist/ (built first).
//
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres: a
// fresh database is created and dropped) and, for the Redis row, Redis (BENCH_REDIS_URL, default
// redis://127.0.0.1:6379; skipped with a note when unreachable). BENCH_N appointments per phase
// (default 400). Bounded to about a minute.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
for (const f of ['../dist/runtime.js', '../../../packages/db/dist/index.js', '../../../packages/jobs/dist/index.js']) {
  if (!existsSync(join(here, f))) {
    console.error(`${f} is missing: run \`npm run build\` first (npm run bench builds the worker's packages).`);
    process.exit(1);
  }
}
const { startWorker } = require('../dist/runtime.js');
const { migrate } = require('@fascia/db');
const { createQueue, createWorker } = require('@fascia/jobs');
const { Client } = require('pg');
const { SMTPServer } = require('smtp-server');
const pino = require('pino');
const IORedis = require('ioredis');

const N = Number(process.env.BENCH_N ?? 400);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const DEADLINE_MS = 25_000;
const log = pino({ level: 'silent' });

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
async function until(what, fn) {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function smtpServer() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${server.server.address().port}`, received: () => received, close: () => new Promise((r) => server.close(r)) };
}

async function seed(db, orgId, clinicId, userId, startsAt, createdAt, tag) {
  await db.query(
    `WITH p AS (INSERT INTO practitioner (organization_id, display_name, discipline) SELECT $1, 'P ' || g, 'MASSAGE_THERAPIST' FROM generate_series(1, $2) g RETURNING id),
          pn AS (SELECT id, row_number() OVER () n FROM p),
          c AS (INSERT INTO client (organization_id, first_name, last_name, email, reminder_consent, clinic_ids)
                SELECT $1, 'C', $7 || g, $7 || g || '@bench.test', true, ARRAY[$3::uuid] FROM generate_series(1, $2) g RETURNING id),
          cn AS (SELECT id, row_number() OVER () n FROM c),
          a AS (INSERT INTO appointment (organization_id, clinic_id, practitioner_id, client_id, starts_at, ends_at, created_by, created_at, updated_at)
                SELECT $1, $3, pn.id, cn.id, $4, $4::timestamptz + interval '30 minutes', $5, $6, $6 FROM pn JOIN cn USING (n) RETURNING id)
     INSERT INTO outbox_message (organization_id, job_name, payload)
     SELECT $1, 'appointment.changed', jsonb_build_object('organizationId', $1::text, 'appointmentId', a.id::text) FROM a`,
    [orgId, N, clinicId, startsAt, userId, createdAt, tag],
  );
}

async function noopBaseline(queueCfg) {
  const name = `fascia-bench-noop-${randomBytes(4).toString('hex')}`;
  const q = createQueue(name, queueCfg);
  await q.waitUntilReady();
  let done = 0;
  const w = createWorker(name, async () => void done++, queueCfg, { concurrency: CONCURRENCY, autorun: false });
  await q.addBulk(Array.from({ length: N }, (_, i) => ({ name: 'staff.invitation.send', data: { i } })));
  const t0 = performance.now();
  void w.run();
  await until('no-op jobs', () => done >= N);
  const rate = N / ((performance.now() - t0) / 1000);
  await w.close();
  await q.obliterate({ force: true }).catch(() => {});
  await q.close();
  return rate;
}

async function runBackend(kind) {
  const dbName = `fascia_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const url = urlFor(dbName);
  const smtp = await smtpServer();
  const db = new Client({ connectionString: url });
  let running;
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

    running = await startWorker(
      {
        databaseUrl: url,
        queue: queueCfg,
        appSecret: 'bench-secret-0123456789abcdef0123456789',
        adminUrl: 'http://admin.bench',
        smtpUrl: smtp.url,
        mailDir: '/nonexistent',
        mailFrom: 'Bench <bench@fascia.test>',
        outboxPollMs: 20,
        outboxBatchSize: 200,
        concurrency: CONCURRENCY,
        schedulers: false,
      },
      { logger: log },
    );
    const count = async (sql) => Number((await db.query(sql)).rows[0].n);

    // Scheduling: appointments in two hours; each reconcile writes a reminder and its outbox row, relayed as a delayed job.
    let t0 = performance.now();
    await seed(db, orgId, clinicId, userId, new Date(Date.now() + 2 * 3600_000), new Date(), 'a');
    await until('reminders scheduled', async () => (await count(`SELECT count(*) n FROM outbox_message WHERE job_name = 'reminder.send' AND dispatched_at IS NOT NULL`)) >= N);
    const scheduled = N / ((performance.now() - t0) / 1000);

    // Delivery: appointments booked an hour ago starting in 50 s with a 60-minute lead: due now, sent at once.
    const before = smtp.received();
    t0 = performance.now();
    await seed(db, orgId, clinicId, userId, new Date(Date.now() + 50_000), new Date(Date.now() - 3600_000), 'b');
    await until('reminders delivered', async () => smtp.received() - before >= N && (await count(`SELECT count(*) n FROM reminder WHERE status = 'SENT'`)) >= N);
    const endToEnd = N / ((performance.now() - t0) / 1000);
    const [span] = (await db.query(`SELECT extract(epoch FROM max(sent_at) - min(sent_at)) s FROM delivery WHERE status = 'SENT'`)).rows;
    const delivered = N / Math.max(0.001, Number(span.s));
    return { kind, baseline, scheduled, delivered, endToEnd };
  } finally {
    await running?.stop().catch(() => {});
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
const backends = (await redisReachable()) ? ['redis', 'postgres'] : ['postgres'];
if (backends.length === 1) console.log(`(Redis at ${REDIS} is not reachable: Redis row skipped)`);
for (const kind of backends) rows.push(await runBackend(kind));
const f = (x) => x.toFixed(0).padStart(7);
console.log(`\nworker bench: ${N} appointments per phase, concurrency ${CONCURRENCY}, one in-process worker, local SMTP`);
console.log('backend    no-op jobs/s  reminders scheduled/s (×no-op)  reminders delivered/s (×no-op)  end-to-end/s');
for (const r of rows) {
  console.log(
    `${r.kind.padEnd(9)} ${f(r.baseline)}       ${f(r.scheduled)}  (${(r.scheduled / r.baseline).toFixed(2)})           ${f(r.delivered)}  (${(r.delivered / r.baseline).toFixed(2)})          ${f(r.endToEnd)}`,
  );
}
process.exit(0);
