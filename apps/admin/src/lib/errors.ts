import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/**
 * What a form shows for a failed operation: messages next to the fields the server
 * named (BAD_USER_INPUT with `extensions.field`, or type-graphql's validationErrors),
 * and one message for the form itself, led by the error's code.
 */
export interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
  code: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null, code: null };

const CODE_LABELS: Record<string, string> = {
  BAD_USER_INPUT: 'Please check the form',
  UNAUTHENTICATED: 'Not signed in',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Already exists',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side',
};

export function codeLabel(code: string | null): string {
  return (code && CODE_LABELS[code]) ?? 'Error';
}

/** `input.openingHours[0].start` → `openingHours.0.start`; `input.name` → `name`. */
export function normalizeField(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^(input|args)\./, '')
    .replace(/^\./, '');
}

interface ValidationError {
  property?: string;
  constraints?: Record<string, string>;
  children?: ValidationError[];
}

function collectValidation(errors: ValidationError[], prefix: string, out: Record<string, string>): void {
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property ?? ''}` : (e.property ?? '');
    const first = e.constraints ? Object.values(e.constraints)[0] : undefined;
    if (first) out[normalizeField(path)] ??= first;
    if (e.children?.length) collectValidation(e.children, path, out);
  }
}

export function readErrors(error: unknown): FormErrors {
  if (CombinedGraphQLErrors.is(error)) {
    const fields: Record<string, string> = {};
    const rest: string[] = [];
    let code: string | null = null;
    for (const e of error.errors) {
      const ext = (e.extensions ?? {}) as Record<string, unknown>;
      code ??= typeof ext.code === 'string' ? ext.code : null;
      const field = typeof ext.field === 'string' ? ext.field : null;
      const validation = Array.isArray(ext.validationErrors) ? (ext.validationErrors as ValidationError[]) : null;
      if (field) fields[normalizeField(field)] ??= e.message;
      else if (validation?.length) collectValidation(validation, '', fields);
      else rest.push(e.message);
    }
    const hasFields = Object.keys(fields).length > 0;
    const form = rest.length > 0 ? rest.join(' ') : hasFields ? 'Some fields need your attention.' : null;
    return { fields, form, code };
  }
  if (ServerError.is(error)) {
    return { fields: {}, form: `The server answered ${error.statusCode}. Please try again in a moment.`, code: null };
  }
  if (error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message))) {
    return { fields: {}, form: "Can't reach the Fascia server. Check your connection and try again.", code: 'NETWORK' };
  }
  return { fields: {}, form: error instanceof Error ? error.message : 'Something went wrong.', code: null };
}

/** True when the error, after the refresh the link already tried, still means "signed out". */
export function isUnauthenticated(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}
