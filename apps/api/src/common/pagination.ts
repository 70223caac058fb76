import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from './errors';
import { unsafeTextProblem } from './input-guard';
import { plainColumns } from './plain-rows';

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
  totalCountCapped: boolean;
}

/**
 * Lists that grow with the organization (clients, tasks) count their matches only up to this
 * many: a page never counts the whole organization (docs/api.md, "Counts").
 */
export const COUNT_LIMIT = 1000;

/** A count of matches, stopped at COUNT_LIMIT: `capped` says there are more. */
export interface Count {
  count: number;
  capped: boolean;
}

/** A Relay-style connection type for `Item`, named `${name}Connection`. */
export function Connection<T extends object>(Item: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field() cursor: string;
    @Field(() => Item) node: T;
  }
  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class Conn implements Page<T> {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => [Item]) nodes: T[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, {
      description: `How many items match (the whole list, not this page). Clients and tasks count at most ${COUNT_LIMIT.toLocaleString('en')}: when there are more, this is ${COUNT_LIMIT.toLocaleString('en')} and totalCountCapped is true (show "${COUNT_LIMIT.toLocaleString('en')}+").`,
    })
    totalCount: number;
    @Field({ description: `True when totalCount stopped at ${COUNT_LIMIT.toLocaleString('en')} and more items match; false when totalCount is exact.` }) totalCountCapped: boolean;
  }
  return Conn;
}

const MAX_PAGE = 200;

/** Cursors are opaque to clients: base64url of the keyset [sortValue, id]. */
function encodeCursor(sortValue: string, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * What a cursor's sort value is: `text` (a name) or `time` (an ISO instant, as issued by
 * `toISOString`). A cursor whose parts are not of that shape is BAD_USER_INPUT naming
 * `after`, before it reaches SQL (a non-uuid id or a non-time value would be a cast error there).
 */
export type CursorKind = 'text' | 'time';

/** An ISO instant that names a real time (JavaScript would read 2026-02-31 as 3 March; PostgreSQL refuses it). */
function isInstant(s: string): boolean {
  if (!ISO_INSTANT.test(s)) return false;
  const t = Date.parse(s);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 19) === s.slice(0, 19);
}

export function decodeCursor(cursor: string | null | undefined, kind: CursorKind = 'text'): [string, string] | null {
  if (cursor == null) return null;
  let v: unknown = null;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // fall through
  }
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && UUID.test(v[1])) {
    const [sort, id] = v as [string, string];
    const sortOk = kind === 'time' ? isInstant(sort) : sort.length <= 1000 && !unsafeTextProblem(sort);
    if (sortOk) return [sort, id];
  }
  throw badInput('after', 'The cursor is not one this API issued; pass the endCursor of a previous page.');
}

export function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw badInput('first', `first must be between 1 and ${MAX_PAGE}.`);
  return n;
}

/**
 * Builds a page from `size + 1` rows fetched in keyset order. The edges (a cursor per row: a
 * JSON text and a base64url encoding each) are built when a query reads them, once; the end
 * cursor alone otherwise (issue 10: the clients page asks for `nodes` and `pageInfo`, and its 50
 * cursors were about 1 % of its CPU).
 */
export function toPage<T extends { id: string }>(rows: T[], size: number, total: number | Count, sortValue: (row: T) => string): Page<T> {
  const nodes = rows.slice(0, size);
  const last = nodes.length ? nodes[nodes.length - 1] : null;
  const endCursor = last ? encodeCursor(sortValue(last), last.id) : null;
  const { count, capped } = typeof total === 'number' ? { count: total, capped: false } : total;
  let edges: Page<T>['edges'] | null = null;
  return {
    get edges() {
      return (edges ??= nodes.map((node) => ({ cursor: node === last ? (endCursor as string) : encodeCursor(sortValue(node), node.id), node })));
    },
    nodes,
    totalCount: count,
    totalCountCapped: capped,
    pageInfo: { hasNextPage: rows.length > size, endCursor },
  };
}

/** The column that carries a page's capped count beside each of its rows (left on the rows: docs/architecture.md, "Rows keep their shape"). */
export const CAPPED_TOTAL = '__capped_total';

/**
 * A scalar subquery counting the rows of `from` that match `where`, stopping at COUNT_LIMIT + 1
 * (read back with `toCount`). In the page's order (`orderBy`, without the keywords): the count
 * then walks the index the page walks (without an order PostgreSQL may pick a sequential scan
 * that stops early, which reads the whole table when matches are rare).
 */
export function cappedCount(from: string, where: string, orderBy: string): string {
  return `(SELECT count(*)::int FROM (SELECT 1 FROM ${from} WHERE ${where} ORDER BY ${orderBy} LIMIT ${COUNT_LIMIT + 1}) capped)`;
}

/** `cappedCount` for a query builder's rows: the same subquery, written by the builder. */
function cappedCountSql<E extends ObjectLiteral>(filtered: SelectQueryBuilder<E>, order: SelectQueryBuilder<E>['expressionMap']['orderBys']): string {
  const sub = filtered.clone().select('1', 'one').orderBy(order).limit(COUNT_LIMIT + 1);
  return `(SELECT count(*)::int FROM (${sub.getQuery()}) capped)`;
}

/** What `cappedCount` returned, as a page's count: at most COUNT_LIMIT, `capped` beyond. */
export const toCount = (n: number): Count => ({ count: Math.min(n, COUNT_LIMIT), capped: n > COUNT_LIMIT });

/**
 * One statement for a page and its count: the page's rows (`page`: `filtered` plus its keyset
 * condition, order and limit) with, as a scalar subquery, the capped count of `filtered`
 * (`SELECT count(*) FROM (… LIMIT 1001)`), so the count reads at most 1,001 index entries and
 * never the organization. `page` must be a clone of `filtered` (they share parameters). Only a
 * page past the end (empty, after a cursor) costs a second statement for its count.
 */
export async function pageWithCount<E extends ObjectLiteral>(
  page: SelectQueryBuilder<E>,
  filtered: SelectQueryBuilder<E>,
  /** More columns of each row, by name: e.g. a related row as JSON from a correlated subquery (the tasks page). */
  extra: Record<string, string> = {},
  /** Only these properties of the rows (a `pickColumns` list; null: every column). */
  only: readonly string[] | null = null,
): Promise<{ rows: E[]; total: Count }> {
  const order = { ...page.expressionMap.orderBys };
  // The rows as plain objects (common/plain-rows.ts: no entity hydration), the count beside them.
  const main = page.expressionMap.mainAlias!;
  page.select(plainColumns(main.metadata, page.escape(main.name), '', only));
  for (const [name, sql] of Object.entries(extra)) page.addSelect(sql, name);
  const raw = await page.addSelect(cappedCountSql(filtered, order), CAPPED_TOTAL).getRawMany<E & Record<typeof CAPPED_TOTAL, number>>();
  if (raw.length > 0) {
    // The count's column stays on each row (GraphQL shows only the fields asked for): a row is
    // never reshaped (docs/architecture.md, "Rows keep their shape").
    return { rows: raw as E[], total: toCount(Number(raw[0][CAPPED_TOTAL])) };
  }
  // Past the end: the count alone, on the first matching row (none: 0), in the same transaction.
  const counted = await filtered.clone().select(cappedCountSql(filtered, order), CAPPED_TOTAL).orderBy().limit(1).getRawOne<Record<string, number>>();
  return { rows: [], total: toCount(Number(counted?.[CAPPED_TOTAL] ?? 0)) };
}
