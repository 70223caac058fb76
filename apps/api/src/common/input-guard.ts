import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import { badInput, type AppError } from './errors';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL would refuse this text, as a sentence a person can act on; null if it is fine.
 * PostgreSQL rejects NUL (U+0000) in text and an unpaired UTF-16 surrogate in jsonb (in text,
 * node-postgres would silently turn it into U+FFFD); neither is ever typed on purpose.
 */
export function unsafeTextProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain a NUL character (\\u0000); remove it and try again.';
  if (LONE_SURROGATE.test(s)) return 'contains a broken character (an unpaired UTF-16 surrogate such as \\ud800); retype the text and try again.';
  return null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * The first string (value or object key) in `value` that PostgreSQL would refuse, as
 * BAD_USER_INPUT naming its path (`input.intake.complaints[0].notes`); null if there is none.
 */
export function findUnsafeText(value: unknown, path: string): AppError | null {
  if (typeof value === 'string') {
    const problem = unsafeTextProblem(value);
    return problem ? badInput(path, `${path} ${problem}`) : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      const keyProblem = unsafeTextProblem(key);
      if (keyProblem) return badInput(path, `${path} has a key that ${keyProblem}`);
      const found = findUnsafeText(v, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Checks the arguments of every field that takes any (every query and mutation, and
 * fields such as `Client.plans(first, after)`) before its resolver runs, so text that
 * PostgreSQL would refuse is BAD_USER_INPUT naming the argument, never an internal error.
 * Only fields with arguments are wrapped; the others resolve as before.
 */
export function guardTextArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args: Record<string, unknown>, context, info) => {
        for (const [name, value] of Object.entries(args)) {
          const found = findUnsafeText(value, name);
          if (found) throw found;
        }
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
