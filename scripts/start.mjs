#!/usr/bin/env node
// `npm start`: installs what is missing, builds, migrates, seeds the demo chain and runs
// the API, the worker and the admin app together. Node built-ins only: it runs before
// anything is installed. With DATABASE_URL (and REDIS_URL) it uses those; without, an
// embedded PostgreSQL server (shipped in npm packages, data in .data/postgres) and
// BullMQ's PostgreSQL backend on it. `npm start -- --verbose` (or FASCIA_VERBOSE=1) shows
// every log line; otherwise the apps' routine logs go to .data/logs/*.log.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const logDir = path.join(dataDir, 'logs');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const API_PORT = process.env.API_PORT ?? '4000';
const ADMIN_PORT = process.env.ADMIN_PORT ?? '5173';
const EMBEDDED_DB_PORT = process.env.EMBEDDED_DB_PORT ?? '54329';
const EMBEDDED_DB_DIR = path.resolve(process.env.EMBEDDED_DB_DIR ?? path.join(dataDir, 'postgres'));
const RUNTIME_DB_ROLE = process.env.RUNTIME_DB_ROLE ?? 'fascia_runtime';
const verbose = process.argv.includes('--verbose') || /^(1|true|yes)$/i.test(process.env.FASCIA_VERBOSE ?? '');

const say = (msg) => process.stdout.write(`\x1b[36m[fascia]\x1b[0m ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`\x1b[31m[fascia]\x1b[0m ${msg}\n`);
  process.exit(1);
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old: Fascia needs Node 20.19 or newer.`);

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...opts.env } });
  if (res.status !== 0) {
    if (opts.quiet) process.stderr.write(`${res.stdout ?? ''}${res.stderr ?? ''}`);
    fail(`${opts.what ?? `${cmd} ${args.join(' ')}`} failed (exit ${res.status}).`);
  }
  return res.stdout?.toString() ?? '';
}

// 0. One `npm start` at a time on this folder: a second one says so and touches nothing.
mkdirSync(logDir, { recursive: true });
const lockFile = path.join(dataDir, 'start.pid');
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}
function takeLock() {
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
    return;
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
  }
  const pid = Number(readFileSync(lockFile, 'utf8').trim());
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // not Linux, or gone: judged by isAlive alone
  }
  if (pid && pid !== process.pid && isAlive(pid) && (cmd === '' || cmd.includes('start.mjs'))) {
    fail(`Fascia is already running from this folder (npm start, PID ${pid}). Use that one, or stop it with Ctrl-C in its terminal first.`);
  }
  say(`a previous npm start (PID ${pid || '?'}) ended without cleaning up; taking over`);
  rmSync(lockFile, { force: true });
  writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
}
takeLock();
const releaseLock = () => {
  try {
    if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) rmSync(lockFile, { force: true });
  } catch {
    // already gone
  }
};

