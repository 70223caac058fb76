import { DateTime } from 'luxon';
import type { DataSource, QueryRunner } from 'typeorm';
import { SAMPLES } from './scale-samples';

/**
 * The scale generator (issue 10): fills a migrated database with one large organization —
 * by default 100,000 clients and 2,000,000 appointments over about two years — with set-based
 * SQL (`generate_series`, INSERT … SELECT), for the EXPLAIN tests and the benchmarks.
 *
 * The shape, so the well-known ids below mean something:
 *  - `clinics` clinics (default: enough for ~100 weeks of full books), each with
 *    `practitionersPerClinic` practitioners (default 5) working Monday–Friday, one room each,
 *    `slotsPerDay` hourly sessions a day from 08:00 clinic time (default 10): a clinic-week
 *    holds practitionersPerClinic × slotsPerDay × 5 appointments (250 by default).
 *  - Appointment n is practitioner n mod P's slot ⌊n / P⌋ (day by day, slot by slot), so the
 *    books are full from `weeks` ago up to ~12 % of the span ahead of `now`; past ones are
 *    mostly COMPLETED (5 % cancelled, 3 % late-cancelled, 3 % no-show), future ones BOOKED.
 *  - Every client has one practitioner (client c: practitioner c mod P) and comes back every
 *    K = ⌊clients / P⌋ slots of theirs, so no practitioner, room or client is ever booked twice
 *    at once (the exclusion constraints hold and are checked). Client 0 (the long history,
 *    `longHistoryClientId`) also has practitioner 0's first slot every fourth working day.
 *  - 95 % of clients have an intake, 90 % a plan (ACTIVE, MAINTENANCE, COMPLETED, DISCONTINUED
 *    or PROPOSED) with its versions; every COMPLETED appointment has a signed note, 1 % of notes
 *    an addendum (`addendaPercent`), every 6th visit is a re-assessment; a third of the
 *    planned clients have a task (a quarter of them OPEN).
 *  - Record bodies are real ones (scale-samples.ts). The plan and re-assessment bodies are
 *    16 kB each, so only practitioner 0's caseload (`showcase`, with the long-history client)
 *    carries the full body; the others carry the (valid, 1.4 kB) body of a blocked proposal.
 *    `fullBodies: true` gives every row the full body (much larger database).
 *  - `otherOrganizations` (default 1) small organizations besides, so tenant-leading indexes and
 *    row-level security see other tenants' rows.
 *
 *  - 2 % of clients are archived; logins for an admin, a clinic manager of clinic 0, a front
 *    desk and practitioner 0 (`logins`; they sign in when `passwordHash` is given).
 *
 * Rows are inserted as the owner (the given DataSource must be the migrating role: it is not
 * subject to row-level security), in one transaction. Primary keys, unique and check
 * constraints are in force during the load; foreign keys, exclusion constraints and plain
 * indexes of the bulk tables are dropped first and recreated after it (deferConstraints), which
 * checks every row. Ids are deterministic (md5 of the slug and the index, as version-4 uuids; appointments and
 * notes: ascending, see ascendingId), so
 * a run is reproducible. Run it on a database no one else is using: the load locks the tables.
 */
export interface ScaleOptions {
  clients?: number;
  appointments?: number;
  clinics?: number;
  practitionersPerClinic?: number;
  slotsPerDay?: number;
  otherOrganizations?: number;
  /** The present the books are arranged around (default: the current time). */
  now?: Date;
  timeZone?: string;
  /**
   * Clinic i is in timeZones[i mod n] (default: [timeZone]); e.g. Europe/London and
   * America/New_York (both with daylight saving) and Asia/Tokyo (none).
   */
  timeZones?: string[];
  /**
   * The reports shape (issue 14; default false, the issue-10 shape): realistic plans (the
   * accepted body with per-plan expected ranges and baselines), pain trajectories that differ
   * by client, re-assessments on time / late / missed, lapsed maintenance clients, opening hours
   * and a Saturday shift, and referrals between clinics and with a partner organization.
   */
  reports?: boolean;
  /** The organization's slug (default `scale-<clients>-<appointments>`); also salts the ids. */
  slug?: string;
  /** A password hash (the API's argon2id) for the generated logins; without one they cannot sign in. */
  passwordHash?: string | null;
  fullBodies?: boolean;
  /** Addenda per hundred signed notes (default 1). */
  addendaPercent?: number;
  /** VACUUM (ANALYZE) the loaded tables and ANALYZE the rest afterwards (default true). */
  analyze?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Called after each step with the steps done so far and the total known so far (for a progress bar). */
  progress?: (done: number, total: number, step: string) => void;
}

/**
 * The reference chain of issue 14 (1,000 clinics, 10,000 practitioners, 1,000,000 clients,
 * 20,000,000 appointments) scaled by `fraction` (0 < fraction ≤ 1): e.g. 0.1 is 100 clinics,
 * 1,000 practitioners, 100,000 clients and 2,000,000 appointments (about 40 weeks of full books).
 */
export function referenceShape(fraction: number): Pick<ScaleOptions, 'clinics' | 'practitionersPerClinic' | 'clients' | 'appointments' | 'slotsPerDay' | 'timeZones' | 'reports'> {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`generateScale: fraction must be more than 0 and at most 1 (got ${fraction})`);
  const clinics = Math.max(1, Math.round(1000 * fraction));
  return {
    clinics,
    practitionersPerClinic: 10,
    clients: Math.max(clinics * 10, Math.round(1_000_000 * fraction)),
    appointments: Math.max(clinics * 10 * 10, Math.round(20_000_000 * fraction)),
    slotsPerDay: 10,
    timeZones: ['Europe/London', 'America/New_York', 'Asia/Tokyo'],
    reports: true,
  };
}

export interface ScaleResult {
  organizationId: string;
  slug: string;
  /** Logins (ACTIVE; they sign in with the password of `passwordHash`). */
  logins: { admin: string; manager: string; frontDesk: string; practitioner: string };
  adminUserId: string;
  clinicIds: string[];
  /** Clinic 0: the clinic of the busy practitioner and the long-history client. */
  busyClinicId: string;
  /** The clinic-local week (Monday 00:00 to the next Monday) that contains `now`. */
  busyWeek: { from: Date; to: Date; appointments: number };
  /** Practitioner 0 (has a login: `logins.practitioner`). */
  busyPractitionerId: string;
  longHistoryClientId: string;
  /** The long-history client's contact details, for search by fragment. */
  sampleClient: { id: string; firstName: string; lastName: string; email: string; phone: string };
  counts: Record<string, number>;
  /** Rows inserted per second of the whole run (load, index and constraint builds, analyze). */
  rowsPerSecond: number;
  /** The partner organization (reports shape: the first other organization, an ACTIVE partner). */
  partnerOrganizationId: string | null;
  /** The span of the books. */
  from: Date;
  to: Date;
  ms: number;
}

