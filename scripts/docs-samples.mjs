#!/usr/bin/env node
// `npm run docs:samples`: regenerates the samples in docs/api.md that show what the API produces
// from the demo chain — a client's FHIR bundle (an excerpt) and a practitioner's iCalendar feed —
// through `npm start`'s own code path: a scratch database migrated by packages/db's migrate CLI
// and seeded by the API's seed CLI (as scripts/start.mjs runs them, as the owner), the API's
// dist/main.js logged in as a runtime role that owns nothing, and the two documents fetched over
// HTTP with the demo admin's token. The text between the marker comments in docs/api.md is
// replaced; the scratch database and its login are dropped afterwards.
//
// Needs a PostgreSQL server whose user may create databases and roles: DOCS_DATABASE_URL, else
// TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. Builds first (turbo cache).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Client } = require('pg');

const SERVER = process.env.DOCS_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DOC = path.join(root, 'docs', 'api.md');
/** npm start's API address: the bundle's fullUrls read as they would there. */
const FHIR_BASE_URL = 'http://localhost:4000/fhir';
const DEMO_ADMIN = { email: 'admin@demo.fascia.test', password: 'fascia-demo-admin' };
const FEED_PRACTITIONER = 'Maya Okafor';

const say = (msg) => process.stdout.write(`[docs:samples] ${msg}\n`);
const withDb = (url, db) => Object.assign(new URL(url), { pathname: `/${db}` }).toString();
const withLogin = (url, user, password) => Object.assign(new URL(url), { username: user, password }).toString();

function run(args, env, what) {
  const res = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.status !== 0) throw new Error(`${what} failed (exit ${res.status}):\n${res.stdout}${res.stderr}`);
  return res.stdout.toString();
}

