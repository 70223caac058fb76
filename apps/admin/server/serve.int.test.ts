import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const SERVE = path.join(__dirname, 'serve.mjs');
const DIST = path.join(__dirname, '..', 'dist');

/** Starts serve.mjs on a free port; resolves with its base URL once it says it listens. */
function start(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [SERVE], { env: { ...process.env, ADMIN_PORT: '0', ADMIN_HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
  });
}
const stop = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

describe('the admin static server (apps/admin/server/serve.mjs)', () => {
  let url: string;
  let child: ChildProcess;
  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('apps/admin/dist is missing: run `npx turbo run build --filter=@fascia/admin` first');
    ({ url, child } = await start());
  });
  afterAll(async () => {
    if (child) expect(await stop(child)).toBe(0);
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves index.html for the SPA routes, revalidated on each load', async () => {
    const index = readFileSync(path.join(DIST, 'index.html'), 'utf8');
    for (const route of ['/', '/clients/123', '/operations/deliveries']) {
      const res = await fetch(`${url}${route}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(index);
    }
  });

  it('caches the hashed assets for a year and answers a conditional request with 304', async () => {
    const js = readdirSync(path.join(DIST, 'assets')).find((f) => f.endsWith('.js'))!;
    const res = await fetch(`${url}/assets/${js}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe(readFileSync(path.join(DIST, 'assets', js), 'utf8'));
    const again = await fetch(`${url}/assets/${js}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('refuses writes to the static files', async () => {
    expect((await fetch(`${url}/graphql`, { method: 'POST', body: '{}' })).status).toBe(405);
  });
});

describe('the admin static server with API_URL', () => {
  it('forwards /graphql to the API and says so when the API does not answer', async () => {
    const seen: { method: string; url: string; body: string }[] = [];
    const api = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"ok":true}}');
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const { url, child } = await start({ API_URL: apiUrl });
    try {
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ ok }"}' });
      expect(await res.json()).toEqual({ data: { ok: true } });
      expect(seen).toEqual([{ method: 'POST', url: '/graphql', body: '{"query":"{ ok }"}' }]);
      await new Promise<void>((r) => api.close(() => r()));
      const down = await fetch(`${url}/graphql`, { method: 'POST', body: '{}' });
      expect(down.status).toBe(502);
      expect(((await down.json()) as { error: { code: string } }).error.code).toBe('API_UNREACHABLE');
    } finally {
      expect(await stop(child)).toBe(0);
      api.close();
    }
  });
});