const MAX = { clients: 5_000_000, appointments: 50_000_000, clinics: 10_000, practitionersPerClinic: 100, slotsPerDay: 14, otherOrganizations: 20, addendaPercent: 100 };

function int(name: keyof typeof MAX, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > MAX[name]) throw new Error(`generateScale: ${name} must be an integer from ${min} to ${MAX[name]} (got ${value})`);
  return v;
}

const FIRST = [
  'Amara', 'Ben', 'Chloe', 'Diego', 'Elif', 'Farah', 'George', 'Hana', 'Isaac', 'Jonas', 'Keira', 'Luca', 'Mei', 'Nadia', 'Owen', 'Priya', 'Quinn', 'Rosa',
  'Samir', 'Tess', 'Uma', 'Victor', 'Wren', 'Yusuf', 'Zoe', 'Aaron', 'Bianca', 'Callum', 'Daria', 'Emil', 'Freya', 'Gabriel', 'Holly', 'Ivan', 'Jade', 'Kofi',
  'Lena', 'Marcus', 'Nora', 'Oscar', 'Paula', 'Rahul', 'Sofia', 'Tomas', 'Ursula', 'Vera', 'William', 'Ximena', 'Yara', 'Zain', 'Alice', 'Bruno', 'Carmen',
  'Daniel', 'Esme', 'Felix', 'Grace', 'Hugo', 'Iris', 'James', 'Kira', 'Leo', 'Maya', 'Noah', 'Olivia', 'Pablo', 'Ruth', 'Stefan', 'Thea', 'Ugo',
];
const LAST_A = ['Ash', 'Black', 'Brook', 'Clay', 'Cole', 'Dale', 'East', 'Fair', 'Green', 'Hall', 'Hart', 'Kings', 'Lang', 'Marsh', 'Mill', 'North', 'Oak', 'Pen', 'Red', 'Rose', 'South', 'Stan', 'Thorn', 'West', 'White', 'Wood'];
const LAST_B = ['bury', 'by', 'croft', 'dale', 'field', 'ford', 'gate', 'ham', 'hill', 'hurst', 'ley', 'more', 'ridge', 'stead', 'stone', 'thorpe', 'ton', 'well', 'wick', 'worth'];
const LAST_REAL = [
  'Adeyemi', 'Brennan', 'Castillo', 'Dubois', 'Eriksen', 'Fontaine', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor',
  'Petrov', 'Quigley', 'Rossi', 'Singh', 'Tanaka', 'Urquhart', 'Varga', 'Walsh', 'Young', 'Zhang', 'Novak', 'Murphy', "O'Brien", 'Silva', 'Kim', 'Nguyen', 'Patel',
];
const sqlArray = (xs: string[]): string => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`;

/** First and last name of client c, as SQL over an integer expression (and the same in TypeScript). */
const firstNameSql = (c: string): string => `(${sqlArray(FIRST)})[1 + (${c} * 7) % ${FIRST.length}]`;
const lastNameSql = (c: string): string =>
  `CASE WHEN ${c} % 3 = 0 THEN (${sqlArray(LAST_REAL)})[1 + (${c} / 3) % ${LAST_REAL.length}]
        ELSE (${sqlArray(LAST_A)})[1 + (${c} / 5) % ${LAST_A.length}] || (${sqlArray(LAST_B)})[1 + (${c} / 11) % ${LAST_B.length}] END`;
const firstName = (c: number): string => FIRST[(c * 7) % FIRST.length];
const lastName = (c: number): string =>
  c % 3 === 0 ? LAST_REAL[Math.floor(c / 3) % LAST_REAL.length] : LAST_A[Math.floor(c / 5) % LAST_A.length] + LAST_B[Math.floor(c / 11) % LAST_B.length];
const emailOf = (c: number, slug: string): string => `${firstName(c)}.${lastName(c)}.${c}@${slug}.example.org`.toLowerCase().replace(/'/g, '');
/** 11 digits, unique per client: +44 7 then ten digits. */
const phoneOf = (c: number): string => `+447${String(100000000 + ((c * 7919) % 900000000)).padStart(9, '0')}`;

/** A 32-hex-digit SQL expression as a version-4, RFC 4122 variant uuid (the API's id validation checks both). */
const uuidSql = (hex: string): string => `overlay(overlay(${hex} placing '4' from 13) placing '8' from 17)::uuid`;

/**
 * Ids that ascend in the order the rows are generated ($1 is the slug): 16 hex digits of
 * md5(slug:kind), then the two integer expressions `hi` and `lo` (each below 2^28) in 8 hex digits
 * each, as a version-4 uuid. The bulk tables' primary keys and unique (organization_id, id) are
 * kept during the load: with random ids (gen_random_uuid) each of 2 million inserts lands on a
 * random page of indexes larger than shared_buffers; ascending ones append to the right edge
 * (2,000,000 rows into two such indexes: 32.0 s of backend CPU with random ids, 12.9 s ascending).
 * A session note's id is its appointment's with the first 8 digits of md5(slug:session_note).
 */
const ascendingId = (kind: string, hi: string, lo: string): string =>
  uuidSql(`substr(md5($1 || ':${kind}'), 1, 16) || lpad(to_hex(${hi}), 8, '0') || lpad(to_hex(${lo}), 8, '0')`);

interface Shape {
  slug: string;
  clients: number;
  appointments: number;
  clinics: number;
  ppc: number;
  slots: number;
  tz: string;
  tzs: string[];
  reports: boolean;
  now: Date;
  passwordHash: string | null;
  fullBodies: boolean;
  addendaPercent: number;
}

/** Fill a migrated database (see ScaleOptions). `ownerDataSource` must be the owner (migrating) role. */
export async function generateScale(ownerDataSource: DataSource, options: ScaleOptions = {}): Promise<ScaleResult> {
  const started = process.hrtime.bigint();
  const clients = int('clients', options.clients, 100_000);
  const appointments = int('appointments', options.appointments, 2_000_000);
  const ppc = int('practitionersPerClinic', options.practitionersPerClinic, 5);
  const slots = int('slotsPerDay', options.slotsPerDay, 10);
  // ~100 weeks of full books by default.
  const clinics = int('clinics', options.clinics, Math.max(1, Math.ceil(appointments / (ppc * slots * 5 * 100))));
  const others = int('otherOrganizations', options.otherOrganizations, 1, 0);
  if (clients < clinics * ppc) throw new Error(`generateScale: clients (${clients}) must be at least the number of practitioners (${clinics * ppc}): every practitioner has a caseload`);
  const tz = options.timeZone ?? options.timeZones?.[0] ?? 'Europe/London';
  const tzs = options.timeZones ?? [tz];
  if (tzs.length < 1 || tzs.length > 20) throw new Error('generateScale: timeZones must name 1 to 20 zones');
  for (const z of [tz, ...tzs]) if (!DateTime.now().setZone(z).isValid) throw new Error(`generateScale: ${z} is not an IANA time zone`);
  const slug = options.slug ?? `scale-${clients}-${appointments}`;
  if (!/^[a-z0-9-]{1,60}$/.test(slug)) throw new Error('generateScale: slug must be 1–60 characters of a-z, 0-9 and -');
  const log = options.log ?? (() => undefined);
  const progressCb = options.progress ?? (() => undefined);
  const reports = options.reports ?? false;
  // Steps: 16 per organization filled, the referrals, the rebuilds (counted once known) and the analyze.
  const progress = { done: 0, total: 16 * (1 + int('otherOrganizations', options.otherOrganizations, 1, 0)) + (reports ? 1 : 0) + 1 };
  const tick = (step: string): void => {
    progress.done++;
    progressCb(Math.min(progress.done, progress.total), progress.total, step);
  };
  const now = options.now ?? new Date();
  const shape: Shape = { slug, clients, appointments, clinics, ppc, slots, tz, tzs, reports, now, passwordHash: options.passwordHash ?? null, fullBodies: options.fullBodies ?? false, addendaPercent: int('addendaPercent', options.addendaPercent, 1, 0) };

  const q = ownerDataSource.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction();
    await q.query(`SET LOCAL synchronous_commit = off`);
    await q.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    await q.query(`SET LOCAL work_mem = '64MB'`);
    // The plan and re-assessment bodies (16 kB of JSON) are compressed row by row as they are
    // stored: lz4 does it in about half the CPU of the default pglz (plan_version: 6.9 → 3.8 s of
    // backend CPU for 17,500 rows), for the same size. Only this transaction's new values; when the
    // server was built without lz4 the default stays.
    const [{ lz4 }] = (await q.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`)) as { lz4: boolean }[];
    if (lz4) await q.query(`SET LOCAL default_toast_compression = 'lz4'`);
    // User triggers (the reports' dirty marks, the signed-note guard) would fire once per row:
    // off for the load, on again before commit; the roll-ups are then marked dirty once, as a whole.
    const triggered = ((await q.query(
      `SELECT DISTINCT tgrelid::regclass::text AS t FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY($1::regclass[])`,
      [[...BULK_TABLES, ...OTHER_TABLES]],
    )) as { t: string }[]).map((r) => r.t);
    for (const t of triggered) await q.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
    const deferred = await deferConstraints(q, BULK_TABLES);
    progress.total += deferred.indexes.length + deferred.constraints.length;
    const result = await fill(q, shape, log, tick);
    let partner: ScaleResult | null = null;
    for (let i = 1; i <= others; i++) {
      const small = Math.max(ppc, Math.round(clients / 100));
      const other = await fill(
        q,
        { ...shape, slug: `${slug}-other-${i}`, clients: small, appointments: Math.max(slots, Math.round(appointments / 100)), clinics: 1, passwordHash: null, fullBodies: false },
        () => undefined,
        tick,
      );
      partner ??= other;
    }
    if (reports && partner) {
      await fillReferrals(q, shape, result, partner, log);
      result.partnerOrganizationId = partner.organizationId;
      for (const [k, v] of Object.entries(partner.counts)) if (k.startsWith('referral') || k === 'partnership') result.counts[k] = (result.counts[k] ?? 0) + v;
      tick('referrals');
    }
    const t = process.hrtime.bigint();
    await restoreConstraints(q, deferred, log, tick);
    log(`indexes and constraints rebuilt and checked: ${Number((process.hrtime.bigint() - t) / 1_000_000n)} ms`);
    for (const t of triggered) await q.query(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
    // The report roll-ups (issue 14), when the database has them: every clinic-day and plan marked
    // dirty for the worker (report.drain) to compute.
    const [{ rollups }] = (await q.query(`SELECT to_regproc('fascia_report_mark_all') IS NOT NULL AS rollups`)) as { rollups: boolean }[];
    if (rollups) {
      const [{ n }] = (await q.query(`SELECT fascia_report_mark_all() AS n`)) as { n: number }[];
      log(`report roll-ups: ${n} clinic-days and plans marked dirty`);
    }
    await q.commitTransaction();
    if (options.analyze ?? true) {
      // As autovacuum would leave it: statistics, and the visibility map that index-only scans need.
      const t = process.hrtime.bigint();
      await q.query(`VACUUM (ANALYZE) ${BULK_TABLES.join(', ')}`);
      await q.query(`ANALYZE`);
      log(`vacuum and analyze: ${Number((process.hrtime.bigint() - t) / 1_000_000n)} ms`);
    }
    tick('analyze');
    result.ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
    const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
    result.rowsPerSecond = Math.round(rows / Math.max(0.001, result.ms / 1000));
    log(`scale: ${clients} clients, ${appointments} appointments, ${rows} rows in ${(result.ms / 1000).toFixed(1)} s (${result.rowsPerSecond} rows/s)`);
    return result;
  } catch (err) {
    if (q.isTransactionActive) await q.rollbackTransaction();
    throw err;
  } finally {
    await q.release();
  }
}

