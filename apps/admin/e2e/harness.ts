import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startApi } from '../../api/src/server';
import { DEMO_ADMIN, seedDemo } from '../../api/src/seed';
import { createOrgWithAdmin } from '../../api/src/testing';
import type { Clock } from '@fascia/db';

/**
 * The admin app against the real API: a fresh database, the API in-process on a free
 * port, the app built by Vite and served by `vite preview` (proxying /graphql to the
 * API), and Debian's Chromium driven by playwright-core.
 *
 * Vite 8 is ESM-only and Jest runs these files as CommonJS inside its own module
 * system, so Vite runs in a child process (`vite build`, `vite preview`) rather than
 * through its JS API. Each test file builds into its own temporary directory (under a
 * second), so parallel files never race on apps/admin/dist and never serve a stale build.
 */

export const APP_SECRET = 'e2e-secret-e2e-secret-e2e-secret-0123456789';
export const ADMIN_PASSWORD = 'correct horse battery staple';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * How long one wait of the browser may take before it fails: an action (click, fill), a locator's
 * `waitFor`, a navigation. One generous guard for every context these tests open, set here and
 * nowhere else: CI runs the whole suite (unit, integration, browser) on a busy 2-core machine, where
 * "Saved." can take far longer than on a quiet one. It guards against a test that hangs; it measures
 * nothing (the tests wait on progress: a heading, a status line, a row).
 */
export const E2E_WAIT_MS = 60_000;

/**
 * The guard on one test, or one hook, of a file (`jest.setTimeout(E2E_TEST_MS)`). A hang in the
 * browser is caught by E2E_WAIT_MS on the wait that hangs; this only catches what hangs outside
 * it, so it is long: on a busy 2-core machine (the whole suite under load) a file's start (a Vite
 * build, a database) and a walk through many pages take minutes. A guard, not a measure.
 */
export const E2E_TEST_MS = 900_000;

/** The context options every page starts from: a laptop-sized window in London, in British English. */
const CONTEXT_DEFAULTS: BrowserContextOptions = { viewport: { width: 1360, height: 860 }, locale: 'en-GB', timezoneId: 'Europe/London' };

const ADMIN_DIR = path.resolve(__dirname, '..');
const VITE_BIN = path.join(path.dirname(require.resolve('vite/package.json', { paths: [ADMIN_DIR] })), 'bin', 'vite.js');

export interface AdminHarness {
  /** The admin app, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** The API; GraphQL at `${apiUrl}/graphql`. */
  apiUrl: string;
  tdb: TestDatabase;
  browser: Browser;
  admin: { email: string; password: string; organizationId: string; userId: string; displayName: string };
  /**
   * A fresh browser context (own storage) and page, sized like a laptop, in London (`options` override
   * that: another zone or locale), its waits guarded by E2E_WAIT_MS.
   */
  newPage(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  /** Calls the API directly, as the admin (for setup the test is not about). */
  gqlAsAdmin<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITE_BIN, ...args], { cwd: ADMIN_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite ${args[0]} exited with ${code}:\n${output}`))));
  });
}

/** Waits until vite preview answers, for as long as it runs (a busy machine starts it slowly; Jest's hook timeout guards). */
async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode} before it answered at ${url}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A clock that runs at the real pace from a chosen moment, and can be moved forward (a test's
 * clinic day spread over weeks). The API, the worker and the browser (`context.clock`) read it.
 */
export class MovableClock implements Clock {
  private offsetMs: number;
  constructor(start: Date) {
    this.offsetMs = start.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** Moves the clock to `to` (forward or back); it runs on from there. */
  set(to: Date): void {
    this.offsetMs = to.getTime() - Date.now();
  }
}

export interface HarnessOptions {
  orgName?: string;
  adminName?: string;
  /** The data `npm start` seeds (apps/api/src/seed.ts), instead of an empty organization; its admin is `admin`. */
  demo?: boolean;
  /** The clock the API reads (and the demo seed is written around); the system's by default. */
  clock?: Clock;
  /** Further configuration of the API (e.g. WEBHOOK_ALLOW_PRIVATE), over the process's. */
  apiEnv?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<AdminHarness> {
  const tdb = await createTestDatabase();
  const stops: (() => Promise<void>)[] = [() => tdb.drop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        console.error('e2e harness: cleanup failed', err);
      }
    }
  };
  try {
    const api = await startApi({
      databaseUrl: tdb.runtimeUrl,
      port: 0,
      appSecret: APP_SECRET,
      logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
      dataSource: tdb.appDataSource,
      clock: options.clock,
      env: options.apiEnv,
    });
    stops.push(() => api.stop());

    let displayName: string;
    let email: string;
    let password: string;
    let ids: { organizationId: string; userId: string };
    if (options.demo) {
      const seeded = await seedDemo(tdb.dataSource, { now: options.clock?.now() });
      const [admin] = (await tdb.dataSource.query(`SELECT id, display_name FROM app_user WHERE email = $1`, [DEMO_ADMIN.email])) as { id: string; display_name: string }[];
      ({ email, password } = DEMO_ADMIN);
      displayName = admin.display_name;
      ids = { organizationId: seeded.organizationId, userId: admin.id };
    } else {
      displayName = options.adminName ?? 'Ada Okafor';
      email = `ada.${Date.now()}@harbour-clinics.example`;
      password = ADMIN_PASSWORD;
      ids = await createOrgWithAdmin(tdb.db, { orgName: options.orgName ?? 'Harbour Physio & Massage', email, password, displayName });
    }

    const outDir = mkdtempSync(path.join(tmpdir(), 'fascia-admin-e2e-'));
    stops.push(async () => rmSync(outDir, { recursive: true, force: true }));
    const env = { ...process.env, API_URL: api.url, NODE_ENV: 'production' };
    await run(['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], env);

    const port = await freePort();
    const preview = spawn(process.execPath, [VITE_BIN, 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      cwd: ADMIN_DIR,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          if (preview.exitCode !== null) return resolve();
          preview.once('exit', () => resolve());
          preview.kill('SIGTERM');
        }),
    );
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(baseUrl, preview);

    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    stops.push(() => browser.close());

    // Signs in on every call: access tokens may be short-lived in a test (see session.e2e).
    const gqlAsAdmin = <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => gqlAs<T>(api.url, { email, password }, query, variables);

    return {
      baseUrl,
      apiUrl: api.url,
      tdb,
      browser,
      admin: { email, password, displayName, ...ids },
      async newPage(options: BrowserContextOptions = {}) {
        const context = await browser.newContext({ ...CONTEXT_DEFAULTS, ...options, baseURL: baseUrl });
        context.setDefaultTimeout(E2E_WAIT_MS);
        context.setDefaultNavigationTimeout(E2E_WAIT_MS);
        const page = await context.newPage();
        return { context, page };
      },
      gqlAsAdmin,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The serious and critical axe-core violations (WCAG 2.1 A/AA) on the page as it is now, as readable lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Calls the API as anyone, signing in first (for a test's setup in a second organization). */
export async function gqlAs<T = Record<string, unknown>>(apiUrl: string, who: { email: string; password: string }, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const call = async (body: unknown, token?: string) => {
    const res = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  };
  const signIn = await call({ query: 'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }', variables: { input: { email: who.email, password: who.password } } });
  const token = (signIn.data?.signIn as { accessToken: string } | undefined)?.accessToken;
  if (!token) throw new Error(`e2e: sign-in of ${who.email} failed: ${JSON.stringify(signIn.errors)}`);
  const res = await call({ query, variables }, token);
  if (res.errors?.length || !res.data) throw new Error(`e2e: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}
