import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TEST_SERVER_URL } from '@fascia/db/testing';

const apiDir = path.resolve(__dirname, '..');

/** Runs the API bench (`bench/run.mjs`, against the API's build) and collects what it prints. */
function runBench(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/run.mjs'], { cwd: apiDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

// The bench is not a timed test: this only keeps it working as the API changes. It starts
// Fascia, PostGraphile and the raw handler on a small fixture and checks that the three return
// the same rows for the five queries, measuring nothing.
describe('API bench (bench/run.mjs)', () => {
  it('starts the three servers and gets the same rows from each for the five queries', async () => {
    if (!existsSync(path.join(apiDir, 'dist/server.js'))) throw new Error('apps/api/dist is missing: the bench runs against the build (npm run build)');
    const { code, output } = await runBench({ BENCH_SMALL: '1', BENCH_VERIFY_ONLY: '1', BENCH_DATABASE_URL: TEST_SERVER_URL });
    if (code !== 0) throw new Error(`the bench failed (exit ${code}):\n${output}`);
    for (const label of ['clinic-week calendar', "client's chart", 'clients list (page 1)', 'client search (name fragment)', 'open tasks list']) {
      expect(output).toContain(`same answer from the three: ${label}`);
    }
    expect(output).toMatch(/dropped database fascia_bench_[0-9a-f]+/);
  });
});
