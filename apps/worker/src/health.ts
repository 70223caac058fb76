import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Readiness {
  ready: boolean;
  /** Each part's state, e.g. `{ database: 'ok', queues: 'ok' }`, or `draining` while the worker stops. */
  checks: Record<string, string>;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The worker's only HTTP endpoint, for the orchestrator's probes: `GET /healthz` answers 200
 * while the process runs; `GET /readyz` answers 200 when {@link check} says ready, else 503.
 * Started only when WORKER_HEALTH_PORT is set (the Kubernetes manifests set it; npm start does not).
 */
export async function startHealthServer(check: () => Promise<Readiness>, opts: { port: number; host?: string }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'GET only' });
    if (pathname === '/healthz') return send(200, { status: 'ok' });
    if (pathname === '/readyz') {
      check().then(
        (r) => send(r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', ...r.checks }),
        (err: unknown) => send(503, { status: 'not ready', error: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    send(404, { error: 'not found: the worker serves /healthz and /readyz' });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