/** The tables the generator loads in bulk: their foreign keys, exclusion constraints and plain indexes are built after the load. */
const BULK_TABLES = ['client', 'intake', 'treatment_plan', 'plan_version', 'appointment', 'session_note', 'session_addendum', 'reassessment', 'practitioner_task'];

/** The other tables the generator writes (their user triggers are off during the load too). */
const OTHER_TABLES = ['organization', 'app_user', 'clinic', 'room', 'practitioner', 'practitioner_availability', 'membership', 'partnership', 'referral', 'referral_inbox'];

interface Deferred {
  indexes: string[];
  constraints: { table: string; name: string; def: string }[];
}

/**
 * Drops the foreign keys, exclusion constraints and indexes that back no constraint on
 * `tables`, keeping their definitions: building them once over the loaded rows is several
 * times faster than maintaining three GiST exclusion indexes row by row. Primary keys, unique
 * and check constraints stay in force during the load. restoreConstraints recreates them
 * all, which checks every row (a violation fails the transaction).
 */
async function deferConstraints(q: QueryRunner, tables: string[]): Promise<Deferred> {
  const constraints = (await q.query(
    `SELECT c.conrelid::regclass::text AS "table", c.conname AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c WHERE c.conrelid = ANY($1::regclass[]) AND c.contype IN ('f', 'x') ORDER BY c.conrelid, c.conname`,
    [tables],
  )) as Deferred['constraints'];
  const indexes = (await q.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i WHERE i.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
     ORDER BY 1`,
    [tables],
  )) as { name: string; def: string }[];
  for (const c of constraints) await q.query(`ALTER TABLE ${c.table} DROP CONSTRAINT ${c.name}`);
  for (const i of indexes) await q.query(`DROP INDEX ${i.name}`);
  return { indexes: indexes.map((i) => i.def), constraints };
}

async function restoreConstraints(q: QueryRunner, d: Deferred, log: (line: string) => void, tick: (step: string) => void): Promise<void> {
  const timed = async (what: string, sql: string): Promise<void> => {
    const t = process.hrtime.bigint();
    await q.query(sql);
    log(`  ${what}: ${Number((process.hrtime.bigint() - t) / 1_000_000n)} ms`);
    tick(what);
  };
  for (const def of d.indexes) await timed(def.replace(/^CREATE (UNIQUE )?INDEX (\S+) ON (\S+).*$/, '$2'), def);
  for (const c of d.constraints) await timed(c.name, `ALTER TABLE ${c.table} ADD CONSTRAINT ${c.name} ${c.def}`);
}

async function fill(q: QueryRunner, s: Shape, log: (line: string) => void, tick: (step: string) => void = () => undefined): Promise<ScaleResult> {
  const P = s.clinics * s.ppc;
  const K = Math.floor(s.clients / P);
  const S = s.slots;
  const workingDays = Math.ceil(s.appointments / (P * S));
  const weeks = Math.ceil(workingDays / 5);
  const weeksAhead = weeks <= 1 ? 0 : Math.min(weeks - 1, Math.max(1, Math.round(weeks * 0.12)));
  const thisMonday = DateTime.fromJSDate(s.now, { zone: s.tz }).startOf('week');
  const firstMonday = thisMonday.minus({ weeks: weeks - weeksAhead });
  const startDate = firstMonday.toISODate()!;
  // Ids: md5(slug:kind:index) made a version-4 uuid, in SQL ($1 is the slug) and here.
  const id = (kind: string, i: string): string => uuidSql(`md5($1 || ':${kind}:' || (${i}))`);
  const idOf = async (kind: string, i: number): Promise<string> => ((await q.query(`SELECT ${uuidSql(`md5($1 || ':${kind}:' || $2::text)`)} AS id`, [s.slug, i])) as { id: string }[])[0].id;
  const orgId = await idOf('org', 0);
  const users = { admin: `admin@${s.slug}.scale.test`, manager: `manager@${s.slug}.scale.test`, frontDesk: `frontdesk@${s.slug}.scale.test`, practitioner: `practitioner@${s.slug}.scale.test` };
  const counts: Record<string, number> = {};
  const step = async (name: string, sql: string, params: unknown[] = []): Promise<void> => {
    const t = process.hrtime.bigint();
    const res = (await q.query(sql, [s.slug, ...params], true)) as { affected?: number };
    const rows = res.affected;
    if (rows !== undefined) counts[name] = (counts[name] ?? 0) + rows;
    const ms = Number((process.hrtime.bigint() - t) / 1_000_000n);
    log(`${name}: ${rows ?? ''} rows in ${ms} ms${rows ? ` (${Math.round(rows / Math.max(0.001, ms / 1000))} rows/s)` : ''}`);
    tick(name);
  };
  // In SQL: the showcase (full bodies) is practitioner 0's caseload.
  const showcase = s.fullBodies ? 'true' : null;

  await step('organization', `INSERT INTO organization (id, name, slug) VALUES (${id('org', '0')}, 'Scale ' || $1, $1)`);
  await step(
    'app_user',
    `INSERT INTO app_user (id, email, display_name, password_hash, status)
     SELECT ${id('user', 'k')}, e, n, $2::text, $3::text FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS u(e, n, k)`,
    [s.passwordHash, 'ACTIVE', [users.admin, users.manager, users.frontDesk, users.practitioner], ['Scale Admin', 'Scale Manager', 'Scale Front Desk', 'Scale Practitioner']],
  );
  const adminUserId = await idOf('user', 1);
  await step(
    'clinic',
    `INSERT INTO clinic (id, organization_id, name, address_line1, city, country, time_zone, phone, opening_hours)
     SELECT ${id('clinic', 'i')}, ${id('org', '0')}, 'Clinic ' || lpad(i::text, 3, '0'), (1 + i) || ' High Street', 'City ' || (i % 40), 'GB', ($2::text[])[1 + i % ${s.tzs.length}],
            '+44207946' || lpad(i::text, 4, '0'), $3::jsonb
     FROM generate_series(0, ${s.clinics - 1}) i`,
    [s.tzs, JSON.stringify(s.reports ? openingHours(S) : [])],
  );
  await step(
    'room',
    `INSERT INTO room (id, organization_id, clinic_id, name)
     SELECT ${id('room', 'p')}, ${id('org', '0')}, ${id('clinic', `p / ${s.ppc}`)}, 'Room ' || (1 + p % ${s.ppc}) FROM generate_series(0, ${P - 1}) p`,
  );
  await step(
    'practitioner',
    `INSERT INTO practitioner (id, organization_id, user_id, display_name, discipline, modalities, email)
     SELECT ${id('practitioner', 'p')}, ${id('org', '0')}, CASE WHEN p = 0 THEN ${id('user', '4')} END,
            ${firstNameSql('(p * 13 + 5)')} || ' ' || ${lastNameSql('(p * 13 + 5)')} || ' ' || p,
            CASE WHEN p % 10 = 9 THEN 'PHYSIOTHERAPIST' ELSE 'MASSAGE_THERAPIST' END, ARRAY['myofascial-release','trigger-point'],
            'practitioner' || p || '@' || $1 || '.scale.test'
     FROM generate_series(0, ${P - 1}) p`,
  );
  await step(
    'practitioner_availability',
    `INSERT INTO practitioner_availability (organization_id, practitioner_id, clinic_id, weekday, start_minute, end_minute)
     SELECT ${id('org', '0')}, ${id('practitioner', 'p')}, ${id('clinic', `p / ${s.ppc}`)}, d, 480, ${480 + 60 * S}
     FROM generate_series(0, ${P - 1}) p, generate_series(1, 5) d
     ${s.reports ? `UNION ALL SELECT ${id('org', '0')}, ${id('practitioner', 'p')}, ${id('clinic', `p / ${s.ppc}`)}, 6, 540, 780 FROM generate_series(0, ${P - 1}) p WHERE p % 4 = 0` : ''}`,
  );
  await step(
    'membership',
    `INSERT INTO membership (organization_id, user_id, role, clinic_ids, status)
     SELECT ${id('org', '0')}, ${id('user', 'k')}, r, CASE WHEN k = 2 THEN ARRAY[${id('clinic', '0')}] ELSE '{}'::uuid[] END, 'ACTIVE'
     FROM unnest(ARRAY['ORG_ADMIN','CLINIC_MANAGER','FRONT_DESK','PRACTITIONER']) WITH ORDINALITY AS m(r, k)`,
  );
  await step(
    'client',
    `INSERT INTO client (id, organization_id, first_name, last_name, date_of_birth, email, phone, preferred_channels, reminder_consent, payment_method, clinic_ids, archived_at, created_at)
     SELECT ${id('client', 'c')}, ${id('org', '0')}, fn, ln, DATE '1950-01-01' + (c * 37) % 20000,
            lower(replace(fn || '.' || ln || '.' || c || '@' || $1 || '.example.org', '''', '')),
            '+447' || lpad((100000000 + (c::bigint * 7919) % 900000000)::text, 9, '0'),
            CASE WHEN c % 4 = 3 THEN ARRAY['SMS'] ELSE ARRAY['EMAIL'] END, c % 6 <> 4,
            (ARRAY['SELF_PAY','INSURANCE','FSA_HSA'])[1 + c % 3], ARRAY[${id('clinic', `(c % ${P}) / ${s.ppc}`)}],
            CASE WHEN c % 50 = 49 THEN $2::timestamptz END, $2::timestamptz - interval '1 day' * (c % 800)
     FROM generate_series(0, ${s.clients - 1}) c, LATERAL (SELECT ${firstNameSql('c')} AS fn, ${lastNameSql('c')} AS ln) n`,
    [firstMonday.toJSDate()],
  );
  await step(
    'intake',
    `INSERT INTO intake (id, organization_id, client_id, version, clinic_id, practitioner_id, data, findings, created_by, created_at)
     SELECT ${id('intake', 'c')}, ${id('org', '0')}, ${id('client', 'c')}, 1, ${id('clinic', `(c % ${P}) / ${s.ppc}`)}, ${id('practitioner', `c % ${P}`)},
            jsonb_set($2::jsonb, '{age}', to_jsonb(18 + c % 60)), $3::jsonb, $4::uuid, $5::timestamptz
     FROM generate_series(0, ${s.clients - 1}) c WHERE c % 20 <> 19`,
    [JSON.stringify(SAMPLES.intakeData), JSON.stringify(SAMPLES.intakeFindings), adminUserId, firstMonday.minus({ days: 1 }).toJSDate()],
  );
  // Plan status by c % 20 (9 and 19 have none).
  const planStatus = `CASE WHEN c % 20 < 12 THEN 'ACTIVE' WHEN c % 20 < 15 THEN 'MAINTENANCE' WHEN c % 20 < 17 THEN 'COMPLETED' WHEN c % 20 = 17 THEN 'DISCONTINUED' ELSE 'PROPOSED' END`;
  const planned = `generate_series(0, ${s.clients - 1}) c WHERE c % 10 <> 9`;
  const full = `(${showcase ?? `c % ${P} = 0`})`;
  await step(
    'treatment_plan',
    `INSERT INTO treatment_plan (id, organization_id, client_id, intake_id, clinic_id, practitioner_id, complaint_key, status, current_version, created_at)
     SELECT ${id('plan', 'c')}, ${id('org', '0')}, ${id('client', 'c')}, ${id('intake', 'c')}, ${id('clinic', `(c % ${P}) / ${s.ppc}`)}, ${id('practitioner', `c % ${P}`)},
            'c1', ${planStatus}, CASE WHEN ${planStatus} = 'PROPOSED' THEN 1 ELSE 2 END, $2::timestamptz
     FROM ${planned}`,
    [firstMonday.minus({ days: 1 }).toJSDate()],
  );
  await step(
    'plan_version',
    `WITH reports_bodies AS MATERIALIZED (
       SELECT k, b, ${s.reports ? reportsPlanBody('$3::jsonb', 'k', 'b', expectedVisits(s)) : 'NULL::jsonb'} AS body
       FROM generate_series(0, 59) k, generate_series(0, 4) b WHERE ${s.reports ? 'true' : 'false'})
     INSERT INTO plan_version (organization_id, plan_id, version, body, change_kind, reason, changed_by, changed_at)
     SELECT ${id('org', '0')}, ${id('plan', 'c')}, v,
            CASE WHEN rb.body IS NOT NULL THEN rb.body
                 WHEN ${full} THEN (CASE WHEN v = 1 THEN $2 ELSE $3 END)::jsonb ELSE $4::jsonb END,
            CASE WHEN v = 1 THEN 'PROPOSED' ELSE 'ACCEPTED' END, CASE WHEN v = 1 THEN 'Proposed from the intake' ELSE 'Agreed with the client at intake' END,
            $5::uuid, $6::timestamptz
     FROM generate_series(0, ${s.clients - 1}) c CROSS JOIN generate_series(1, 2) v
          LEFT JOIN reports_bodies rb ON v = 2 AND rb.k = c % 60 AND rb.b = (hashtext((${id('client', 'c')})::text) & 2147483647) % 5
     WHERE c % 10 <> 9 AND (v = 1 OR ${planStatus} <> 'PROPOSED')`,
    [JSON.stringify(SAMPLES.planProposed), JSON.stringify(SAMPLES.planAccepted), JSON.stringify(SAMPLES.planBlocked), adminUserId, firstMonday.minus({ days: 1 }).toJSDate()],
  );

  // Appointments: n → practitioner p = n mod P, its t-th slot (t = n div P): working day w, slot of the day.
  const long = `(p = 0 AND slot = 0 AND w % 4 = 0)`;
  const clientIdx = `CASE WHEN ${long} THEN 0 ELSE p + ${P} * (t % ${K}) END`;
  const visit = `CASE WHEN ${long} THEN w / 4 + 1 ELSE t / ${K} + 1 END`;
  await step(
    'appointment',
    `INSERT INTO appointment (id, organization_id, clinic_id, practitioner_id, room_id, client_id, plan_id, session_number, phase_index, kind, starts_at, ends_at,
                              status, status_reason, status_changed_at, created_by, created_at, updated_at)
     SELECT ${ascendingId('appointment', 'p', 't')}, ${id('org', '0')}, ${id('clinic', `p / ${s.ppc}`)}, ${id('practitioner', 'p')}, ${id('room', 'p')}, ${id('client', 'cl')},
            CASE WHEN cl % 10 <> 9 THEN ${id('plan', 'cl')} END, v, 0,
            CASE WHEN v = 1 THEN 'INTAKE' WHEN ${s.reports ? reassessmentDueSql('cl', 'v') : 'v % 6 = 0'} THEN 'REASSESSMENT' ELSE 'SESSION' END, st, st + interval '1 hour',
            x.status, CASE WHEN x.status IN ('CANCELLED','LATE_CANCELLED') THEN 'Client request' END,
            CASE WHEN x.status <> 'BOOKED' THEN st + interval '1 hour' END, $3::uuid, st - interval '14 days', st
     FROM generate_series(0::bigint, ${P - 1}) p, generate_series(0::bigint, ${Math.ceil(s.appointments / P) - 1}) t,
          LATERAL (SELECT t * ${P} + p AS n) a,
          LATERAL (SELECT t / ${S} AS w, t % ${S} AS slot) b,
          LATERAL (SELECT ${clientIdx} AS cl, ${visit} AS v,
                          (($4::date + (w / 5 * 7 + w % 5)::int)::timestamp + make_interval(hours => 8 + slot::int)) AT TIME ZONE ($5::text[])[1 + (p / ${s.ppc}) % ${s.tzs.length}] AS st) c,
          LATERAL (SELECT CASE ${s.reports ? `WHEN ${lapsedSql('cl')} AND st >= $2::timestamptz - interval '10 weeks' THEN 'CANCELLED'` : ''}
                               WHEN st >= $2::timestamptz THEN (CASE WHEN (n * 7919) % 100 < 4 AND NOT ${long} THEN 'CANCELLED' ELSE 'BOOKED' END)
                               WHEN ${long} THEN 'COMPLETED'
                               WHEN (n * 7919) % 100 < 3 THEN 'NO_SHOW' WHEN (n * 7919) % 100 < 6 THEN 'LATE_CANCELLED'
                               WHEN (n * 7919) % 100 < 11 THEN 'CANCELLED' ELSE 'COMPLETED' END AS status) x
     WHERE t * ${P} + p < ${s.appointments}`,
    [s.now, adminUserId, startDate, s.tzs],
  );
  const busyPractitionerId = await idOf('practitioner', 0);
  await step(
    'session_note',
    `INSERT INTO session_note (id, organization_id, appointment_id, client_id, practitioner_id, plan_id, checkin, techniques, duration_minutes, client_feedback,
                               pain_after, soap, home_care, signed_at, signed_by, created_by, created_at, updated_at)
     SELECT overlay(a.id::text placing substr(md5($1 || ':session_note'), 1, 8) from 1)::uuid, a.organization_id, a.id, a.client_id, a.practitioner_id, a.plan_id, jsonb_set($2::jsonb, '{painNow}', to_jsonb(${s.reports ? 'pain.now' : '2 + (a.session_number * 3) % 7'})), $3::jsonb, 60,
            CASE WHEN a.session_number % 3 = 0 THEN 'About the same' ELSE 'Looser afterwards' END, ${s.reports ? 'greatest(0, pain.now - 1 - a.session_number % 2)' : '1 + (a.session_number * 5) % 6'}, $4::jsonb, $5::jsonb,
            a.ends_at, $6::uuid, $6::uuid, a.ends_at, a.ends_at
     FROM appointment a, LATERAL (SELECT ${painNowSql('(hashtext(a.client_id::text) & 2147483647)', 'a.session_number')} AS now) pain
     WHERE a.organization_id = ${id('org', '0')} AND a.status = 'COMPLETED'`,
    [JSON.stringify(SAMPLES.note.checkin), JSON.stringify(SAMPLES.note.techniques), JSON.stringify(SAMPLES.note.soap), JSON.stringify(SAMPLES.note.homeCare), adminUserId],
  );
  await step(
    'session_addendum',
    `INSERT INTO session_addendum (organization_id, note_id, body, author_id, created_at)
     SELECT n.organization_id, n.id, 'Correction: the client reported the pain after the session the next day.', $2::uuid, n.signed_at + interval '1 day'
     FROM session_note n WHERE n.organization_id = ${id('org', '0')} AND abs(hashtext(n.id::text)) % 100 < ${s.addendaPercent}`,
    [adminUserId],
  );
  await step(
    'reassessment',
    `INSERT INTO reassessment (organization_id, client_id, plan_id, plan_version, appointment_id, sessions_completed, measures, evaluation, proposal, decision,
                               status, accepted_version, assessed_by, assessed_at)
     SELECT a.organization_id, a.client_id, a.plan_id, 2, a.id, a.session_number - 1, $2::jsonb, $3::jsonb,
            CASE WHEN ${s.fullBodies ? 'true' : `a.practitioner_id = '${busyPractitionerId}'::uuid`} THEN $4::jsonb ELSE $5::jsonb END, $6, 'ACCEPTED', 2, $7::uuid, a.ends_at
     FROM appointment a JOIN treatment_plan tp ON tp.id = a.plan_id AND tp.status <> 'PROPOSED'
     WHERE a.organization_id = ${id('org', '0')} AND a.status = 'COMPLETED' AND a.kind = 'REASSESSMENT'`,
    [
      JSON.stringify(SAMPLES.reassessment.measures),
      JSON.stringify(SAMPLES.reassessment.evaluation),
      JSON.stringify(SAMPLES.reassessment.proposal),
      JSON.stringify(SAMPLES.planBlocked),
      SAMPLES.reassessment.decision,
      adminUserId,
    ],
  );
  await step(
    'practitioner_task',
    `INSERT INTO practitioner_task (organization_id, clinic_id, kind, reason, practitioner_id, client_id, plan_id, due_at, status, dedupe_key, resolved_at, resolved_by, created_at)
     SELECT ${id('org', '0')}, ${id('clinic', `(c % ${P}) / ${s.ppc}`)}, CASE WHEN c % 2 = 0 THEN 'REASSESSMENT_DUE' ELSE 'PLAN_REVIEW' END,
            CASE WHEN c % 2 = 0 THEN 'A re-assessment is due after 6 sessions' ELSE 'Pain has not improved over the last 4 sessions' END,
            ${id('practitioner', `c % ${P}`)}, ${id('client', 'c')}, ${id('plan', 'c')}, due, st,
            $1 || ':task:' || c, CASE WHEN st <> 'OPEN' THEN due END, CASE WHEN st <> 'OPEN' THEN $3::uuid END, due - interval '7 days'
     FROM generate_series(0, ${s.clients - 1}) c,
          LATERAL (SELECT $2::timestamptz + interval '1 hour' * ((c * 37) % (24 * 120) - 24 * 60) AS due,
                          CASE WHEN c % 4 = 0 THEN 'OPEN' WHEN c % 4 = 3 THEN 'DISMISSED' ELSE 'DONE' END AS st) x
     WHERE c % 10 <> 9 AND c % 3 = 0`,
    [s.now, adminUserId],
  );

  const clinicIds = ((await q.query(`SELECT id FROM clinic WHERE organization_id = $1 ORDER BY name`, [orgId])) as { id: string }[]).map((r) => r.id);
  const from = thisMonday.toJSDate();
  const to = thisMonday.plus({ weeks: 1 }).toJSDate();
  const [{ n: weekCount }] = (await q.query(
    `SELECT count(*)::int AS n FROM appointment WHERE organization_id = $1 AND clinic_id = $2 AND starts_at >= $3 AND starts_at < $4`,
    [orgId, clinicIds[0], from, to],
  )) as { n: number }[];
  const longHistoryClientId = await idOf('client', 0);
  return {
    organizationId: orgId,
    slug: s.slug,
    logins: users,
    adminUserId,
    clinicIds,
    busyClinicId: clinicIds[0],
    busyWeek: { from, to, appointments: weekCount },
    busyPractitionerId,
    longHistoryClientId,
    sampleClient: { id: longHistoryClientId, firstName: firstName(0), lastName: lastName(0), email: emailOf(0, s.slug), phone: phoneOf(0) },
    counts,
    rowsPerSecond: 0,
    partnerOrganizationId: null,
    from: firstMonday.toJSDate(),
    to: firstMonday.plus({ weeks }).toJSDate(),
    ms: 0,
  };
}

/** Opening hours of a generated clinic (reports shape): weekdays 07:30 until half an hour after the last session, Saturday 09:00–14:00. */
function openingHours(slots: number): { weekday: number; start: string; end: string }[] {
  const end = `${String(8 + slots).padStart(2, '0')}:30`;
  return [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '07:30', end })).concat([{ weekday: 6, start: '09:00', end: '14:00' }]);
}

/** About how many sessions a client completes over the books (every client comes back every K slots of their practitioner). */
function expectedVisits(s: Shape): number {
  const P = s.clinics * s.ppc;
  const K = Math.floor(s.clients / P);
  return Math.max(3, Math.floor((s.appointments / P / K) * 0.8));
}

/**
 * The accepted plan body (SAMPLES.planAccepted) made plan c's: its expected range of sessions
 * (c mod 10 < 6: around what the client will complete; 6–7: above it, so the plan ends below
 * range; 8: below it, so the plan runs over; c mod 60 fixes the numbers), its pain baseline and
 * benchmark (5 + seed5, seed5 = the client's seed mod 5: the baseline the notes' trajectory
 * starts from) and a 4-session / 12-week
 * re-assessment cadence in the active phases.
 */
function reportsPlanBody(body: string, c: string, seed5: string, e: number): string {
  const min = `(CASE WHEN ${c} % 10 < 6 THEN greatest(1, ${e} - 3 - ${c} % 3) WHEN ${c} % 10 < 8 THEN ${e} + 3 + ${c} % 3 ELSE greatest(1, ${e} - 10 - ${c} % 3) END)`;
  const max = `(CASE WHEN ${c} % 10 < 6 THEN ${e} + 2 + ${c} % 4 WHEN ${c} % 10 < 8 THEN ${e} + 9 + ${c} % 3 ELSE greatest(2, ${e} - 5 - ${c} % 3) END)`;
  const base = `(5 + ${seed5})`;
  const cadence = `'{"everyWeeks":12,"everySessions":4}'::jsonb`;
  let b = `jsonb_set(${body}, '{expectedSessions,value}', jsonb_build_object('min', ${min}, 'max', ${max}, 'likely', (${min} + ${max}) / 2))`;
  b = `jsonb_set(${b}, '{baseline,pain,0,score}', to_jsonb(${base}))`;
  b = `jsonb_set(${b}, '{benchmarks,0,baseline}', to_jsonb(${base}))`;
  b = `jsonb_set(${b}, '{benchmarks,0,target}', to_jsonb(${base} - 2))`;
  b = `jsonb_set(${b}, '{phases,0,reassessment,value}', ${cadence})`;
  b = `jsonb_set(${b}, '{phases,1,reassessment,value}', ${cadence})`;
  return b;
}

/**
 * Is session v of client cl a re-assessment (reports shape)? The cadence is every 4 sessions:
 * c mod 10 < 6 (and the clients with no plan) re-assess on time (after 4, 8, … sessions), 6–7 late
 * (every 6 sessions: two sessions late each time), 8 never (every one missed).
 */
function reassessmentDueSql(cl: string, v: string): string {
  return `(${v} > 1 AND CASE WHEN ${cl} % 10 IN (6, 7) THEN (${v} - 1) % 6 = 0 WHEN ${cl} % 10 = 8 THEN false ELSE (${v} - 1) % 4 = 0 END)`;
}

/** A maintenance client (plan status MAINTENANCE: c mod 20 in 12–14) who lapsed: a third of them stopped coming ten weeks ago. */
function lapsedSql(cl: string): string {
  return `(${cl} % 20 BETWEEN 12 AND 14 AND (${cl} / 20) % 3 = 0)`;
}

/**
 * Pain before session v (0–10) of the client whose seed is `seed`: from the baseline (5–9) down
 * by 0.5, 0.3, 0.12 or 0 points a session (a quarter of clients each), never below 1, with a
 * point of noise either way.
 */
function painNowSql(seed: string, v: string): string {
  const base = `(5 + (${seed}) % 5)`;
  const rate = `(ARRAY[0.5, 0.3, 0.12, 0])[1 + ((${seed}) / 5) % 4]`;
  return `least(10, greatest(0, greatest(1, ${base} - floor((${v} - 1) * ${rate})::int) + ((${v} * 7 + (${seed})) % 3)::int - 1))`;
}

/**
 * Referrals of the reports shape: the organization and its partner (the first other
 * organization) become ACTIVE partners; every 25th client of the organization is referred —
 * every 50th to the partner's clinic, the others to the next clinic of the chain — and every 5th
 * client of the partner to one of the organization's clinics. Each referral has the referrer's
 * row and the receiver's inbox row (same id), sent over the books' span, with a realistic mix of
 * answers (accepted, scheduled, completed, declined, still waiting, expired, cancelled) and
 * 1–96 hours to answer.
 */
async function fillReferrals(q: QueryRunner, s: Shape, main: ScaleResult, partner: ScaleResult, log: (line: string) => void): Promise<void> {
  const t = process.hrtime.bigint();
  const P = s.clinics * s.ppc;
  const partnerClients = Math.max(s.ppc, Math.round(s.clients / 100));
  const spanDays = Math.max(1, Math.round((s.now.getTime() - main.from.getTime()) / 86_400_000) - 1);
  const [{ id: partnershipId }] = (await q.query(`SELECT ${uuidSql(`md5($1 || ':partnership')`)} AS id`, [s.slug])) as { id: string }[];
  let rows = 0;
  const run = async (sql: string, params: unknown[]): Promise<number> => {
    const res = (await q.query(sql, params, true)) as { affected?: number };
    rows += res.affected ?? 0;
    return res.affected ?? 0;
  };
  main.counts.partnership = await run(
    `INSERT INTO partnership (organization_id, id, partner_organization_id, direction, status, invited_by_user_id, note, created_at, responded_at, updated_at)
     VALUES ($1, $3, $2, 'OUTGOING', 'ACTIVE', $4, 'Scale partner', $5, $5, $5), ($2, $3, $1, 'INCOMING', 'ACTIVE', $4, 'Scale partner', $5, $5, $5)`,
    [main.organizationId, partner.organizationId, partnershipId, main.adminUserId, main.from],
  );
  const status = (k: string): string =>
    `(ARRAY['ACCEPTED','ACCEPTED','ACCEPTED','ACCEPTED','ACCEPTED','SCHEDULED','SCHEDULED','SCHEDULED','COMPLETED','COMPLETED','COMPLETED',
            'DECLINED','DECLINED','DECLINED','SENT','SENT','SENT','EXPIRED','EXPIRED','CANCELLED'])[1 + (${k}) % 20]`;
  // One referral per row of the source: $1 the source organization's slug (ids), $2 its organization, $3 its admin, $4 the target organization,
  // $5 the span's first day, $6 now; the columns c (client index), clinic and practitioner (source), target clinic.
  const insertReferrals = (source: string): string => `
    INSERT INTO referral (organization_id, id, client_id, referring_user_id, referring_practitioner_id, referring_clinic_id, target_organization_id, target_clinic_id,
                          target_discipline, target_names, reason, clinical_question, urgency, shared_records, consent_method, consent_recorded_by_user_id,
                          consent_recorded_at, consent_ends_at, status, valid_for_days, valid_until, sent_at, due_at, responded_at, version, created_at, updated_at)
    SELECT $2, ${uuidSql(`md5($1 || ':referral:' || c)`)}, ${uuidSql(`md5($1 || ':client:' || c)`)}, $3, pr, cl, torg, tcl,
           CASE WHEN c % 3 = 0 THEN 'PHYSIOTHERAPIST' ELSE 'MASSAGE_THERAPIST' END, jsonb_build_object('clinicName', tname),
           'Persistent pain despite the current plan', 'Would a physiotherapy assessment help the client return to work?',
           CASE WHEN c % 10 = 0 THEN 'URGENT' ELSE 'ROUTINE' END, ARRAY['INTAKE_SUMMARY','CURRENT_PLAN'], 'VERBAL', $3,
           sent, sent + interval '180 days', st, 30, sent + interval '30 days', sent, sent + interval '3 days',
           CASE WHEN st IN ('ACCEPTED','SCHEDULED','COMPLETED','DECLINED') THEN sent + interval '1 hour' * (1 + c % 96) END, 1, sent, sent
    FROM (${source}) src,
         LATERAL (SELECT ${status(`hashtext($1 || ':referral-status:' || c) & 2147483647`)} AS st) x,
         LATERAL (SELECT CASE WHEN x.st = 'SENT' THEN $6::timestamptz - interval '1 hour' * (1 + c % 48)
                              ELSE $5::timestamptz + interval '1 day' * ((c * 37) % ${spanDays}) + interval '1 hour' * (9 + c % 8) END AS sent) y`;
  const clinicOf = (slug: string, i: string): string => uuidSql(`md5('${slug}' || ':clinic:' || (${i}))`);
  const practitionerOf = (slug: string, i: string): string => uuidSql(`md5('${slug}' || ':practitioner:' || (${i}))`);
  // The organization's referrals: every 25th client; every 50th to the partner.
  main.counts.referral = await run(
    insertReferrals(`
      SELECT c, ${practitionerOf(s.slug, `c % ${P}`)} AS pr, ${clinicOf(s.slug, `(c % ${P}) / ${s.ppc}`)} AS cl,
             CASE WHEN c % 50 = 0 THEN $4::uuid ELSE $2::uuid END AS torg,
             CASE WHEN c % 50 = 0 THEN ${clinicOf(partner.slug, '0')} ELSE ${clinicOf(s.slug, `((c % ${P}) / ${s.ppc} + 1) % ${s.clinics}`)} END AS tcl,
             CASE WHEN c % 50 = 0 THEN 'Partner clinic' ELSE 'Clinic ' || lpad((((c % ${P}) / ${s.ppc} + 1) % ${s.clinics})::text, 3, '0') END AS tname
      FROM generate_series(0, ${s.clients - 1}) c WHERE c % 25 = 0`),
    [s.slug, main.organizationId, main.adminUserId, partner.organizationId, main.from, s.now],
  );
  // The partner's referrals to the organization: every 5th of its clients.
  partner.counts.referral = await run(
    insertReferrals(`
      SELECT c, ${practitionerOf(partner.slug, `c % ${s.ppc}`)} AS pr, ${clinicOf(partner.slug, '0')} AS cl, $4::uuid AS torg,
             ${clinicOf(s.slug, `c % ${s.clinics}`)} AS tcl, 'Clinic ' || lpad((c % ${s.clinics})::text, 3, '0') AS tname
      FROM generate_series(0, ${partnerClients - 1}) c WHERE c % 5 = 0`),
    [partner.slug, partner.organizationId, partner.adminUserId, main.organizationId, main.from, s.now],
  );
  // The receivers' rows (referral_inbox, same id, in the target organization).
  main.counts.referral_inbox = await run(
    `INSERT INTO referral_inbox (organization_id, id, source_organization_id, source_organization_name, source_clinic_name, referrer_name, clinic_id, practitioner_id,
                                 discipline, urgency, status, reason, clinical_question, shared_records, consent_method, consent_recorded_at, consent_ends_at,
                                 client_snapshot, sent_at, responded_at, due_at, escalate_at, valid_until, version, created_at, updated_at)
     SELECT r.target_organization_id, r.id, r.organization_id, o.name, rc.name, 'Scale Admin', r.target_clinic_id, NULL,
            r.target_discipline, r.urgency, r.status, r.reason, r.clinical_question, r.shared_records, r.consent_method, r.consent_recorded_at, r.consent_ends_at,
            jsonb_build_object('firstName', cl.first_name, 'lastName', cl.last_name, 'preferredName', NULL, 'dateOfBirth', cl.date_of_birth, 'phone', cl.phone, 'email', cl.email),
            r.sent_at, r.responded_at, r.due_at, r.sent_at + interval '5 days', r.valid_until, 1, r.sent_at, coalesce(r.responded_at, r.sent_at)
     FROM referral r JOIN organization o ON o.id = r.organization_id
          JOIN clinic rc ON rc.organization_id = r.organization_id AND rc.id = r.referring_clinic_id
          JOIN client cl ON cl.organization_id = r.organization_id AND cl.id = r.client_id
     WHERE r.organization_id = ANY($1::uuid[])`,
    [[main.organizationId, partner.organizationId]],
  );
  const ms = Number((process.hrtime.bigint() - t) / 1_000_000n);
  log(`referrals (partnership, referral, referral_inbox): ${rows} rows in ${ms} ms`);
}
