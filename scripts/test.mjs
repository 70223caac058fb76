#!/usr/bin/env node
// `npm test`: build, type checks, lint, then every Jest suite (unit, integration against
// real PostgreSQL and Redis, browser tests in Chromium) in one run. Ends with one line,
// `N passed, N failed`, counting every test plus the static checks (build, typecheck, lint).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: process.env.CI ? '0' : '1' };
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const extraJestArgs = process.argv.slice(2);

const checks = [];
function step(name, cmd, args, cwd = root) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const res = spawnSync(cmd, args, { cwd, stdio: 'inherit', env });
  const ok = res.status === 0;
  checks.push({ name, ok });
  process.stdout.write(`=== ${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s) ===\n`);
  return ok;
}

const turbo = bin('turbo', 'bin/turbo');
const built = step('build', process.execPath, [turbo, 'run', 'build', '--output-logs=errors-only']);
if (built) {
  step('typecheck', process.execPath, [turbo, 'run', 'typecheck', '--output-logs=errors-only']);
}
step('lint', process.execPath, [bin('eslint', 'bin/eslint.js'), '.', '--max-warnings=0']);

// The admin app's GraphQL types must match apps/api/schema.graphql (itself checked by a test).
const gqlDir = path.join(root, 'apps/admin/src/gql');
const digest = () =>
  readdirSync(gqlDir)
    .sort()
    .reduce((h, f) => h.update(f).update(readFileSync(path.join(gqlDir, f))), createHash('sha256'))
    .digest('hex');
const before = digest();
if (step('admin codegen', process.execPath, [bin('@graphql-codegen/cli', 'cjs/bin.js'), '--config', 'codegen.ts', '--silent'], path.join(root, 'apps/admin'))) {
  const fresh = digest() === before;
  if (!fresh) process.stdout.write('apps/admin/src/gql was stale and has been regenerated: commit it.\n');
  checks.push({ name: 'admin types fresh', ok: fresh });
}

let passed = 0;
let failed = 0;
if (built) {
  const out = path.join(root, '.data', 'jest-results.json');
  mkdirSync(path.dirname(out), { recursive: true });
  rmSync(out, { force: true });
  process.stdout.write('\n=== jest (unit, integration, browser) ===\n');
  spawnSync(process.execPath, [bin('jest', 'bin/jest.js'), '--maxWorkers=2', '--json', `--outputFile=${out}`, ...extraJestArgs], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  try {
    const results = JSON.parse(readFileSync(out, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    // A suite that failed to run (syntax error, failing hook) has no failed tests of its own: count it.
    failed += results.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')).length;
  } catch {
    process.stdout.write('Jest did not write its results: counting the run as failed.\n');
    failed += 1;
  }
}
for (const c of checks) {
  if (c.ok) passed++;
  else failed++;
}
process.stdout.write(`\nstatic checks: ${checks.map((c) => `${c.name} ${c.ok ? 'ok' : 'FAILED'}`).join(', ')}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
