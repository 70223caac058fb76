import { allowPrivateWebhooksFromEnv, DEV_APP_SECRET, fhirExportDir } from '@fascia/jobs';
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  API_HOST: z.string().default('127.0.0.1'),
  APP_SECRET: z.string().min(32, 'APP_SECRET must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
  CORS_ORIGIN: z.string().optional(),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.string().default('info'),
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2, 'must be 2 to 200').max(200, 'must be 2 to 200').default(10),
  FHIR_BASE_URL: z.url({ message: 'must be an absolute URL such as https://api.example.com/fhir' }).optional(),
  FHIR_EXPORT_DIR: z.string().min(1).optional(),
  GRAPHQL_JIT: z.enum(['0', '1'], { message: 'must be 0 (graphql-js executes every operation) or 1 (compiled with graphql-jit)' }).default('1'),
});

/** The API's environment schema (infra/k8s/manifests.test.ts checks the manifests set what it needs). */
export const apiEnvSchema = schema;

export interface ApiConfig {
  databaseUrl: string;
  port: number;
  host: string;
  appSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  corsOrigin?: string;
  logLevel: string;
  /** NODE_ENV=production: no introspection, no landing page. */
  production: boolean;
  /**
   * How many proxies (load balancers) in front of the API append to X-Forwarded-For: the
   * client address (sign-in limits, audit) is read that many entries from its end. 0: the peer.
   */
  trustedProxies: number;
  /**
   * Connections the API keeps to PostgreSQL. A request holds one from its membership check
   * to its answer (one transaction per request): the number of requests served at once.
   */
  databasePoolSize: number;
  /** WEBHOOK_ALLOW_PRIVATE: webhook endpoints may resolve to private, loopback or link-local addresses (tests, closed networks). */
  webhookAllowPrivate: boolean;
  /** The FHIR base URL in exported bundles' fullUrls; by default the request's own (`http://<host>/fhir`). */
  fhirBaseUrl?: string;
  /** Where the worker writes organization exports and the API reads them (absolute). */
  fhirExportDir: string;
  /** GRAPHQL_JIT (default 1): operations run compiled by graphql-jit (common/jit-execution.ts); 0: by graphql-js. */
  graphqlJit: boolean;
}


export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  if (!e.APP_SECRET && e.NODE_ENV === 'production') throw new Error('APP_SECRET must be set in production');
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.API_PORT,
    host: e.API_HOST,
    appSecret: e.APP_SECRET ?? DEV_APP_SECRET,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    corsOrigin: e.CORS_ORIGIN,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    trustedProxies: e.TRUSTED_PROXIES,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    webhookAllowPrivate: allowPrivateWebhooksFromEnv(env),
    fhirBaseUrl: e.FHIR_BASE_URL?.replace(/\/+$/, ''),
    fhirExportDir: fhirExportDir(e.FHIR_EXPORT_DIR),
    graphqlJit: e.GRAPHQL_JIT === '1',
  };
}
