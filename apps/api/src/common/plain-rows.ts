import { preparedQuery, type TenantTx } from '@fascia/db';
import type { EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { isoTimestampSql } from './scalars';

/**
 * Hot reads as plain rows (issue 10, "raw rows where entities add nothing"): the entity's own
 * columns selected as `alias.column AS "property"`, so `pg` builds each row already shaped as
 * the entity (its properties, its types: timestamptz a Date, jsonb parsed, a `date` as the
 * 'YYYY-MM-DD' string TypeORM gives) and TypeORM hydrates nothing. The entities are plain
 * classes (no relations, getters or transformers), so a row is interchangeable with one for
 * the resolvers, which only read properties. Not for rows that are saved back.
 */
const lists = new WeakMap<EntityMetadata, Map<string, string>>();
const isTimestamp = (type: unknown): boolean => type === 'timestamptz' || type === 'timestamp with time zone' || type === 'timestamp' || type === Date;
/** A timestamptz column (an instant: its ISO form in UTC does not depend on the session's time zone). */
const isInstant = (type: unknown): boolean => type === 'timestamptz' || type === 'timestamp with time zone';

/**
 * With `prefix`, each property is named `prefix + property` (a joined table's columns beside the
 * main one's); with `only`, just those properties (a `pickColumns` list; null: every column);
 * with `iso`, those timestamp properties are read as the ISO string the API answers with
 * (`isoTimestamps`: the ones no resolver computes with), not as a `Date`.
 */
export function plainColumns(meta: EntityMetadata, alias: string, prefix = '', only: readonly string[] | null = null, iso: readonly string[] = []): string {
  let byAlias = lists.get(meta);
  if (!byAlias) lists.set(meta, (byAlias = new Map()));
  const key = `${alias}\u0000${prefix}\u0000${only ? only.join(',') : '*'}\u0000${iso.join(',')}`;
  let list = byAlias.get(key);
  if (!list) {
    list = meta.columns
      .filter((c) => !only || only.includes(c.propertyName))
      .map((c) => {
        if (c.transformer || c.embeddedMetadata || c.relationMetadata) throw new Error(`plain-rows: ${meta.name}.${c.propertyName} needs TypeORM to read it`);
        const col = `${alias}."${c.databaseName}"`;
        if (iso.includes(c.propertyName)) {
          if (!isInstant(c.type)) throw new Error(`plain-rows: ${meta.name}.${c.propertyName} is not a timestamptz`);
          return `${isoTimestampSql(col)} AS "${prefix}${c.propertyName}"`;
        }
        return `${c.type === 'date' ? `${col}::text` : col} AS "${prefix}${c.propertyName}"`;
      })
      .join(', ');
    byAlias.set(key, list);
  }
  return list;
}

/**
 * What the fields of a GraphQL object type need of its entity's columns (issue 10: "only the
 * columns a query needs"): a field named as a column needs that column; `resolved` names the
 * type's other fields (its field resolvers) and the columns each reads ([]: none); `always`, what
 * the service itself reads of every row (ids for scope, keys it groups or orders by).
 */
export interface ColumnNeeds {
  always: readonly string[];
  resolved: Readonly<Record<string, readonly string[]>>;
}

/**
 * The entity's properties to read for the selected `fields` (common/selection.ts `fieldsAt`), in
 * the entity's column order; `null` (read every column) when a field is neither a column nor in
 * `needs.resolved` — a field added to the type later is answered from a full row until it is
 * listed. Rows read this way must not be handed to loaders other fields share.
 */
export function pickColumns(meta: EntityMetadata, fields: ReadonlySet<string>, needs: ColumnNeeds): string[] | null {
  const props = new Set(needs.always);
  for (const f of fields) {
    if (f === '__typename') continue;
    const resolved = needs.resolved[f];
    if (resolved) for (const p of resolved) props.add(p);
    else if (meta.columns.some((c) => c.propertyName === f)) props.add(f);
    else return null;
  }
  const picked = meta.columns.filter((c) => props.has(c.propertyName)).map((c) => c.propertyName);
  return picked.length === meta.columns.length ? null : picked;
}

/**
 * Of the selected `fields`, the entity's timestamp columns that no field resolver of `needs`
 * selected alongside (nor the service: `always`) reads: GraphQL only serializes them, so they
 * can be read as ISO strings (`plainColumns`' `iso`; the DateTime scalar, common/scalars.ts,
 * sends such a string as it is). The row's property is then a string, not the entity's `Date`:
 * only for rows that go nowhere but to GraphQL.
 */
export function isoTimestamps(meta: EntityMetadata, fields: ReadonlySet<string>, needs: ColumnNeeds): string[] {
  const computed = new Set(needs.always);
  for (const f of fields) for (const p of needs.resolved[f] ?? []) computed.add(p);
  return meta.columns.filter((c) => fields.has(c.propertyName) && isInstant(c.type) && !computed.has(c.propertyName)).map((c) => c.propertyName);
}

/** The entity's properties not in `only` (for `jsonColumns`' omit); none when `only` is null. */
export function columnsBut(meta: EntityMetadata, only: readonly string[] | null): string[] {
  return only ? meta.columns.map((c) => c.propertyName).filter((p) => !only.includes(p)) : [];
}

export const metadataOf = (tx: TenantTx, target: EntityTarget<ObjectLiteral>): EntityMetadata => tx.em.connection.getMetadata(target);

/**
 * The organization's rows of a tenant table matching `where` (placeholders from `$2`: `$1` is
 * the organization), as plain rows: `SELECT <columns> FROM <table> t WHERE t.organization_id
 * = $1 AND (where) [ORDER BY orderBy]`. Row-level security holds as for any read of `tx`.
 */
export function findPlain<E extends ObjectLiteral>(tx: TenantTx, target: EntityTarget<E>, where: string, params: unknown[], orderBy?: string): Promise<E[]> {
  const meta = metadataOf(tx, target as EntityTarget<ObjectLiteral>);
  const sql = `SELECT ${plainColumns(meta, 't')} FROM "${meta.tableName}" t WHERE t.organization_id = $1 AND (${where})${orderBy ? ` ORDER BY ${orderBy}` : ''}`;
  return preparedQuery<E>(tx.em, sql, [tx.organizationId, ...params]);
}

/** `findPlain` by ids (`t.<column> = ANY($2)`): for the DataLoaders' batches. */
export function findPlainIn<E extends ObjectLiteral>(tx: TenantTx, target: EntityTarget<E>, column: string, ids: readonly string[], orderBy?: string): Promise<E[]> {
  return findPlain(tx, target, `t."${column}" = ANY($2::uuid[])`, [[...ids]], orderBy);
}

/** The `prefix`ed properties of a row (plainColumns with a prefix) as an object of their own (left on the row: deleting them would slow every later read of it). */
export function splitPrefixed<T>(row: Record<string, unknown>, meta: EntityMetadata, prefix: string, only: readonly string[] | null = null): T {
  const out: Record<string, unknown> = {};
  for (const c of meta.columns) {
    if (!only || only.includes(c.propertyName)) out[c.propertyName] = row[prefix + c.propertyName];
  }
  return out as T;
}

/**
 * Records nested in one statement as JSON (the chart, a task's client): `jsonColumns` is
 * `plainColumns` for a subquery whose rows `json_agg` / `row_to_json` turn into objects —
 * timestamps as epoch milliseconds (a number the aggregate can order by and `new Date` reads;
 * `fromJson` turns them back into Dates), everything else as JSON gives it (jsonb as itself, a
 * `date` as 'YYYY-MM-DD', arrays as arrays). `pg` parses the JSON once; no entity hydration.
 */
const jsonLists = new WeakMap<EntityMetadata, Map<string, string>>();
const timestampProps = new WeakMap<EntityMetadata, string[]>();

/** With `omit`, those properties are left out (a heavy column no field of the request reads). */
export function jsonColumns(meta: EntityMetadata, alias: string, omit: readonly string[] = []): string {
  let byAlias = jsonLists.get(meta);
  if (!byAlias) jsonLists.set(meta, (byAlias = new Map()));
  const key = `${alias}\u0000${omit.join(',')}`;
  let list = byAlias.get(key);
  if (!list) {
    list = meta.columns
      .filter((c) => !omit.includes(c.propertyName))
      .map((c) => {
        if (c.transformer || c.embeddedMetadata || c.relationMetadata) throw new Error(`plain-rows: ${meta.name}.${c.propertyName} needs TypeORM to read it`);
        const col = `${alias}."${c.databaseName}"`;
        return `${isTimestamp(c.type) ? `extract(epoch FROM ${col}) * 1000` : col} AS "${c.propertyName}"`;
      })
      .join(', ');
    byAlias.set(key, list);
  }
  return list;
}

/** The JSON rows of `jsonColumns` as plain rows of the entity: its timestamps made Dates again, in place. `null` (no rows) is []. */
export function fromJson<E>(meta: EntityMetadata, rows: Record<string, unknown>[] | null): E[] {
  if (!rows) return [];
  let props = timestampProps.get(meta);
  if (!props) timestampProps.set(meta, (props = meta.columns.filter((c) => isTimestamp(c.type)).map((c) => c.propertyName)));
  for (const row of rows) {
    for (const p of props) {
      const v = row[p];
      if (v !== null && v !== undefined) row[p] = new Date(v as number);
    }
  }
  return rows as E[];
}

/**
 * `(SELECT json_agg(x ORDER BY …) FROM (SELECT <jsonColumns> FROM <table> t WHERE
 * t.organization_id = $1 AND (where)) x)`: an entity's matching rows as one JSON array (null
 * when none), ordered by `orderBy` over the JSON's properties (`x."createdAt" DESC, x."id"`).
 */
export function jsonRowsSql(meta: EntityMetadata, where: string, orderBy?: string, omit: readonly string[] = []): string {
  return `(SELECT json_agg(x${orderBy ? ` ORDER BY ${orderBy}` : ''}) FROM (SELECT ${jsonColumns(meta, 't', omit)} FROM "${meta.tableName}" t WHERE t.organization_id = $1 AND (${where})) x)`;
}

/**
 * `(SELECT row_to_json(x) FROM (SELECT <jsonColumns> FROM <table> <alias> WHERE
 * <alias>.organization_id = <outer>.organization_id AND <alias>.id = <outer>.<column>) x)`: the
 * related row of each row of a page, by primary key, as JSON (null when there is none or row-level
 * security hides it) — a correlated lookup, so no plan can choose to hash the related table.
 */
export function jsonRowByIdSql(meta: EntityMetadata, alias: string, outer: string, column: string, omit: readonly string[] = []): string {
  return `(SELECT row_to_json(x) FROM (SELECT ${jsonColumns(meta, alias, omit)} FROM "${meta.tableName}" ${alias} WHERE ${alias}.organization_id = ${outer}.organization_id AND ${alias}.id = ${outer}.${column}) x)`;
}

/** A JSON row of `jsonRowByIdSql` as a plain row of the entity (null stays null). */
export function fromJsonRow<E>(meta: EntityMetadata, row: Record<string, unknown> | null): E | null {
  return row ? fromJson<E>(meta, [row])[0] : null;
}
