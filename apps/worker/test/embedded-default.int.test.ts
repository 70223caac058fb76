import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Db, Reminder, createDataSource, migrate, provisionRuntimeLogin } from '@fascia/db';
import { DateTime } from 'luxon';
import pino from 'pino';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { startApi } from '../../api/src/server';
import { createOrgWithAdmin } from '../../api/src/testing';
import { type RunningWorker, startWorker } from '../src/runtime';
import { type TestSmtp, WAIT_TEST_TIMEOUT_MS, startSmtpServer, testWorkerConfig, waitFor } from './support';

/**
 * The embedded default as `npm start` runs it: the real PostgreSQL server from npm
 * (`packages/db/dist/embedded/cli.js`, as root in CI — it then runs as the `postgres`
 * user), migrated by the owner, the API and the worker logged in as `fascia_runtime`.
 * A burst of concurrent reads and writes from both finds every row where it belongs;
 * a clean stop needs no recovery; a second server on the folder is refused; a stale
 * lock from a power cut is recovered.
 */
const CLI = path.resolve(__dirname, '../../../packages/db/dist/embedded/cli.js');
const PASSWORD = 'embedded-test-owner-password';
const RUNTIME = { role: 'fascia_runtime', password: 'embedded-test-runtime-password' };
const APP_SECRET = 'embedded-test-secret-0123456789abcdef';
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
// Starting and initialising a server is seconds on a quiet machine; a generous guard, not a measure.
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