async function sql(url, text, params = []) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Replaces the text between `<!-- docs-samples:<name>:start -->` and `…:end -->`. */
function replaceBetween(doc, name, body) {
  const start = `<!-- docs-samples:${name}:start -->`;
  const end = `<!-- docs-samples:${name}:end -->`;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/api.md has no ${start} … ${end} markers`);
  return `${doc.slice(0, a + start.length)}\n${body}\n${doc.slice(b)}`;
}

/** Six entries of the bundle, each whole but the CarePlan (its first phase only). */
function bundleExcerpt(bundle) {
  const entries = bundle.entry;
  const of = (type, pred = () => true) => entries.find((e) => e.resource.resourceType === type && pred(e.resource));
  const isPain = (r) => r.code?.coding?.some((c) => c.code === '72514-3');
  const picked = [
    entries[0],
    of('CarePlan'),
    of('ServiceRequest'),
    of('Encounter'),
    of('Observation', (r) => isPain(r) && r.encounter),
    of('Observation', (r) => !isPain(r)),
  ].filter(Boolean);
  const plan = picked.find((e) => e.resource.resourceType === 'CarePlan');
  const phases = plan?.resource.activity?.length ?? 0;
  const shown = picked.map((e) => (e === plan ? { ...e, resource: { ...e.resource, activity: e.resource.activity.slice(0, 1) } } : e));
  const { entry: _all, ...head } = bundle;
  return { json: JSON.stringify({ ...head, entry: shown }, null, 2), total: entries.length, shown: shown.length, phases, types: shown.map((e) => e.resource.resourceType) };
}

/** The calendar's head and time zone, its first two events and its last, the rest counted. */
function feedExcerpt(text) {
  const lines = text.split('\r\n');
  const events = [];
  let head = [];
  let current = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = [line];
    else if (current) {
      current.push(line);
      if (line === 'END:VEVENT') {
        events.push(current);
        current = null;
      }
    } else if (line !== 'END:VCALENDAR' && line !== '' && events.length === 0) head.push(line);
  }
  const kept = events.length > 3 ? [events[0], events[1], events[events.length - 1]] : events;
  return { text: [...head, ...kept.flat(), 'END:VCALENDAR'].join('\n'), total: events.length, shown: kept.length };
}

async function main() {
  say('building (turbo cache)…');
  run([path.join(root, 'node_modules', 'turbo', 'bin', 'turbo'), 'run', 'build', '--output-logs=errors-only'], { TURBO_TELEMETRY_DISABLED: '1' }, 'the build');

  const suffix = randomBytes(4).toString('hex');
  const dbName = `fascia_docs_samples_${suffix}`;
  const role = `fascia_docs_samples_${suffix}`;
  const rolePassword = randomBytes(18).toString('base64url');
  const ownerUrl = withDb(SERVER, dbName);
  const appUrl = withLogin(ownerUrl, role, rolePassword);
  let api = null;
  await sql(SERVER, `CREATE DATABASE ${dbName}`);
  try {
    say(`migrating ${dbName} (packages/db/dist/cli/migrate.js, as npm start)…`);
    run([path.join(root, 'packages/db/dist/cli/migrate.js')], { DATABASE_URL: ownerUrl, RUNTIME_DB_ROLE: role, RUNTIME_DB_PASSWORD: rolePassword }, 'the migration');
    say('seeding the demo chain (apps/api/dist/cli/seed.js, as npm start)…');
    run([path.join(root, 'apps/api/dist/cli/seed.js')], { DATABASE_URL: ownerUrl }, 'the seed');

    const port = await freePort();
    const appSecret = randomBytes(24).toString('base64url');
    say(`starting the API (apps/api/dist/main.js) on port ${port}…`);
    api = spawn(process.execPath, [path.join(root, 'apps/api/dist/main.js')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: appUrl, API_PORT: String(port), API_HOST: '127.0.0.1', APP_SECRET: appSecret, LOG_LEVEL: 'warn', FHIR_BASE_URL, NODE_ENV: 'development' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/readyz`)).ok) break;
      } catch {
        // not yet
      }
      if (api.exitCode !== null) throw new Error('the API exited before it was ready');
      if (i > 600) throw new Error('the API did not become ready');
      await new Promise((r) => setTimeout(r, 200));
    }
    const gql = async (query, variables, token) => {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const { signIn } = await gql(`mutation S($input: SignInInput!) { signIn(input: $input) { accessToken } }`, { input: DEMO_ADMIN });
    const token = signIn.accessToken;

    // The bundle: the demo's first client (by name) whose record also holds a referral.
    const [client] = await sql(
      ownerUrl,
      `SELECT c.id, c.first_name, c.last_name FROM client c JOIN organization o ON o.id = c.organization_id AND o.slug = 'fascia-demo-chain'
        WHERE EXISTS (SELECT 1 FROM referral r WHERE r.client_id = c.id) ORDER BY c.last_name, c.first_name, c.id LIMIT 1`,
    );
    const res = await fetch(`${base}/fhir/Patient/${client.id}/$everything`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`the bundle: HTTP ${res.status} ${await res.text()}`);
    const bundle = bundleExcerpt(await res.json());

    // The feed: Maya Okafor's (London), a new token made by the demo admin.
    const [maya] = await sql(ownerUrl, `SELECT id FROM practitioner WHERE display_name = $1`, [FEED_PRACTITIONER]);
    const { rotatePractitionerFeed } = await gql(`mutation R($p: ID!) { rotatePractitionerFeed(practitionerId: $p) { path } }`, { p: maya.id }, token);
    const feedRes = await fetch(`${base}${rotatePractitionerFeed.path}`);
    if (!feedRes.ok) throw new Error(`the feed: HTTP ${feedRes.status}`);
    const feed = feedExcerpt(await feedRes.text());

    const produced = new Date().toISOString().slice(0, 16).replace('T', ' ');
    let doc = readFileSync(DOC, 'utf8');
    doc = replaceBetween(
      doc,
      'fhir-bundle',
      [
        `An excerpt of ${client.first_name} ${client.last_name}'s bundle as the API produced it from the demo seed on`,
        `${produced} UTC (\`npm run docs:samples\`: a scratch database migrated and seeded by the CLIs \`npm start\``,
        `runs, the API's own \`dist/main.js\`, fetched over HTTP as the demo admin, with`,
        `\`FHIR_BASE_URL=${FHIR_BASE_URL}\`, \`npm start\`'s address; ids and the demo's dates follow the day`,
        `it ran). Of its ${bundle.total} entries, ${bundle.shown} are shown (${bundle.types.join(', ')}; the CarePlan with the first of`,
        `its ${bundle.phases} phases); nothing else is changed:`,
        '',
        '```json',
        bundle.json,
        '```',
      ].join('\n'),
    );
    doc = replaceBetween(
      doc,
      'ical-feed',
      [
        `${FEED_PRACTITIONER}'s feed as the API served it from the same run (${produced} UTC, \`GET /ical/<token>.ics\``,
        `after \`rotatePractitionerFeed\`): the calendar's head and time zone, the first two of its`,
        `${feed.total} events and the last; lines as served (CRLF shown as line breaks), nothing else changed:`,
        '',
        '```',
        feed.text,
        '```',
      ].join('\n'),
    );
    writeFileSync(DOC, doc);
    say(`docs/api.md: the bundle (${bundle.shown} of ${bundle.total} entries) and the feed (${feed.shown} of ${feed.total} events) written`);
  } finally {
    if (api && api.exitCode === null) {
      const exited = new Promise((r) => api.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    }
    await sql(SERVER, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await sql(SERVER, `DROP ROLE IF EXISTS ${role}`).catch((err) => say(`the login ${role} was not dropped: ${err.message}`));
  }
}

main().catch((err) => {
  process.stderr.write(`[docs:samples] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
