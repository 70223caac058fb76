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

/** The form-level message when every problem sits next to its field. */
export const SEE_FIELDS = 'Some fields need your attention: see the messages below.';

const CODE_LABELS: Record<string, string> = {
  BAD_USER_INPUT: 'Please check the form',
  UNAUTHENTICATED: 'Not signed in',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Already exists',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side',
  TOO_MANY_REQUESTS: 'Please wait',
};

/** The sign-in limit's refusal as a sentence: the wait in whole minutes, rounded up. */
export function tooManySignInsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many failed sign-ins. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

function retryAfterOf(ext: Record<string, unknown>): number | null {
  const s = ext.retryAfterSeconds;
  return typeof s === 'number' && Number.isFinite(s) ? s : null;
}

/** A 429 answered as plain JSON reaches Apollo as a ServerError: read the GraphQL body it carries. */
function graphQLErrorsOf(bodyText: string): { message: string; extensions?: Record<string, unknown> }[] | null {
  try {
    const body = JSON.parse(bodyText) as { errors?: unknown };
    return Array.isArray(body.errors) ? (body.errors as { message: string; extensions?: Record<string, unknown> }[]) : null;
  } catch {
    return null;
  }
}

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
    if (first) out[path] ??= first;
    if (e.children?.length) collectValidation(e.children, path, out);
  }
}

interface Issue {
  field?: string;
  message?: string;
}

/** "must not be empty" → "Must not be empty." — the label above the field says what. */
function sentence(message: string): string {
  const m = message.trim();
  if (!m) return m;
  const s = m[0].toUpperCase() + m.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/**
 * Reads a failed operation. `known` lists the field paths (or their prefixes) the form
 * shows next to an input; a field error for anything else goes to the form's message,
 * so no message is ever lost.
 */
export function readErrors(error: unknown, known?: string[]): FormErrors {
  if (CombinedGraphQLErrors.is(error)) {
    const fields: Record<string, string> = {};
    const rest: string[] = [];
    let code: string | null = null;
    const shows = (f: string) => f !== '' && f !== 'input' && (!known || known.some((k) => f === k || f.startsWith(`${k}.`)));
    const put = (path: string, message: string, whole: string) => {
      const f = normalizeField(path);
      if (shows(f)) fields[f] ??= sentence(message);
      else rest.push(whole);
    };
    for (const e of error.errors) {
      const ext = (e.extensions ?? {}) as Record<string, unknown>;
      code ??= typeof ext.code === 'string' ? ext.code : null;
      const issues = Array.isArray(ext.issues) ? (ext.issues as Issue[]).filter((i) => typeof i.field === 'string' && typeof i.message === 'string') : [];
      const validation = Array.isArray(ext.validationErrors) ? (ext.validationErrors as ValidationError[]) : [];
      const retryAfter = ext.code === 'TOO_MANY_REQUESTS' ? retryAfterOf(ext) : null;
      if (retryAfter !== null) {
        rest.push(tooManySignInsMessage(retryAfter));
      } else if (issues.length) {
        // The API's validation lists every problem with its own field and message.
        for (const i of issues) put(i.field as string, i.message as string, `${i.field}: ${i.message}`);
      } else if (typeof ext.field === 'string') {
        put(ext.field, e.message, e.message);
      } else if (validation.length) {
        const collected: Record<string, string> = {};
        collectValidation(validation, '', collected);
        for (const [f, m] of Object.entries(collected)) put(f, m, `${f}: ${m}`);
      } else {
        rest.push(e.message);
      }
    }
    const hasFields = Object.keys(fields).length > 0;
    const form = rest.length > 0 ? rest.join(' ') : hasFields ? SEE_FIELDS : null;
    return { fields, form, code };
  }
  if (ServerError.is(error)) {
    if (error.statusCode === 429) {
      const limited = graphQLErrorsOf(error.bodyText)?.find((e) => e.extensions?.code === 'TOO_MANY_REQUESTS');
      const header = Number(error.response.headers.get('retry-after'));
      const seconds = (limited?.extensions && retryAfterOf(limited.extensions)) ?? (Number.isFinite(header) && header > 0 ? header : 60);
      return { fields: {}, form: tooManySignInsMessage(seconds), code: 'TOO_MANY_REQUESTS' };
    }
    const down = error.statusCode >= 502 && error.statusCode <= 504;
    return {
      fields: {},
      form: down ? `The Fascia server isn't answering (${error.statusCode}). Please try again in a moment.` : `The server answered ${error.statusCode}. Please try again in a moment.`,
      code: down ? 'NETWORK' : null,
    };
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