// 1. Install what is missing: node_modules absent, or the lockfile newer than the install.
const installed = path.join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(path.join(root, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs) {
  say('installing dependencies (npm install)…');
  run(npm, ['install', '--no-audit', '--no-fund'], { what: 'npm install' });
}

// 2. Build (turbo caches what has not changed).
say('building…');
run(process.execPath, [path.join(root, 'node_modules', 'turbo', 'bin', 'turbo'), 'run', 'build', '--output-logs=errors-only'], {
  what: 'the build',
  env: { TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
});

/** A random secret kept in .data across runs (created on first use). */
function keptSecret(name) {
  const file = path.join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}
const APP_SECRET = process.env.APP_SECRET ?? keptSecret('app-secret');

const children = [];
let stopping = false;

// Console: warnings and errors (and anything before a process is ready); every line goes to .data/logs/<name>.log.
const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
function consoleLine(name, line, fromStderr) {
  if (verbose) return line;
  if (line.startsWith('{')) {
    try {
      const entry = JSON.parse(line);
      if (typeof entry.level !== 'number' || entry.level < 40) return null;
      const err = entry.err?.message ? ` — ${entry.err.message}` : '';
      return `${LEVELS[entry.level] ?? entry.level} ${entry.msg ?? ''}${err}`;
    } catch {
      // not JSON after all
    }
  }
  // PostgreSQL logs every refused statement (a double booking, say) as ERROR: those are the apps' to report.
  if (name === 'database') return !stopping && (/\b(PANIC|FATAL):/.test(line) || /failed to start|unexpectedly/.test(line)) ? line : null;
  return fromStderr ? line : null;
}

function start(name, cmd, args, env, cwd = root) {
  // Own process group: Ctrl-C reaches only this script, which stops the children in order.
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `\x1b[35m[${name}]\x1b[0m `;
  const logFile = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  logFile.write(`--- ${new Date().toISOString()} started (PID ${child.pid}) ---\n`);
  const pipe = (stream, out, fromStderr) => {
    let buf = '';
    stream.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const line of lines) {
        logFile.write(line + '\n');
        const shown = consoleLine(name, line, fromStderr);
        if (shown !== null) out.write(prefix + shown + '\n');
      }
    });
  };
  pipe(child.stdout, process.stdout, false);
  pipe(child.stderr, process.stderr, true);
  child.exitedPromise = new Promise((resolve) => child.once('exit', resolve));
  child.on('exit', (code, signal) => {
    child.exited = true;
    logFile.end(`--- ${new Date().toISOString()} exited (${signal ?? `exit ${code}`}) ---\n`);
    if (!stopping) {
      process.stderr.write(`${prefix}stopped unexpectedly (${signal ?? `exit ${code}`}); see .data/logs/${name}.log — stopping the rest\n`);
      void shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

function waitForLine(child, pattern, what, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (d) => {
      seen = (seen + d.toString()).slice(-4000);
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', () => reject(new Error(`${what} exited before it was ready`)));
  });
}

async function waitForHttp(url, what, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** SIGTERM to each, SIGKILL to what is still running after `graceMs`. */
async function stopAll(entries, graceMs) {
  const live = entries.filter((e) => e && !e.child.exited);
  for (const { child } of live) child.kill('SIGTERM');
  await Promise.all(
    live.map(({ name, child }) => {
      const t = setTimeout(() => {
        process.stderr.write(`\x1b[33m[fascia]\x1b[0m ${name} did not stop within ${graceMs / 1000} s; killing it\n`);
        child.kill('SIGKILL');
      }, graceMs);
      return child.exitedPromise.then(() => clearTimeout(t));
    }),
  );
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  say('stopping…');
  const byName = (n) => children.find((c) => c.name === n);
  // The apps together (the worker finishes the jobs in hand), then the database: a clean
  // shutdown with a checkpoint, so the next start needs no recovery. 12 s: the API gives a
  // request in flight 10 s (DEFAULT_SHUTDOWN_GRACE_MS) before it closes its connection.
  await stopAll([byName('admin'), byName('api'), byName('worker')], 12_000);
  await stopAll([byName('database')], 20_000);
  say(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  process.exit(code); // the 'exit' handler releases the lock
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));
// Should this script die some other way, leave no child behind.
process.on('exit', () => {
  for (const { child } of children) if (!child.exited) child.kill('SIGKILL');
  releaseLock();
});

function withCredentials(url, user, password) {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

async function main() {
  let ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) {
    const oldPglite = path.join(dataDir, 'pglite');
    if (existsSync(oldPglite) && !existsSync(path.join(EMBEDDED_DB_DIR, 'PG_VERSION'))) {
      say('found .data/pglite from an earlier Fascia (PGlite). The embedded database is now a real PostgreSQL server:');
      say('  a new one is created in .data/postgres with the demo chain; .data/pglite is left untouched.');
      say('  To carry your own records over, stop now (Ctrl-C) and run `npm run import-pglite` once, then npm start.');
    }
    say(`no DATABASE_URL: starting the embedded PostgreSQL (data in ${path.relative(root, EMBEDDED_DB_DIR) || EMBEDDED_DB_DIR}) on port ${EMBEDDED_DB_PORT}…`);
    const ownerPassword = keptSecret('db-password');
    const db = start('database', process.execPath, [path.join(root, 'packages/db/dist/embedded/cli.js')], {
      EMBEDDED_DB_DIR,
      EMBEDDED_DB_PORT,
      EMBEDDED_DB_PASSWORD: ownerPassword,
    });
    await waitForLine(db, /ready at (\S+)/, 'the embedded database');
    ownerUrl = `postgres://postgres:${encodeURIComponent(ownerPassword)}@127.0.0.1:${EMBEDDED_DB_PORT}/fascia`;
  }

  // The apps log in as a role that owns nothing (docs/operations.md); the owner migrates and seeds.
  const appUrl = process.env.APP_DATABASE_URL || withCredentials(ownerUrl, RUNTIME_DB_ROLE, keptSecret('db-runtime-password'));
  const common = { APP_SECRET, API_PORT, ADMIN_URL: `http://localhost:${ADMIN_PORT}`, API_URL: `http://127.0.0.1:${API_PORT}` };
  say('migrating…');
  const migrateEnv = { ...common, DATABASE_URL: ownerUrl };
  if (!process.env.APP_DATABASE_URL) Object.assign(migrateEnv, { RUNTIME_DB_ROLE, RUNTIME_DB_PASSWORD: keptSecret('db-runtime-password') });
  const out = run(process.execPath, [path.join(root, 'packages/db/dist/cli/migrate.js')], { env: migrateEnv, what: 'the migration (if your DATABASE_URL user may not create roles, create the apps\' login yourself and set APP_DATABASE_URL: see docs/operations.md)', quiet: true });
  for (const line of out.split('\n').filter(Boolean)) say(`  ${line}`);
  say('seeding the demo chain (once)…');
  const seeded = run(process.execPath, [path.join(root, 'apps/api/dist/cli/seed.js')], { env: { ...common, DATABASE_URL: ownerUrl }, what: 'the seed', quiet: true });
  for (const line of seeded.split('\n').filter((l) => l && !l.startsWith('demo admin'))) say(`  ${line}`);

  const env = { ...common, DATABASE_URL: appUrl };
  start('api', process.execPath, [path.join(root, 'apps/api/dist/main.js')], env);
  start('worker', process.execPath, [path.join(root, 'apps/worker/dist/main.js')], env);
  await waitForHttp(`http://127.0.0.1:${API_PORT}/readyz`, 'the API');
  start(
    'admin',
    process.execPath,
    [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--port', ADMIN_PORT, '--strictPort', '--host', '127.0.0.1'],
    env,
    path.join(root, 'apps/admin'),
  );
  await waitForHttp(`http://127.0.0.1:${ADMIN_PORT}/`, 'the admin app');

  say('');
  say(`Fascia is running${process.env.DATABASE_URL ? '' : ' on the embedded PostgreSQL'}${process.env.REDIS_URL ? ' with Redis' : ' with BullMQ on PostgreSQL'}:`);
  say(`  admin app    http://localhost:${ADMIN_PORT}`);
  say(`  GraphQL API  http://localhost:${API_PORT}/graphql`);
  say(`  sign in as   admin@demo.fascia.test / fascia-demo-admin`);
  say(`  (also manager@demo.fascia.test, frontdesk@demo.fascia.test and the therapist maya@demo.fascia.test, same password)`);
  say(`  partner      admin@partner.fascia.test / fascia-demo-partner (the chain's referral partner, a physiotherapy and pain clinic;`);
  say(`               also physio@partner.fascia.test and manager@partner.fascia.test, same password)`);
  say(`  email goes to ${process.env.SMTP_URL ? process.env.SMTP_URL : '.data/mail/*.eml (set SMTP_URL to send for real)'}`);
  say(`  logs         .data/logs/{api,worker,admin,database}.log${verbose ? '' : ' (warnings and errors also show here; --verbose shows all)'}`);
  say('Press Ctrl-C to stop.');
}

main().catch((err) => {
  process.stderr.write(`\x1b[31m[fascia]\x1b[0m ${err.message}\n`);
  void shutdown(1);
});
