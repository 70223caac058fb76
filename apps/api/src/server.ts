import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { handleReportCsv, isReportCsvPath } from './modules/report/report.csv';
import { type Clock, createDataSource, Db, type RequestScope, runInRequestScope } from '@fascia/db';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import pino, { type Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig, type ApiConfig } from './config';
import type { GraphQLContext, RequestInfo, Tenant } from './context';
import { AppError } from './common/errors';
import { createLoaders, type Loaders } from './loaders';
import { getSchema } from './schema';
import { jitExecution, type JitStats } from './common/jit-execution';
import { createServices, type Services } from './services';
import { handleFhir } from './modules/fhir/fhir.http';

const MAX_BODY_BYTES = 1_000_000;
/** How much of an oversized body is still read (and dropped) so the client gets the 413. */
const MAX_DRAIN_BYTES = 32_000_000;

export interface Api {
  apollo: ApolloServer<GraphQLContext>;
  dataSource: DataSource;
  db: Db;
  services: Services;
  config: ApiConfig;
  logger: Logger;
  /** Compiled execution's counters (compiled, fallbacks, cache hits); null with GRAPHQL_JIT=0. */
  jit: JitStats | null;
  /**
   * Builds a request's context, as the HTTP server does (tests that call executeOperation use it
   * too). With `requestScope` (the request's, from runInRequestScope) the membership check opens
   * the request's one transaction, and the context's tenant is bound to it.
   */
  contextFor(input: { authorization?: string | null; request?: Partial<RequestInfo>; requestScope?: RequestScope | null }): Promise<GraphQLContext>;
  stop(): Promise<void>;
}

/**
 * A request's context. Its DataLoaders (22 of them) are built on first use, not with the
 * context: most reads (a page, a list, search) use none, and building them was a fixed cost of
 * every request (issue 10). Apollo hands resolvers a copy of the context (`Object.assign` onto
 * an object of the same prototype), so the lazy `loaders` is an accessor of the prototype and
 * its state an object the copy shares: the copy neither builds them nor builds them twice.
 */
class RequestContext implements GraphQLContext {
  tenant: Tenant | null = null;
  authError: AppError | null = null;
  /** Shared by Apollo's copy of the context: the loaders once built. */
  private readonly lazy: { loaders?: Loaders } = {};

  constructor(
    readonly config: ApiConfig,
    readonly db: Db,
    readonly services: Services,
    readonly request: RequestInfo,
    readonly requestScope: RequestScope | null,
  ) {}

  /** The signed-in tenant's loaders, built on first use; none without a tenant. */
  get loaders(): Loaders | null {
    if (!this.tenant) return null;
    return (this.lazy.loaders ??= createLoaders(this.db, this.tenant));
  }
}

