import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { type QueueBackendConfig, QUEUES, createQueue } from '@fascia/jobs';
import { startApi } from '../src/server';
import { createOrgWithAdmin } from '../src/testing';
import { CREATE_CLINIC, PASSWORD, SIGN_IN, TEST_SECRET } from './harness';

/**
 * The real processes, as `npm start` runs them (built: `node apps/*\/dist/main.js`, no
 * NODE_ENV): after each kind of work they do, SIGTERM (Kubernetes) or SIGINT (Ctrl-C) must
 * end them, cleanly (exit code 0). What is asserted is that they exit at all — a forgotten
 * handle (a Redis connection, a timer) or a second signal handler (Apollo's own, which
 * NODE_ENV=test turns off: these tests once set it and missed the hang) keeps Node alive.
 * The only bound is the test's own timeout, a failure guard far above any machine's speed;
 * nothing here measures time.
 */
jest.setTimeout(10 * 60_000);

const ROOT = path.resolve(__dirname, '../../..');
const API_MAIN = path.join(ROOT, 'apps/api/dist/main.js');
const WORKER_MAIN = path.join(ROOT, 'apps/worker/dist/main.js');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Proc {
  child: ChildProcess;
  output: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Resolves with the first log record (so far or to come) whose msg matches (and that `where`
   * accepts); rejects if the process ends first.
   */
  logged(msg: RegExp, where?: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function start(main: string, env: NodeJS.ProcessEnv): Proc {
  if (!existsSync(main)) throw new Error(`${path.relative(ROOT, main)} is missing: build first (npx turbo run build)`);
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const records: Record<string, unknown>[] = [];
  const waiters: { re: RegExp; where: (r: Record<string, unknown>) => boolean; resolve(r: Record<string, unknown>): void }[] = [];
  let buffered = '';
  const onLine = (line: string) => {
    output.push(line);
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    records.push(rec);
    for (const w of [...waiters]) {
      if (typeof rec.msg === 'string' && w.re.test(rec.msg) && w.where(rec)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(rec);
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output,
    exit,
    logged: (re, where = () => true) =>
      new Promise((resolve, reject) => {
        const past = records.find((r) => typeof r.msg === 'string' && re.test(r.msg) && where(r));
        if (past) return resolve(past);
        waiters.push({ re, where, resolve });
        void exit.then(({ code, signal }) => reject(new Error(`the process ended (code ${code}, signal ${signal}) before logging ${re}:\n${output.join('\n')}`)));
      }),
  };
}

/** Removes the queues a test process made under its own Redis prefix. */
async function dropRedisQueues(prefix: string): Promise<void> {
  const cfg: QueueBackendConfig = { kind: 'redis', url: REDIS_URL, prefix };
  for (const name of Object.values(QUEUES)) {
    const q = createQueue(name, cfg);
    await q.obliterate({ force: true });
    await q.close();
  }
}

describe('SIGTERM ends the real processes cleanly', () => {
  let t: TestDatabase;
  const running = new Set<ChildProcess>();
  const prefixes: string[] = [];
  const newPrefix = () => {
    const p = `fascia-lifecycle-${randomBytes(5).toString('hex')}`;
    prefixes.push(p);
    return p;
  };
  const track = (p: Proc): Proc => {
    running.add(p.child);
    void p.exit.then(() => running.delete(p.child));
    return p;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    for (const c of running) c.kill('SIGKILL');
    for (const p of prefixes) await dropRedisQueues(p);
    await t?.drop();
  });

  it.each([
    ['redis', 'SIGTERM'],
    ['postgres', 'SIGINT'],
  ] as const)('the API, after a query, a mutation, queueHealth (%s backend) and a failed sign-in, with a keep-alive client still asking, exits 0 on %s', async (backend, signal) => {
    const email = `lifecycle-${randomBytes(4).toString('hex')}@ops.example`;
    await createOrgWithAdmin(t.db, { orgName: `Lifecycle Chain ${backend}`, email, password: PASSWORD });
    // On PostgreSQL: the queue schema the migrations made in this test database (the apps never create it).
    const queueEnv = backend === 'redis' ? { REDIS_URL, QUEUE_PREFIX: newPrefix() } : {};
    const api = track(start(API_MAIN, { DATABASE_URL: t.runtimeUrl, API_PORT: '0', APP_SECRET: TEST_SECRET, ...queueEnv }));
    const ready = await api.logged(/Fascia API ready at/);
    const url = /(http:\/\/\S+)\/graphql/.exec(String(ready.msg))![1];
    const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
    };

    const failed = await gql(SIGN_IN, { input: { email, password: 'not the password at all' } });
    expect(failed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const signedIn = await gql(SIGN_IN, { input: { email, password: PASSWORD } });
    const token = signedIn.data.signIn.accessToken as string;
    const me = await gql(`query { me { user { email } } }`, {}, token);
    expect(me.data?.me.user.email).toBe(email);
    const clinic = await gql(
      CREATE_CLINIC,
      { input: { name: 'North', addressLine1: '1 High St', city: 'Leeds', country: 'GB', timeZone: 'Europe/London', openingHours: [] } },
      token,
    );
    expect(clinic.errors).toBeUndefined();
    const health = await gql(`query { queueHealth { queues { key waiting } } }`, {}, token);
    expect(health.errors).toBeUndefined();
    expect(health.data.queueHealth.queues.map((q: { key: string }) => q.key).sort()).toEqual(['notifications', 'scheduling']);

    // A browser (or the admin's dev proxy) keeps its connection alive and keeps asking:
    // one client on one keep-alive socket, a request always in flight, through the stop.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify({ query: 'query { queueHealth { queues { key waiting } } }' });
    const post = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${url}/graphql`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
          res.once('error', reject);
        });
        req.once('error', reject);
        req.end(body);
      });
    let answered = 0;
    let stopped = false;
    const client = (async () => {
      while (!stopped) {
        try {
          if ((await post()) === 200) answered++;
        } catch {
          return; // the server closed the connection and no longer listens
        }
      }
    })();
    while (answered < 3) await new Promise((r) => setTimeout(r, 20));

    api.child.kill(signal);
    const exited = await api.exit;
    stopped = true;
    await client;
    agent.destroy();
    expect(exited).toEqual({ code: 0, signal: null });
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('the API, signed in to by a browser whose keep-alive connection now sits idle (the admin app, as npm start runs it), exits 0 on %s', async (signal) => {
    const email = `idle-${randomBytes(4).toString('hex')}@ops.example`;
    await createOrgWithAdmin(t.db, { orgName: `Lifecycle Idle ${signal}`, email, password: PASSWORD });
    const api = track(start(API_MAIN, { DATABASE_URL: t.runtimeUrl, API_PORT: '0', APP_SECRET: TEST_SECRET }));
    const ready = await api.logged(/Fascia API ready at/);
    const url = /(http:\/\/\S+)\/graphql/.exec(String(ready.msg))![1];
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (query: string, variables: Record<string, unknown>, token?: string) =>
      new Promise<{ status: number; body: any; socketClosed: Promise<void> }>((resolve, reject) => {
        const req = request(
          `${url}/graphql`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.once('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), socketClosed: new Promise((r) => req.socket!.once('close', () => r())) }));
            res.once('error', reject);
          },
        );
        req.once('error', reject);
        req.end(JSON.stringify({ query, variables }));
      });
    const signedIn = await post(SIGN_IN, { input: { email, password: PASSWORD } });
    const me = await post(`query { me { user { email } } }`, {}, signedIn.body.data.signIn.accessToken as string);
    expect(me.body.data.me.user.email).toBe(email);
    // The answer is in; the connection stays open, idle, in the agent's pool (as a browser's does).
    expect(me.status).toBe(200);

    api.child.kill(signal);
    expect(await api.exit).toEqual({ code: 0, signal: null });
    await me.socketClosed; // the server closed the idle connection
    agent.destroy();
  });

  it('the API leaves SIGINT and SIGTERM to main.ts: Apollo adds no handler of its own, whatever NODE_ENV', async () => {
    // Apollo installs its own handlers unless NODE_ENV=test (or stopOnTerminationSignals: false);
    // a second handler starts a concurrent apollo.stop() that Apollo 5 never settles, and the
    // API hung on Ctrl-C under npm start. Checked in-process: the race that made it hang needs no luck here.
    const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    let running: Awaited<ReturnType<typeof startApi>> | null = null;
    try {
      running = await startApi({ databaseUrl: t.runtimeUrl, port: 0, appSecret: TEST_SECRET, logLevel: 'silent' });
      expect({ SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') }).toEqual(before);
    } finally {
      process.env.NODE_ENV = nodeEnv;
      await running?.stop();
    }
  });

  it.each([
    ['redis', 'SIGTERM'],
    ['postgres', 'SIGINT'],
  ] as const)('the worker (%s backend), after relaying and running a job, exits 0 on %s', async (backend, signal) => {
    const { organizationId } = await createOrgWithAdmin(t.db, { orgName: `Lifecycle Worker ${backend}`, email: `worker-${randomBytes(4).toString('hex')}@ops.example`, password: PASSWORD });
    const mailDir = mkdtempSync(path.join(tmpdir(), 'fascia-lifecycle-'));
    try {
      const worker = track(
        start(WORKER_MAIN, {
          DATABASE_URL: t.runtimeUrl,
          APP_SECRET: TEST_SECRET,
          MAIL_DIR: mailDir,
          SMS_PROVIDER: 'console',
          ...(backend === 'redis' ? { REDIS_URL, QUEUE_PREFIX: newPrefix() } : {}),
        }),
      );
      await worker.logged(/^worker started$/);
      // Work through every part: the relay claims an outbox row, BullMQ runs the job, the
      // handler reads the database (an appointment that does not exist: nothing to reconcile).
      const [{ id }] = (await t.dataSource.query(
        `INSERT INTO outbox_message (organization_id, job_name, payload) VALUES ($1, 'appointment.changed', $2) RETURNING id`,
        [organizationId, JSON.stringify({ organizationId, appointmentId: randomUUID() })],
      )) as { id: string }[];
      // This job's: a sweep the schedulers start (the referral sweep runs every minute) may finish first.
      const done = await worker.logged(/^job done$/, (r) => r.jobId === id);
      expect(done).toMatchObject({ jobId: id, outcome: 'reconciled' });
      worker.child.kill(signal);
      expect(await worker.exit).toEqual({ code: 0, signal: null });
      expect(worker.output.join('\n')).toMatch(/worker stopped/);
    } finally {
      rmSync(mailDir, { recursive: true, force: true });
    }
  });
});