interface Server {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** Runs the CLI; resolves once it printed `ready at`, or rejects with what it printed. */
function runCli(dataDir: string, port: number): Promise<Server> {
  const child = spawn(process.execPath, [CLI], {
    env: { ...process.env, EMBEDDED_DB_DIR: dataDir, EMBEDDED_DB_PORT: String(port), EMBEDDED_DB_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (/ready at /.test(out)) resolve({ child, output: () => out, exit });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then((code) => reject(Object.assign(new Error(`the embedded database exited (${code}):\n${out}`), { output: out, code })));
  });
}

async function stopCli(server: Server): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exit;
}

const gqlAt = (url: string) =>
  async function gql(query: string, variables: Record<string, unknown>, token?: string): Promise<{ data?: any; errors?: { message: string; extensions?: { code?: string } }[] }> {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as never;
  };


describe('the embedded default: real PostgreSQL from npm, apps on the runtime login', () => {
  let dir: string;
  let dataDir: string;
  let port: number;
  let server: Server;
  let ownerUrl: string;
  let owner: DataSource;
  let smtp: TestSmtp;
  let api: Awaited<ReturnType<typeof startApi>> | null = null;
  let worker: RunningWorker | null = null;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`Build packages/db first (npm run build): ${CLI} is missing`);
    dir = mkdtempSync(path.join(tmpdir(), 'fascia-embedded-'));
    // As root the server runs as the unprivileged `postgres` user, which must reach the folder.
    chmodSync(dir, 0o755);
    dataDir = path.join(dir, 'postgres');
    port = await freePort();
    server = await runCli(dataDir, port);
    ownerUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/fascia`;
    smtp = await startSmtpServer();
    await migrate(ownerUrl);
  });

  afterAll(async () => {
    await worker?.stop().catch(() => undefined);
    await api?.stop().catch(() => undefined);
    if (owner?.isInitialized) await owner.destroy();
    await smtp?.close();
    if (server && server.child.exitCode === null) await stopCli(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates as the owner and gives the apps a login that can do nothing without an application role', async () => {
    // Migrating again is a no-op (npm start does it on every start).
    expect(await migrate(ownerUrl)).toEqual([]);
    const runtimeUrl = await provisionRuntimeLogin(ownerUrl, RUNTIME);
    const c = new Client({ connectionString: runtimeUrl });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT current_user AS u, rolsuper, rolinherit FROM pg_roles WHERE rolname = current_user`);
      expect(rows[0]).toEqual({ u: 'fascia_runtime', rolsuper: false, rolinherit: false });
      await expect(c.query('SELECT count(*) FROM client')).rejects.toThrow(/permission denied/);
      await expect(c.query('SELECT count(*) FROM bullmq.job')).rejects.toThrow(/permission denied/);
      await c.query('BEGIN');
      await c.query(`SELECT set_config('role', 'fascia_app', true)`);
      // Row-level security: with no organization set, an application role sees nothing.
      expect((await c.query('SELECT count(*)::int AS n FROM client')).rows[0].n).toBe(0);
      await c.query('ROLLBACK');
      const version = (await c.query('SHOW server_version')).rows[0].server_version as string;
      expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(15);
    } finally {
      await c.end();
    }
  });

  it('serves a burst of concurrent reads and writes from the API and the worker, every row where it belongs', async () => {
    const runtimeUrl = await provisionRuntimeLogin(ownerUrl, RUNTIME);
    owner = createDataSource({ url: ownerUrl, poolSize: 4 });
    await owner.initialize();
    api = await startApi({ databaseUrl: runtimeUrl, port: 0, appSecret: APP_SECRET, logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const config = testWorkerConfig(runtimeUrl, { kind: 'postgres', connectionString: runtimeUrl }, { appSecret: APP_SECRET, smtpUrl: smtp.url, schedulers: false });
    worker = await startWorker(config, { logger: log });
    const gql = gqlAt(api.url);

    const email = `admin-${Date.now()}@embedded.example`;
    const { organizationId } = await createOrgWithAdmin(new Db(owner), { orgName: 'Embedded Chain', email, password: 'correct horse battery' });
    const signIn = await gql(`mutation S($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { email, password: 'correct horse battery' } });
    const token = signIn.data.signIn.accessToken as string;
    const clinic = await gql(
      `mutation C($i: CreateClinicInput!) { createClinic(input: $i) { id } }`,
      {
        i: {
          name: 'Embedded Soho', addressLine1: '1 High Street', city: 'London', postalCode: 'W1', country: 'GB', timeZone: 'Europe/London',
          openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:59' })),
        },
      },
      token,
    );
    expect(clinic.errors).toBeUndefined();
    const clinicId = clinic.data.createClinic.id as string;
    const room = await gql(`mutation R($i: CreateRoomInput!) { createRoom(input: $i) { id } }`, { i: { clinicId, name: 'Room 1' } }, token);
    expect(room.errors).toBeUndefined();
    const practitioner = await gql(
      `mutation P($i: CreatePractitionerInput!) { createPractitioner(input: $i) { id } }`,
      { i: { displayName: 'Ada Therapist', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ clinicId, weekday, start: '00:00', end: '23:59' })) } },
      token,
    );
    const practitionerId = practitioner.data.createPractitioner.id as string;

    // Writes from the API: 24 clients at once, each with its own name.
    const names = Array.from({ length: 24 }, (_, i) => ({ firstName: `Client${i}`, lastName: `Burst${i}` }));
    const created = await Promise.all(
      names.map((n) => gql(`mutation N($i: CreateClientInput!) { createClient(input: $i) { id firstName lastName } }`, { i: { ...n, email: `${n.firstName.toLowerCase()}@example.com`, preferredChannels: ['EMAIL'] } }, token)),
    );
    const clients = created.map((r, i) => {
      expect(r.errors).toBeUndefined();
      expect(r.data.createClient).toMatchObject(names[i]);
      return r.data.createClient as { id: string; firstName: string };
    });

    // Then a mixed burst: 50 bookings of one slot, reads of every client, staff invitations
    // (the worker sends their emails) and bookings of other slots (the worker writes their reminders).
    const slot = DateTime.now().setZone('Europe/London').plus({ days: 3 }).startOf('hour').set({ hour: 10 });
    const book = (clientId: string, start: DateTime) =>
      gql(
        `mutation B($i: BookAppointmentInput!) { bookAppointment(input: $i) { id clientId } }`,
        { i: { clinicId, practitionerId, roomId: null, clientId, startsAt: start.toFormat("yyyy-MM-dd'T'HH:mm"), durationMinutes: 60 } },
        token,
      );
    const sameSlot = Array.from({ length: 50 }, (_, i) => book(clients[i % clients.length].id, slot));
    const reads = clients.map((c) => gql(`query Q($id: ID!) { client(id: $id) { id firstName } }`, { id: c.id }, token));
    const invites = Array.from({ length: 6 }, (_, i) =>
      gql(`mutation I($i: InviteStaffInput!) { inviteStaff(input: $i) { id } }`, { i: { email: `staff${i}@embedded.example`, displayName: `Staff ${i}`, role: 'FRONT_DESK' } }, token),
    );
    const otherSlots = clients.slice(0, 6).map((c, i) => book(c.id, slot.plus({ days: 1, hours: i })));
    const lists = Array.from({ length: 6 }, () => gql(`query L { clients(first: 100) { edges { node { id firstName } } } }`, {}, token));
    const [bookings, readResults, inviteResults, otherBookings, listResults] = await Promise.all([
      Promise.all(sameSlot),
      Promise.all(reads),
      Promise.all(invites),
      Promise.all(otherSlots),
      Promise.all(lists),
    ]);

    // Every request answered; one booking of the slot, 49 CONFLICT.
    expect(bookings.filter((b) => b.data?.bookAppointment).length).toBe(1);
    expect(bookings.filter((b) => b.errors?.[0]?.extensions?.code === 'CONFLICT').length).toBe(49);
    // Every read got its own row (no statement received another's rows).
    readResults.forEach((r, i) => expect(r.data.client).toEqual({ id: clients[i].id, firstName: clients[i].firstName }));
    for (const l of listResults) {
      const byId = new Map(l.data.clients.edges.map((e: { node: { id: string; firstName: string } }) => [e.node.id, e.node.firstName]));
      for (const c of clients) expect(byId.get(c.id)).toBe(c.firstName);
    }
    inviteResults.forEach((r) => expect(r.errors).toBeUndefined());
    otherBookings.forEach((r) => expect(r.errors).toBeUndefined());

    // The worker: every invitation email arrives, once, and every booking gets its reminders.
    const booked = [...bookings, ...otherBookings].filter((b) => b.data?.bookAppointment).map((b) => b.data.bookAppointment.id as string);
    const reminderCount = () => owner.getRepository(Reminder).createQueryBuilder('r').where('r.appointment_id IN (:...ids)', { ids: booked }).getCount();
    const sent = () => smtp.messages.filter((m) => m.to.some((t) => t.endsWith('@embedded.example'))).length;
    await waitFor('six invitation emails', () => sent() >= 6, { progress: sent, everyMs: 100 });
    await waitFor(
      'reminders for every booking',
      async () => {
        const rows = await owner.query(`SELECT count(DISTINCT appointment_id)::int AS n FROM reminder WHERE appointment_id = ANY($1::uuid[])`, [booked]);
        return rows[0].n === booked.length;
      },
      { progress: reminderCount, everyMs: 100 },
    );
    expect(sent()).toBe(6);
    const perPerson = new Map<string, number>();
    for (const m of smtp.messages) for (const t of m.to) perPerson.set(t, (perPerson.get(t) ?? 0) + 1);
    for (let i = 0; i < 6; i++) expect(perPerson.get(`staff${i}@embedded.example`)).toBe(1);

    // Stored where they belong: the clients in this organization, the one booking of the slot.
    const stored = await owner.query(`SELECT organization_id, first_name FROM client WHERE id = ANY($1::uuid[]) ORDER BY first_name`, [clients.map((c) => c.id)]);
    expect(stored).toHaveLength(24);
    for (const row of stored) expect(row.organization_id).toBe(organizationId);
    const atSlot = await owner.query(`SELECT count(*)::int AS n FROM appointment WHERE starts_at = $1 AND status <> 'CANCELLED'`, [slot.toUTC().toJSDate()]);
    expect(atSlot[0].n).toBe(1);
    // Both apps are connected as the runtime login, and BullMQ works as fascia_queue.
    const sessions = await owner.query(
      `SELECT DISTINCT usename, current_setting('role') FROM pg_stat_activity WHERE datname = 'fascia' AND application_name LIKE 'fascia-%' AND application_name <> 'fascia-migrate'`,
    );
    expect(sessions.map((s: { usename: string }) => s.usename)).toEqual(['fascia_runtime']);

    await worker.stop();
    worker = null;
    await api.stop();
    api = null;
    await owner.destroy();
  });

  it('refuses a second server on the same folder, stops cleanly, and restarts without recovery', async () => {
    await worker?.stop();
    await api?.stop();
    worker = null;
    api = null;
    if (owner?.isInitialized) await owner.destroy();
    const second = await runCli(dataDir, await freePort()).then(
      (s) => ({ started: true as const, s }),
      (err: { output: string; code: number }) => ({ started: false as const, err }),
    );
    expect(second.started).toBe(false);
    if (!second.started) {
      expect(second.err.code).toBe(1);
      expect(second.err.output).toMatch(/already running/);
    }

    expect(await stopCli(server)).toBe(0);
    expect(server.output()).toMatch(/stopped cleanly/);
    server = await runCli(dataDir, port);
    expect(server.output()).toMatch(/database system was shut down at/);
    expect(server.output()).not.toMatch(/recovery|was interrupted/);
    const c = new Client({ connectionString: ownerUrl });
    await c.connect();
    expect((await c.query('SELECT count(*)::int AS n FROM client')).rows[0].n).toBe(24);
    await c.end();
  });

  it('recovers a stale lock left by a power cut, with a message', async () => {
    expect(await stopCli(server)).toBe(0);
    // After a power cut postmaster.pid remains, and its PID may belong to another program by now.
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
    server = await runCli(dataDir, port);
    expect(server.output()).toMatch(/removed a stale lock/);
    const c = new Client({ connectionString: ownerUrl });
    await c.connect();
    expect((await c.query('SELECT count(*)::int AS n FROM client')).rows[0].n).toBe(24);
    await c.end();
  });
});
