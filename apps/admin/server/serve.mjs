#!/usr/bin/env node
// Serves the built admin app (apps/admin/dist) in production: the image's admin command
// (infra/k8s). Hashed files under /assets are cached for a year; index.html and the other
// files are revalidated each time, so a release is picked up on the next load. Unknown paths
// get index.html (the SPA's routes). GET /healthz answers 200 for the probes.
// The app calls the relative /graphql: behind the Kubernetes Ingress that goes to the API on
// the same host. Without such a proxy, set API_URL and this server forwards /graphql,
// /reports/*.csv, /fhir/ and /ical/ to it (as `vite preview` did).
//   ADMIN_PORT (default 5173), ADMIN_HOST (default 127.0.0.1), ADMIN_DIST, API_URL.
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.ADMIN_DIST ?? path.join(here, '..', 'dist'));
const port = Number(process.env.ADMIN_PORT ?? 5173);
const host = process.env.ADMIN_HOST ?? '127.0.0.1';
const apiUrl = process.env.API_URL ? new URL(process.env.API_URL) : null;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`ADMIN_PORT must be a port number (0 to 65535), got ${process.env.ADMIN_PORT}`);
  process.exit(1);
}

const files = sirv(dist, {
  single: true,
  etag: true,
  gzip: false,
  brotli: false,
  dotfiles: false,
  setHeaders(res, pathname) {
    res.setHeader('cache-control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
  },
});

/** Forwards the request to API_URL, streaming both ways. */
function proxy(req, res) {
  const target = new URL(req.url, apiUrl);
  const upstream = (target.protocol === 'https:' ? https : http).request(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'API_UNREACHABLE', message: `The API at ${apiUrl.origin} did not answer (${err.message}).` } }));
  });
  req.pipe(upstream);
}

const server = http.createServer((req, res) => {
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end('{"status":"ok"}');
    return;
  }
  if (apiUrl && (pathname === '/graphql' || pathname.startsWith('/reports/') || pathname.startsWith('/fhir/') || pathname.startsWith('/ical/'))) return proxy(req, res);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return;
  }
  files(req, res);
});

server.listen(port, host, () => {
  const { port: bound } = server.address();
  console.log(`admin app served from ${dist} on http://${host}:${bound}${apiUrl ? `, /graphql forwarded to ${apiUrl.origin}` : ''}`);
});

const shutdown = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
