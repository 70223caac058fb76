#!/usr/bin/env node
// `npm run import-pglite`: moves the records of an earlier Fascia's embedded database
// (PGlite, in .data/pglite) into today's embedded PostgreSQL (.data/postgres), once.
// It fetches the PGlite version those versions used into .data/tools (PGlite is no longer
// a dependency), starts the embedded server, migrates it, replaces its rows with every
// table's rows from .data/pglite (same schema: both are built by the same migrations),
// and re-plans pending reminders. .data/pglite itself is left untouched.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const source = path.resolve(process.argv[2] ?? path.join(dataDir, 'pglite'));
const PGLITE_VERSION = '0.5.14';
const port = process.env.EMBEDDED_DB_PORT ?? '54329';
const say = (msg) => process.stdout.write(`\x1b[36m[import]\x1b[0m ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`\x1b[31m[import]\x1b[0m ${msg}\n`);
  process.exit(1);
};

if (!existsSync(path.join(source, 'PG_VERSION'))) fail(`${source} holds no PGlite database: nothing to import.`);
const lock = path.join(dataDir, 'start.pid');
if (existsSync(lock)) {
  const pid = Number(readFileSync(lock, 'utf8'));
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch (err) {
    alive = err.code === 'EPERM';
  }
  if (alive) fail(`Fascia is running (npm start, PID ${pid}). Stop it with Ctrl-C first, then run this again.`);
}
const keptSecret = (name) => {
  const file = path.join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
};

const require = createRequire(import.meta.url);
const { Client } = require(path.join(root, 'node_modules', 'pg'));

// 1. PGlite, at the version that wrote the folder.
const toolDir = path.join(dataDir, 'tools', `pglite-${PGLITE_VERSION}`);
if (!existsSync(path.join(toolDir, 'node_modules', '@electric-sql', 'pglite'))) {
  say(`fetching @electric-sql/pglite@${PGLITE_VERSION} (used only by this import) into ${path.relative(root, toolDir)}…`);
  mkdirSync(toolDir, { recursive: true });
  writeFileSync(path.join(toolDir, 'package.json'), '{"private":true}\n');
  const res = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `@electric-sql/pglite@${PGLITE_VERSION}`], { cwd: toolDir, stdio: 'inherit' });
  if (res.status !== 0) fail('npm install of PGlite failed; check your network and try again.');
}
const toolRequire = createRequire(path.join(toolDir, 'package.json'));
const { PGlite } = await import(pathToFileURL(toolRequire.resolve('@electric-sql/pglite')).href);
const { btree_gist } = await import(pathToFileURL(toolRequire.resolve('@electric-sql/pglite/contrib/btree_gist')).href);

// 2. Today's embedded server, migrated, with the apps' login.
say('starting the embedded PostgreSQL…');
const password = keptSecret('db-password');
const server = spawn(process.execPath, [path.join(root, 'packages/db/dist/embedded/cli.js')], {
  env: { ...process.env, EMBEDDED_DB_DIR: path.resolve(process.env.EMBEDDED_DB_DIR ?? path.join(dataDir, 'postgres')), EMBEDDED_DB_PORT: port, EMBEDDED_DB_PASSWORD: password },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverOut = '';
await new Promise((resolve, reject) => {
  const onData = (d) => {
    serverOut += d.toString();
    if (/ready at /.test(serverOut)) resolve();
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.once('exit', () => reject(new Error(`the embedded database did not start:\n${serverOut.slice(-2000)}`)));
}).catch((err) => fail(err.message));
const stopServer = () => new Promise((resolve) => (server.exitCode !== null ? resolve() : (server.once('exit', resolve), server.kill('SIGTERM'))));
const ownerUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/fascia`;

let pglite;
const target = new Client({ connectionString: ownerUrl });
try {
  const migrate = spawnSync(process.execPath, [path.join(root, 'packages/db/dist/cli/migrate.js')], {
    env: { ...process.env, DATABASE_URL: ownerUrl, RUNTIME_DB_PASSWORD: keptSecret('db-runtime-password') },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migration failed:\n${migrate.stderr}`);

  say(`opening ${path.relative(root, source) || source}…`);
  pglite = await PGlite.create(source, { extensions: { btree_gist } });
  await target.connect();

  const ours = new Set((await target.query('SELECT name FROM migrations')).rows.map((r) => r.name));
  const theirs = (await pglite.query('SELECT name FROM migrations')).rows.map((r) => r.name);
  const unknown = theirs.filter((n) => !ours.has(n));
  if (unknown.length) throw new Error(`${source} was written by a newer Fascia (migrations ${unknown.join(', ')}); update this copy first.`);

  const tablesOf = async (q) =>
    (await q(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('migrations', 'typeorm_metadata')`)).rows.map((r) => r.table_name);
  const targetTables = await tablesOf((sql) => target.query(sql));
  const sourceTables = new Set(await tablesOf((sql) => pglite.query(sql)));

  await target.query('BEGIN');
  // As the superuser: no foreign-key or append-only triggers while whole tables are replaced.
  await target.query(`SET LOCAL session_replication_role = replica`);
  await target.query(`TRUNCATE ${targetTables.map((t) => `"${t}"`).join(', ')}`);
  let total = 0;
  for (const table of targetTables) {
    if (!sourceTables.has(table)) continue;
    const targetCols = (await target.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'`, [table])).rows.map((r) => r.column_name);
    const sourceCols = new Set((await pglite.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [table])).rows.map((r) => r.column_name));
    const cols = targetCols.filter((c) => sourceCols.has(c)).map((c) => `"${c}"`).join(', ');
    // Keys the target lacks are ignored; columns the source lacks keep their defaults.
    const { rows } = await pglite.query(`SELECT coalesce(json_agg(t), '[]')::text AS j FROM "${table}" t`);
    const json = rows[0].j;
    const res = await target.query(`INSERT INTO "${table}" (${cols}) SELECT ${cols} FROM json_populate_recordset(null::"${table}", $1::json)`, [json]);
    if (res.rowCount) say(`  ${table}: ${res.rowCount} rows`);
    total += res.rowCount;
  }
  // The queue's jobs stayed in PGlite: hand every pending reminder's outbox row to the queue again.
  const replanned = await target.query(
    `UPDATE outbox_message SET dispatched_at = NULL, claimed_until = NULL
      WHERE id IN (SELECT id FROM reminder WHERE status IN ('SCHEDULED', 'FAILED')) AND dispatched_at IS NOT NULL`,
  );
  await target.query('COMMIT');
  say(`imported ${total} rows; ${replanned.rowCount} pending reminders will be queued again when the worker starts.`);
  say('done: run npm start. .data/pglite is left as it was; delete it when you no longer need it.');
} catch (err) {
  await target.query('ROLLBACK').catch(() => undefined);
  process.stderr.write(`\x1b[31m[import]\x1b[0m ${err.message}\n`);
  process.exitCode = 1;
} finally {
  await target.end().catch(() => undefined);
  await pglite?.close().catch(() => undefined);
  await stopServer();
}
