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
 * checks every row. Ids are deterministic (md5 of the slug and the index, as version-4 uuids), so
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

interface Shape {
  slug: string;
  clients: number;
  appointments: number;
  clinics: number;
  ppc: number;
  slots: number;
  tz: string;
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
  const tz = options.timeZone ?? 'Europe/London';
  if (!DateTime.now().setZone(tz).isValid) throw new Error(`generateScale: ${tz} is not an IANA time zone`);
  const slug = options.slug ?? `scale-${clients}-${appointments}`;
  if (!/^[a-z0-9-]{1,60}$/.test(slug)) throw new Error('generateScale: slug must be 1–60 characters of a-z, 0-9 and -');
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  const shape: Shape = { slug, clients, appointments, clinics, ppc, slots, tz, now, passwordHash: options.passwordHash ?? null, fullBodies: options.fullBodies ?? false, addendaPercent: int('addendaPercent', options.addendaPercent, 1, 0) };

  const q = ownerDataSource.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction();
    await q.query(`SET LOCAL synchronous_commit = off`);
    await q.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    await q.query(`SET LOCAL work_mem = '64MB'`);
    const deferred = await deferConstraints(q, BULK_TABLES);
    const result = await fill(q, shape, log);
    for (let i = 1; i <= others; i++) {
      const small = Math.max(ppc, Math.round(clients / 100));
      await fill(q, { ...shape, slug: `${slug}-other-${i}`, clients: small, appointments: Math.max(slots, Math.round(appointments / 100)), clinics: 1, passwordHash: null, fullBodies: false }, () => undefined);
    }
    const t = process.hrtime.bigint();
    await restoreConstraints(q, deferred, log);
    log(`indexes and constraints rebuilt and checked: ${Number((process.hrtime.bigint() - t) / 1_000_000n)} ms`);
    await q.commitTransaction();
    if (options.analyze ?? true) {
      // As autovacuum would leave it: statistics, and the visibility map that index-only scans need.
      const t = process.hrtime.bigint();
      await q.query(`VACUUM (ANALYZE) ${BULK_TABLES.join(', ')}`);
      await q.query(`ANALYZE`);
      log(`vacuum and analyze: ${Number((process.hrtime.bigint() - t) / 1_000_000n)} ms`);
    }
    result.ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
    log(`scale: ${clients} clients, ${appointments} appointments in ${(result.ms / 1000).toFixed(1)} s`);
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

async function restoreConstraints(q: QueryRunner, d: Deferred, log: (line: string) => void): Promise<void> {
  const timed = async (what: string, sql: string): Promise<void> => {
    const t = process.hrtime.bigint();
    await q.query(sql);
    log(`  ${what}: ${Number((process.hrtime.bigint() - t) / 1_000_000n)} ms`);
  };
  for (const def of d.indexes) await timed(def.replace(/^CREATE (UNIQUE )?INDEX (\S+) ON (\S+).*$/, '$2'), def);
  for (const c of d.constraints) await timed(c.name, `ALTER TABLE ${c.table} ADD CONSTRAINT ${c.name} ${c.def}`);
}

async function fill(q: QueryRunner, s: Shape, log: (line: string) => void): Promise<ScaleResult> {
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
    log(`${name}: ${rows ?? ''} rows in ${Number((process.hrtime.bigint() - t) / 1_000_000n)} ms`);
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
    `INSERT INTO clinic (id, organization_id, name, address_line1, city, country, time_zone, phone)
     SELECT ${id('clinic', 'i')}, ${id('org', '0')}, 'Clinic ' || lpad(i::text, 3, '0'), (1 + i) || ' High Street', 'City ' || (i % 40), 'GB', $2, '+44207946' || lpad(i::text, 4, '0')
     FROM generate_series(0, ${s.clinics - 1}) i`,
    [s.tz],
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
     FROM generate_series(0, ${P - 1}) p, generate_series(1, 5) d`,
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
    `INSERT INTO plan_version (organization_id, plan_id, version, body, change_kind, reason, changed_by, changed_at)
     SELECT ${id('org', '0')}, ${id('plan', 'c')}, v, CASE WHEN ${full} THEN (CASE WHEN v = 1 THEN $2 ELSE $3 END)::jsonb ELSE $4::jsonb END,
            CASE WHEN v = 1 THEN 'PROPOSED' ELSE 'ACCEPTED' END, CASE WHEN v = 1 THEN 'Proposed from the intake' ELSE 'Agreed with the client at intake' END,
            $5::uuid, $6::timestamptz
     FROM ${planned.replace(' WHERE ', ', generate_series(1, 2) v WHERE ')} AND (v = 1 OR ${planStatus} <> 'PROPOSED')`,
    [JSON.stringify(SAMPLES.planProposed), JSON.stringify(SAMPLES.planAccepted), JSON.stringify(SAMPLES.planBlocked), adminUserId, firstMonday.minus({ days: 1 }).toJSDate()],
  );

  // Appointments: n → practitioner p = n mod P, its t-th slot (t = n div P): working day w, slot of the day.
  const long = `(p = 0 AND slot = 0 AND w % 4 = 0)`;
  const clientIdx = `CASE WHEN ${long} THEN 0 ELSE p + ${P} * (t % ${K}) END`;
  const visit = `CASE WHEN ${long} THEN w / 4 + 1 ELSE t / ${K} + 1 END`;
  await step(
    'appointment',
    `INSERT INTO appointment (organization_id, clinic_id, practitioner_id, room_id, client_id, plan_id, session_number, phase_index, kind, starts_at, ends_at,
                              status, status_reason, status_changed_at, created_by, created_at, updated_at)
     SELECT ${id('org', '0')}, ${id('clinic', `p / ${s.ppc}`)}, ${id('practitioner', 'p')}, ${id('room', 'p')}, ${id('client', 'cl')},
            CASE WHEN cl % 10 <> 9 THEN ${id('plan', 'cl')} END, v, 0,
            CASE WHEN v = 1 THEN 'INTAKE' WHEN v % 6 = 0 THEN 'REASSESSMENT' ELSE 'SESSION' END, st, st + interval '1 hour',
            x.status, CASE WHEN x.status IN ('CANCELLED','LATE_CANCELLED') THEN 'Client request' END,
            CASE WHEN x.status <> 'BOOKED' THEN st + interval '1 hour' END, $3::uuid, st - interval '14 days', st
     FROM generate_series(0::bigint, ${P - 1}) p, generate_series(0::bigint, ${Math.ceil(s.appointments / P) - 1}) t,
          LATERAL (SELECT t * ${P} + p AS n) a,
          LATERAL (SELECT t / ${S} AS w, t % ${S} AS slot) b,
          LATERAL (SELECT ${clientIdx} AS cl, ${visit} AS v,
                          (($4::date + (w / 5 * 7 + w % 5)::int)::timestamp + make_interval(hours => 8 + slot::int)) AT TIME ZONE $5 AS st) c,
          LATERAL (SELECT CASE WHEN st >= $2::timestamptz THEN (CASE WHEN (n * 7919) % 100 < 4 AND NOT ${long} THEN 'CANCELLED' ELSE 'BOOKED' END)
                               WHEN ${long} THEN 'COMPLETED'
                               WHEN (n * 7919) % 100 < 3 THEN 'NO_SHOW' WHEN (n * 7919) % 100 < 6 THEN 'LATE_CANCELLED'
                               WHEN (n * 7919) % 100 < 11 THEN 'CANCELLED' ELSE 'COMPLETED' END AS status) x
     WHERE t * ${P} + p < ${s.appointments}`,
    [s.now, adminUserId, startDate, s.tz],
  );
  const busyPractitionerId = await idOf('practitioner', 0);
  await step(
    'session_note',
    `INSERT INTO session_note (organization_id, appointment_id, client_id, practitioner_id, plan_id, checkin, techniques, duration_minutes, client_feedback,
                               pain_after, soap, home_care, signed_at, signed_by, created_by, created_at, updated_at)
     SELECT a.organization_id, a.id, a.client_id, a.practitioner_id, a.plan_id, jsonb_set($2::jsonb, '{painNow}', to_jsonb(2 + (a.session_number * 3) % 7)), $3::jsonb, 60,
            CASE WHEN a.session_number % 3 = 0 THEN 'About the same' ELSE 'Looser afterwards' END, 1 + (a.session_number * 5) % 6, $4::jsonb, $5::jsonb,
            a.ends_at, $6::uuid, $6::uuid, a.ends_at, a.ends_at
     FROM appointment a WHERE a.organization_id = ${id('org', '0')} AND a.status = 'COMPLETED'`,
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
    from: firstMonday.toJSDate(),
    to: firstMonday.plus({ weeks }).toJSDate(),
    ms: 0,
  };
}
