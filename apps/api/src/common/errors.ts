import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { AuditedDenial } from '@fascia/db';
import type { ZodError } from 'zod';

/**
 * Every error a client can act on carries `extensions.code` and a message written for
 * a person. BAD_USER_INPUT also names the offending `field` (a dotted path into the input).
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'TOO_MANY_REQUESTS';

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

/**
 * A refusal by clinic scope of a clinical record: FORBIDDEN (or NOT_FOUND) that carries its
 * audit event, which `Db.tenant` writes (outcome DENIED) after the transaction rolls back.
 */
export class DeniedError extends AppError implements AuditedDenial {
  deniedAuditWritten?: boolean;
  constructor(
    code: 'FORBIDDEN' | 'NOT_FOUND',
    message: string,
    readonly deniedAudit: AuditedDenial['deniedAudit'],
    extra: Record<string, unknown> = {},
  ) {
    super(code, message, extra);
  }
}

export const badInput = (field: string, message: string, extra: Record<string, unknown> = {}): AppError =>
  new AppError('BAD_USER_INPUT', message, { field, ...extra });
export const unauthenticated = (message = 'You need to sign in to do this.'): AppError =>
  new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Your role does not allow this.'): AppError => new AppError('FORBIDDEN', message);
export const notFound = (what: string, id: string): AppError =>
  new AppError('NOT_FOUND', `No ${what} with id ${id} exists in your organization.`, { id });
/**
 * TOO_MANY_REQUESTS (too many failed sign-ins): `retryAfterSeconds` in the extensions, and
 * over HTTP status 429 with a Retry-After header (Apollo reads and strips `extensions.http`).
 */
export const tooManyRequests = (message: string, retryAfterSeconds: number): AppError =>
  new AppError('TOO_MANY_REQUESTS', message, {
    retryAfterSeconds,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
  });
export const conflict = (message: string, extra: Record<string, unknown> = {}): AppError =>
  new AppError('CONFLICT', message, extra);

export interface InputIssue {
  field: string;
  message: string;
  [extra: string]: unknown;
}

/**
 * BAD_USER_INPUT for a list of problems: `field` and the message name the first, every one
 * is in `extensions.issues`, and the first's extras (e.g. `placeholder`) are copied up.
 */
export function fromIssues(issues: InputIssue[], fallbackField = 'input', separator = ': '): AppError {
  const [first = { field: fallbackField, message: 'is invalid' }] = issues;
  const { field, message, ...extra } = first;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return badInput(field, `${field}${separator}${message}${more}`, { ...extra, issues });
}

/** Turns a zod validation failure into BAD_USER_INPUT naming the first problem's field (all problems listed). */
export function fromZod(error: ZodError, prefix = 'input'): AppError {
  return fromIssues(
    error.issues.map((i) => ({
      field: [prefix, ...i.path].filter((p) => p !== '').map(String).join('.').replace(/\.(\d+)/g, '[$1]'),
      message: i.message,
    })),
    prefix,
  );
}

/**
 * Turns the planning package's PlanningInputError into BAD_USER_INPUT: each issue's dotted
 * field is prefixed (`input.intake` + `complaints[0].painNow`), the first one named in `field`.
 */
export function fromPlanningError(err: { issues: { field: string; problem: string; detail?: Record<string, unknown> }[] }, prefix = 'input'): AppError {
  // The planning package's problems read as a predicate ("must be …"), so no colon.
  return fromIssues(err.issues.map((i) => ({ ...i.detail, field: i.field ? `${prefix}.${i.field}` : prefix, message: i.problem })), prefix, ' ');
}
