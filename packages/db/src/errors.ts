/** The PostgreSQL error behind a TypeORM QueryFailedError, if any. */
export interface PgErrorInfo {
  code: string;
  constraint?: string;
  detail?: string;
}

export function pgError(err: unknown): PgErrorInfo | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; constraint?: unknown; detail?: unknown; driverError?: unknown };
  const src = (e.driverError && typeof e.driverError === 'object' ? e.driverError : e) as typeof e;
  if (typeof src.code !== 'string') return null;
  return {
    code: src.code,
    constraint: typeof src.constraint === 'string' ? src.constraint : undefined,
    detail: typeof src.detail === 'string' ? src.detail : undefined,
  };
}

export const PG = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  CHECK_VIOLATION: '23514',
  EXCLUSION_VIOLATION: '23P01',
  INSUFFICIENT_PRIVILEGE: '42501',
  SERIALIZATION_FAILURE: '40001',
} as const;
