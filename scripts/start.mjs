#!/usr/bin/env node
// `npm start`: installs what is missing, builds, migrates, seeds the demo chain and runs
// the API, the worker and the admin app together. Node built-ins only: it runs before
// anything is installed. With DATABASE_URL (and REDIS_URL) it uses those; without, the
// embedded PostgreSQL (PGlite) and BullMQ's PostgreSQL backend on it.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const API_PORT = process.env.API_PORT ?? '4000';
const ADMIN_PORT = process.env.ADMIN_PORT ?? '5173';
const EMBEDDED_DB_PORT = process.env.EMBEDDED_DB_PORT ?? '54329';

const say = (msg) => process.stdout.write(`\x1b[36m[fascia]\x1b[0m ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`\x1b[31m[fascia]\x1b[0m ${msg}\n`);
  process.exit(1);
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old: Fascia needs Node 20.19 or newer.`);

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  if (res.status !== 0) fail(`${opts.what ?? `${cmd} ${args.join(' ')}`} failed (exit ${res.status}).`);
}

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

mkdirSync(dataDir, { recursive: true });
// A per-machine secret for tokens and invitation links, kept across runs.
const secretFile = path.join(dataDir, 'app-secret');
if (!process.env.APP_SECRET && !existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
const APP_SECRET = process.env.APP_SECRET ?? readFileSync(secretFile, 'utf8').trim();

const children = [];
let stopping = false;

function start(name, cmd, args, env, cwd = root) {
  // Own process group: Ctrl-C reaches only this script, which stops the children in order.
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `\x1b[35m[${name}]\x1b[0m `;
  const pipe = (stream, out) => {
    let buf = '';
    stream.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const line of lines) out.write(prefix + line + '\n');
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (!stopping) {
      process.stderr.write(`${prefix}stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the rest\n`);
      void shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

function waitForLine(child, pattern, what, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (d) => {
      if (pattern.test(d.toString())) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', () => reject(new Error(`${what} exited before it was ready`)));
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

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  // Admin and API first, then the worker (it finishes its jobs), the embedded database last.
  for (const name of ['admin', 'api', 'worker', 'database']) {
    const entry = children.find((c) => c.name === name);
    if (!entry || entry.child.exited) continue;
    entry.child.kill('SIGTERM');
    await new Promise((resolve) => {
      const t = setTimeout(() => {
        entry.child.kill('SIGKILL');
        resolve();
      }, 15_000);
      entry.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
  say('stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));
// Should this script die some other way, leave no child behind.
process.on('exit', () => {
  for (const { child } of children) if (!child.exited) child.kill('SIGKILL');
});

async function main() {
  let DATABASE_URL = process.env.DATABASE_URL;
  if (!DATABASE_URL) {
    say(`no DATABASE_URL: starting the embedded PostgreSQL (PGlite, data in .data/pglite) on port ${EMBEDDED_DB_PORT}…`);
    const db = start('database', process.execPath, [path.join(root, 'packages/db/dist/embedded/cli.js')], {
      EMBEDDED_DB_DIR: path.join(dataDir, 'pglite'),
      EMBEDDED_DB_PORT,
    });
    await waitForLine(db, /ready at/, 'the embedded database');
    DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_DB_PORT}/postgres`;
  }
  const env = {
    DATABASE_URL,
    APP_SECRET,
    API_PORT,
    ADMIN_URL: `http://localhost:${ADMIN_PORT}`,
    API_URL: `http://127.0.0.1:${API_PORT}`,
  };
  say('migrating…');
  run(process.execPath, [path.join(root, 'packages/db/dist/cli/migrate.js')], { env, what: 'the migration' });
  say('seeding the demo chain (once)…');
  run(process.execPath, [path.join(root, 'apps/api/dist/cli/seed.js')], { env, what: 'the seed' });

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
  say(`Fascia is running${process.env.DATABASE_URL ? '' : ' on the embedded database'}${process.env.REDIS_URL ? ' with Redis' : ' with BullMQ on PostgreSQL'}:`);
  say(`  admin app    http://localhost:${ADMIN_PORT}`);
  say(`  GraphQL API  http://localhost:${API_PORT}/graphql`);
  say(`  sign in as   admin@demo.fascia.test / fascia-demo-admin`);
  say(`  (also manager@demo.fascia.test and frontdesk@demo.fascia.test, same password)`);
  say(`  email goes to ${process.env.SMTP_URL ? process.env.SMTP_URL : '.data/mail/*.eml (set SMTP_URL to send for real)'}`);
  say('Press Ctrl-C to stop.');
}

main().catch((err) => {
  process.stderr.write(`\x1b[31m[fascia]\x1b[0m ${err.message}\n`);
  void shutdown(1);
});
