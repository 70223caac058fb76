import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Invitation, Membership, Organization, type Role, User } from '@fascia/db';
import type { TestDatabase } from '@fascia/db/testing';
import { createQueue, QUEUES, type QueueBackendConfig } from '@fascia/jobs';
import type { WorkerConfig } from '../src/config';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** A message as it arrived at the test SMTP server. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  /** The decoded text/plain part. */
  text: string;
}

export interface TestSmtp {
  port: number;
  url: string;
  messages: ReceivedMail[];
  /** Every RCPT TO the server saw, accepted or not. */
  rcptAttempts: string[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (port chosen by the OS). Recipients whose local part
 * starts with `bounce` are refused with 550; those starting with `flaky` get a 451 the
 * first time and are accepted after.
 */
export async function startSmtpServer(): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const rcptAttempts: string[] = [];
  const flakySeen = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      rcptAttempts.push(address.address);
      if (address.address.startsWith('bounce')) return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      if (address.address.startsWith('flaky') && !flakySeen.has(address.address)) {
        flakySeen.add(address.address);
        return callback(Object.assign(new Error('4.2.0 Try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mailFrom = session.envelope.mailFrom;
        messages.push({ ...parseMail(raw), raw, from: mailFrom ? mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A client killed mid-conversation (the SIGKILL test) resets its connection: the server
  // reports it as an 'error', which is no fault of the server and must not fail the suite.
  server.on('error', () => undefined);
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    rcptAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function splitHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** Just enough MIME to read what nodemailer sends: headers, and the text/plain part. */
export function parseMail(raw: string): { headers: Record<string, string>; subject: string; text: string } {
  const sep = raw.search(/\r?\n\r?\n/);
  const headers = splitHeaders(raw.slice(0, sep));
  const body = raw.slice(sep).replace(/^\r?\n\r?\n/, '');
  let text = '';
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    for (const part of body.split(`--${boundary}`)) {
      const psep = part.search(/\r?\n\r?\n/);
      if (psep < 0) continue;
      const ph = splitHeaders(part.slice(0, psep).replace(/^\r?\n/, ''));
      if ((ph['content-type'] ?? '').startsWith('text/plain')) {
        text = decodeBody(part.slice(psep).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, ''), ph['content-transfer-encoding']);
      }
    }
  } else {
    text = decodeBody(body, headers['content-transfer-encoding']);
  }
  return { headers, subject: headers.subject ?? '', text: text.replace(/\r\n/g, '\n') };
}

export interface WaitOptions {
  /** Poll interval. Default 50 ms. */
  everyMs?: number;
  /**
   * A number that moves while the system works towards the condition (messages sent, rows
   * settled). The wait fails only when it has not moved for `stallMs`: a slow machine
   * that keeps making progress is never failed.
   */
  progress?: () => Promise<number> | number;
  /**
   * The failure guard, not a measure: with `progress`, how long without any; without it,
   * how long in all. Default 5 minutes — far above any machine's speed; test files that
   * wait set Jest's timeout above it (WAIT_TEST_TIMEOUT_MS).
   */
  stallMs?: number;
}

export const DEFAULT_STALL_MS = 5 * 60_000;
/** Jest timeout for a test file that waits: above the stall guard, so the guard's message is what a failure shows. */
export const WAIT_TEST_TIMEOUT_MS = 10 * 60_000;

/**
 * Polls until `check` returns a value other than undefined/false. Waits on progress, not
 * on wall time: it gives up only after `stallMs` without progress (see WaitOptions).
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, opts: WaitOptions = {}): Promise<T> {
  const everyMs = opts.everyMs ?? 50;
  const stallMs = opts.stallMs ?? DEFAULT_STALL_MS;
  let lastMove = Date.now();
  let seen: number | undefined;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (opts.progress) {
      const now = await opts.progress();
      if (now !== seen) {
        seen = now;
        lastMove = Date.now();
      }
    }
    if (Date.now() - lastMove > stallMs) {
      const where = opts.progress ? `no progress for ${stallMs} ms (stuck at ${seen})` : `nothing after ${stallMs} ms`;
      throw new Error(`Gave up waiting for ${what}: ${where}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Seed {
  organizationId: string;
  organizationName: string;
  inviterId: string;
  inviterName: string;
}

/** An organization and its admin, written as the database owner (test setup, not application code). */
export async function seedOrganization(t: TestDatabase, name: string, slug: string): Promise<Seed> {
  return t.dataSource.transaction(async (em) => {
    const org = await em.save(Organization, em.create(Organization, { name, slug }));
    const admin = await em.save(User, em.create(User, { email: `admin@${slug}.test`, displayName: `Ada Admin of ${name}`, status: 'ACTIVE' }));
    await em.save(Membership, em.create(Membership, { organizationId: org.id, userId: admin.id, role: 'ORG_ADMIN', clinicIds: [], status: 'ACTIVE' }));
    return { organizationId: org.id, organizationName: name, inviterId: admin.id, inviterName: admin.displayName };
  });
}

export async function seedInvitation(
  t: TestDatabase,
  seed: Seed,
  email: string,
  opts: { role?: Role; expiresAt?: Date; acceptedAt?: Date | null; displayName?: string; invitedAs?: string | null } = {},
): Promise<{ invitationId: string; userId: string; expiresAt: Date }> {
  return t.dataSource.transaction(async (em) => {
    const user = await em.save(User, em.create(User, { email, displayName: opts.displayName ?? email.split('@')[0], status: 'INVITED' }));
    const membership = await em.save(
      Membership,
      em.create(Membership, { organizationId: seed.organizationId, userId: user.id, role: opts.role ?? 'PRACTITIONER', clinicIds: [], status: 'INVITED' }),
    );
    const expiresAt = opts.expiresAt ?? new Date(Date.now() + 7 * 86_400_000);
    const inv = await em.save(
      Invitation,
      em.create(Invitation, { organizationId: seed.organizationId, userId: user.id, membershipId: membership.id, email, invitedBy: seed.inviterId, expiresAt, acceptedAt: opts.acceptedAt ?? null, displayName: opts.invitedAs ?? null }),
    );
    return { invitationId: inv.id, userId: user.id, expiresAt };
  });
}

/**
 * The queue backend a test file runs on: Redis under a prefix of its own (so parallel files
 * never share keys), or BullMQ's PostgreSQL backend in the file's own test database.
 */
export function testQueueConfig(backend: 'redis' | 'postgres', databaseUrl: string): QueueBackendConfig {
  return backend === 'redis'
    ? { kind: 'redis', url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: `fascia-test-${randomBytes(6).toString('hex')}` }
    : { kind: 'postgres', connectionString: databaseUrl };
}

/** Removes this test file's Redis queues; the PostgreSQL backend's go with the dropped test database. */
export async function dropQueues(cfg: QueueBackendConfig | undefined): Promise<void> {
  if (cfg?.kind !== 'redis') return;
  for (const name of Object.values(QUEUES)) {
    const q = createQueue(name, cfg);
    await q.obliterate({ force: true });
    await q.close();
  }
}

/**
 * A worker's configuration for an in-process test: the apps' login (`runtimeUrl`), a fast
 * outbox poll, and nothing that leaves the machine unless `overrides` names an SMTP server.
 */
export function testWorkerConfig(runtimeUrl: string, queue: QueueBackendConfig, overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  return {
    databaseUrl: runtimeUrl,
    queue,
    appSecret: 'worker-test-secret-0123456789abcdef',
    adminUrl: 'http://admin.fascia.test',
    smtpUrl: null,
    mailDir: '/nonexistent',
    mailFrom: 'Fascia <no-reply@fascia.test>',
    outboxPollMs: 50,
    outboxBatchSize: 100,
    concurrency: 4,
    ...overrides,
  };
}
