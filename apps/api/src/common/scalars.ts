import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/**
 * The ISO form `Date.prototype.toISOString` writes (and the API answers with): UTC, milliseconds,
 * `Z`. PostgreSQL writes it with `isoTimestampSql` (below).
 */
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * graphql-scalars' DateTime (same name, description, input rules), except that a string already
 * in the form the API answers with is sent as it is. graphql-scalars parses any string into a
 * `Date` — which `JSON.stringify` then writes back with `toISOString`: the same string, after a
 * regular expression, a `Date` and a `toISOString` per timestamp. The hot lists read the
 * timestamps no resolver computes with as such strings, straight from PostgreSQL (issue 10).
 * A `Date`, or a string in another form, is serialized as before.
 */
const base = DateTimeResolver.toConfig();
const serializeBase = base.serialize;
export const DateTimeScalar = new GraphQLScalarType({
  ...base,
  serialize(value: unknown) {
    if (typeof value === 'string' && ISO_UTC_MS.test(value)) return value;
    return serializeBase(value);
  },
});

/**
 * SQL for a timestamptz column as the string `toISOString` would write for the `Date` `pg`
 * would build from it (UTC, milliseconds truncated as `postgres-date` truncates them, `Z`), for
 * years 1000–9999. Only for a value no resolver computes with: it stays a string.
 */
export function isoTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