/** Wires the API's parts together without listening: the HTTP server and the tests share it. */
export async function createApi(config: ApiConfig, options: { dataSource?: DataSource; logger?: Logger; clock?: Clock } = {}): Promise<Api> {
  const logger = options.logger ?? pino({ level: config.logLevel, name: 'fascia-api' });
  const dataSource = options.dataSource ?? createDataSource({ url: config.databaseUrl, applicationName: 'fascia-api', poolSize: config.databasePoolSize });
  if (!dataSource.isInitialized) await dataSource.initialize();
  const db = new Db(dataSource);
  const services = createServices(db, config, options.clock);
  const armor = new ApolloArmor({
    maxDepth: { n: 10 },
    // allowList [] counts `__typename` aliases too (the default exempts them: 10,000 of them cost nothing to send).
    maxAliases: { n: 15, allowList: [] },
    costLimit: { maxCost: 20000 },
    maxTokens: { n: 5000 },
    maxDirectives: { n: 20 },
  }).protect();

  const logErrors: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const err of errors) {
            const original = unwrapResolverError(err);
            if (original instanceof AppError || (original instanceof GraphQLError && original.extensions?.code)) continue;
            logger.error({ err: original, requestId: contextValue.request.requestId, correlationId: contextValue.request.correlationId, operationName }, 'unexpected error');
          }
        },
      };
    },
  };

  const requestTransaction: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const scope = contextValue.requestScope;
          if (!scope?.isOpen || !operation) return;
          if (usesOwnTransactions(operation)) await scope.end();
          else if (operation.operation === 'mutation') scope.mode = 'write';
        },
        async willSendResponse({ contextValue, response, operationName }) {
          const scope = contextValue.requestScope;
          if (!scope) return;
          try {
            await scope.commit();
          } catch (err) {
            // Nothing the request did was kept: it must not answer as if it had been.
            logger.error({ err, requestId: contextValue.request.requestId, operationName }, 'request transaction failed');
            response.http.status = 500;
            const errors = [{ message: 'Your request could not be completed and nothing was saved; try again.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
            if (response.body.kind === 'single') response.body.singleResult = { errors };
          }
        },
      };
    },
  };

  const schema = await getSchema();
  // Compiled execution (common/jit-execution.ts) through Apollo's gateway interface; GRAPHQL_JIT=0: graphql-js.
  const jit = config.graphqlJit
    ? jitExecution(schema, { onCompileError: (err, operationName) => logger.warn({ err, operationName }, 'graphql-jit could not compile an operation; graphql-js runs it') })
    : null;
  const apollo = new ApolloServer<GraphQLContext>({
    ...(jit ? { gateway: jit.gateway } : { schema }),
    ...armor,
    plugins: [
      ...armor.plugins,
      logErrors,
      requestTransaction,
      // Nothing uses cache hints; the default plugin would wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGINT/SIGTERM: it closes the HTTP server, then calls stop(), which stops
    // Apollo. Apollo's own handlers (on by default unless NODE_ENV=test) would start a second,
    // concurrent apollo.stop(), and Apollo 5 never resolves a concurrent stop() that way: under
    // `npm start` the API hung after Ctrl-C until it was killed.
    stopOnTerminationSignals: false,
    formatError(formatted, error) {
      const original = unwrapResolverError(error);
      if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
      return { message: 'Something went wrong on our side; it has been logged. Try again, and tell support if it persists.', extensions: { code: 'INTERNAL_SERVER_ERROR' }, path: formatted.path };
    },
  });
  await apollo.start();

  async function contextFor(input: { authorization?: string | null; request?: Partial<RequestInfo>; requestScope?: RequestScope | null }): Promise<GraphQLContext> {
    const request: RequestInfo = {
      requestId: input.request?.requestId ?? randomUUID(),
      correlationId: input.request?.correlationId ?? null,
      sourceAddress: input.request?.sourceAddress ?? null,
      userAgent: input.request?.userAgent ?? null,
    };
    const scope = input.requestScope;
    const ctx = new RequestContext(config, db, services, request, scope?.db === db ? scope : null);
    const match = /^Bearer\s+(.+)$/i.exec(input.authorization ?? '');
    if (match) {
      try {
        ctx.tenant = await services.auth.resolveTenant(match[1].trim(), request, ctx.requestScope);
      } catch (err) {
        await ctx.requestScope?.end();
        if (!(err instanceof AppError)) throw err;
        ctx.authError = err;
      }
    }
    return ctx;
  }

  return {
    apollo,
    dataSource,
    db,
    services,
    config,
    logger,
    jit: jit?.stats ?? null,
    contextFor,
    async stop() {
      await apollo.stop();
      await services.operations.close();
      if (!options.dataSource && dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/**
 * Root fields that act outside the signed-in tenant (sign-in, sessions, invitations, reminder
 * links): they open transactions of their own (`Db.system`, a link's organization), so a
 * request naming one gives its transaction back first — a request must never hold one pooled
 * connection while it waits for a second.
 */
const OWN_TRANSACTION_FIELDS = new Set(['signIn', 'refreshSession', 'signOut', 'acceptInvitation', 'confirmAppointmentByLink', 'cancelAppointmentByLink']);

function usesOwnTransactions(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some((s) => s.kind !== Kind.FIELD || OWN_TRANSACTION_FIELDS.has(s.name.value));
}

/** A caller's x-request-id, kept when it is 1–128 printable ASCII characters (the audit column checks the same); otherwise dropped. */
export function correlationIdOf(header: string | string[] | undefined): string | null {
  const value = typeof header === 'string' ? header.trim() : null;
  return value && /^[\x20-\x7e]{1,128}$/.test(value) ? value : null;
}

type Body = { text: string } | { tooLarge: 'drained' | 'cut' };

/**
 * Reads the request body up to MAX_BODY_BYTES. Past that, the rest is read and dropped
 * (up to MAX_DRAIN_BYTES) so that a client still sending gets the 413 rather than a reset
 * connection; a body beyond that is cut off.
 */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES) {
      resolve({ tooLarge: 'cut' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
      else if (size > MAX_DRAIN_BYTES && !settled) {
        settled = true;
        req.pause();
        resolve({ tooLarge: 'cut' });
      } else chunks.length = 0;
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(size > MAX_BODY_BYTES ? { tooLarge: 'drained' } : { text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
  });
}

/** A path segment decoded, or null when its `%` escapes are malformed (a 404, not a 500). */
export function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The client's address: the peer, or behind `trustedProxies` proxies the X-Forwarded-For
 * entry the outermost trusted one appended (entries further left are the client's to forge).
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string | null {
  const peer = req.socket.remoteAddress ?? null;
  if (trustedProxies <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxies]?.slice(0, 100) ?? peer;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The HTTP layer: /graphql through Apollo's integration API, plus /healthz and /readyz. */
export function createHttpHandler(api: Api) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (api.config.corsOrigin) {
      res.setHeader('access-control-allow-origin', api.config.corsOrigin);
      res.setHeader('access-control-allow-headers', 'authorization, content-type, x-request-id, apollo-require-preflight');
      res.setHeader('access-control-expose-headers', 'x-request-id, x-correlation-id');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('vary', 'origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
    }
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      try {
        await api.dataSource.query('SELECT 1');
        return sendJson(res, 200, { status: 'ready', database: 'ok' });
      } catch (err) {
        api.logger.warn({ err }, 'readiness check failed');
        return sendJson(res, 503, { status: 'not ready', database: 'unreachable' });
      }
    }
    if (isReportCsvPath(url.pathname)) {
      const requestId = randomUUID();
      try {
        return await handleReportCsv(api, req, res, url, { requestId, correlationId: correlationIdOf(req.headers['x-request-id']), sourceAddress: clientAddress(req, api.config.trustedProxies) });
      } catch (err) {
        api.logger.error({ err }, 'report export failed');
        if (!res.headersSent) return sendJson(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side; it has been logged. Try again.' } });
        res.destroy();
        return;
      }
    }
    if (url.pathname.startsWith('/ical/')) return serveFeed(api, req, res, url);
    if (url.pathname.startsWith('/fhir/')) return handleFhir(api, req, res, url);
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found. The GraphQL API is at /graphql.' });
    try {
      const read = req.method === 'POST' ? await readBody(req) : { text: '' };
      if ('tooLarge' in read) {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, {
          errors: [{ message: 'The request is too large: the limit is 1 MB. Send less at once (for example, fewer records per request).', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
        });
      }
      const raw = read.text;
      let body: unknown = raw;
      if (raw && (req.headers['content-type'] ?? '').includes('application/json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          return sendJson(res, 400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
        }
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      // The request id is ours; what the caller sends in x-request-id is kept apart, validated, as its correlation id.
      const requestId = randomUUID();
      const correlationId = correlationIdOf(req.headers['x-request-id']);
      // One transaction per request: opened by the membership check, committed before the
      // response is sent (the requestTransaction plugin), the connection released here at the latest.
      const result = await runInRequestScope(api.db, (requestScope) =>
        api.apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
          context: () =>
            api.contextFor({
              authorization: req.headers.authorization ?? null,
              request: { requestId, correlationId, sourceAddress: clientAddress(req, api.config.trustedProxies), userAgent: req.headers['user-agent'] ?? null },
              requestScope,
            }),
        }),
      );
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.setHeader('x-request-id', requestId);
      if (correlationId) res.setHeader('x-correlation-id', correlationId);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (err) {
      api.logger.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Something went wrong on our side.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  };
}

/**
 * `GET /ical/<token>.ics` (issue 15 §3): a practitioner's appointments as iCalendar. No sign-in:
 * the token is the credential. An unknown or revoked token is a 404 with a plain sentence. Each
 * read is audited (`feed.read`, the request's id in `x-request-id`).
 */
async function serveFeed(api: Api, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Calendar feeds are read with GET.\n');
    return;
  }
  const match = /^\/ical\/([^/]+)\.ics$/.exec(url.pathname);
  const requestId = randomUUID();
  res.setHeader('x-request-id', requestId);
  try {
    const token = match ? decodePathSegment(match[1]) : null;
    const body = token
      ? await api.services.feeds.render(token, {
          requestId,
          correlationId: correlationIdOf(req.headers['x-request-id']),
          sourceAddress: clientAddress(req, api.config.trustedProxies),
        })
      : null;
    if (body === null) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('This calendar feed does not exist or was revoked. Ask for a new feed link in Fascia.\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300', 'content-disposition': 'inline; filename="fascia.ics"' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    api.logger.error({ err }, 'calendar feed failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The calendar feed could not be made just now; try again later.\n');
  }
}

export interface StartApiOptions {
  databaseUrl: string;
  port: number;
  appSecret: string;
  host?: string;
  logLevel?: string;
  corsOrigin?: string;
  /** The one clock every service reads (tests may fix it); the system clock by default. */
  clock?: Clock;
  /** Use this DataSource (tests pass one that counts statements); the caller owns it. */
  dataSource?: DataSource;
  /** Overrides NODE_ENV (tests start a production API). */
  nodeEnv?: string;
  /** Further configuration variables (e.g. TRUSTED_PROXIES), over the process's. */
  env?: Record<string, string>;
  /** How long stop() lets requests in flight finish before it closes their connections. Default 10 s. */
  shutdownGraceMs?: number;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Starts the API on a port (0 for any free one); used by main.ts and by the browser tests. */
export async function startApi(opts: StartApiOptions): Promise<{ url: string; api: Api; server: Server; stop(): Promise<void> }> {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: opts.databaseUrl,
    API_PORT: String(opts.port),
    API_HOST: opts.host ?? '127.0.0.1',
    APP_SECRET: opts.appSecret,
    LOG_LEVEL: opts.logLevel ?? process.env.LOG_LEVEL ?? 'info',
    ...(opts.corsOrigin ? { CORS_ORIGIN: opts.corsOrigin } : {}),
    ...(opts.nodeEnv ? { NODE_ENV: opts.nodeEnv } : {}),
    ...opts.env,
  });
  const api = await createApi(config, { dataSource: opts.dataSource, clock: opts.clock });
  const handle = createHttpHandler(api);
  // Responses not yet finished: once stopping, each is told `Connection: close`, so a
  // keep-alive client (a browser, a proxy) cannot hold the server open by sending more.
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  const server = createServer((req, res) => {
    if (stopping) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}`,
    api,
    server,
    async stop() {
      // Stop accepting; drop idle keep-alive connections at once; let the requests in
      // flight finish, each closing its connection after its response; after the grace
      // period, close whatever is left. Only then the rest (Apollo, the queue handles,
      // the database): a keep-alive client that kept sending used to keep the server —
      // and with it the Redis connections of queueHealth — open forever.
      stopping = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => {
        api.logger.warn({ responses: inFlight.size }, 'shutdown grace period over: closing the connections still open');
        server.closeAllConnections();
      }, opts.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      try {
        await closed;
      } finally {
        clearTimeout(grace);
      }
      await api.stop();
    },
  };
}
