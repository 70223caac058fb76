import type { Db, TenantTx } from '@fascia/db';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput } from '../../common/errors';
import { cappedCount, decodeCursor, pageSize, toCount, toPage, type Page } from '../../common/pagination';
import { parse, uuid } from '../../common/validation';
import { AUDIT_OUTCOMES, type AuditEventType, type AuditOutcome } from './audit.types';

/** How many events one CSV export holds at most (docs/api.md, "Audit log"). */
export const AUDIT_EXPORT_LIMIT = 5000;

const filterSchema = z
  .object({
    actorUserId: uuid.nullish(),
    recordId: uuid.nullish(),
    recordType: z.string().trim().min(1).max(64).regex(/^[a-z_]+$/, 'must be a record type such as client or appointment').nullish(),
    action: z.string().trim().min(1).max(100).regex(/^[a-z0-9_.]+$/, "must be an action such as 'client.update'").nullish(),
    outcome: z.enum(AUDIT_OUTCOMES).nullish(),
    from: z.date().nullish(),
    to: z.date().nullish(),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { path: ['to'], message: 'must be after from' });

export type AuditFilter = z.infer<typeof filterSchema>;

interface Row {
  id: string;
  occurred_at: Date;
  action: string;
  outcome: AuditOutcome;
  actor_user_id: string | null;
  actor_email: string | null;
  actor_name: string | null;
  record_type: string | null;
  record_id: string | null;
  record_ids: string[] | null;
  source_address: string | null;
  request_id: string | null;
  correlation_id: string | null;
  detail: Record<string, unknown> | null;
  total?: number;
}

/**
 * The organization's audit log for its admins (issue 13 item 9): search by person, record,
 * action, outcome and time, newest first in keyset order (occurred_at, id), and CSV export of
 * the same search. One SQL statement per page (the capped count is a subquery of it), each
 * search served by an index led by organization_id (migration 1764880000000). Reading the log is
 * itself audited (`audit.search`, `audit.export`), one event per request.
 */
export class AuditService {
  constructor(private readonly db: Db) {}

  search(tenant: Tenant, args: { filter?: unknown; first?: number | null; after?: string | null }): Promise<Page<AuditEventType>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, 'time');
    const filter = parse(filterSchema, args.filter ?? {}, 'filter');
    return this.db.tenant(tenant, async (tx) => {
      const { wheres, params } = conditions(tx, filter);
      const keyset = after ? ` AND (e.occurred_at, e.id) < ($${params.length + 1}::timestamptz, $${params.length + 2}::uuid)` : '';
      const pageParams = after ? [...params, after[0], after[1]] : params;
      const page = newest(wheres, keyset, size + 1);
      const rows = (await tx.em.query(
        `SELECT ${COLUMNS},
           ${countArms(wheres)} AS total
         FROM ${page.from} LEFT JOIN app_user u ON u.id = e.actor_user_id
         WHERE ${page.where}
         ${NEWEST_FIRST}
         LIMIT ${size + 1}`,
        pageParams,
      )) as Row[];
      // Past the end (no row to carry it): the count alone.
      const total = toCount(rows.length > 0 ? (rows[0].total ?? 0) : ((await tx.em.query(`SELECT ${countArms(wheres)} AS n`, params)) as { n: number }[])[0].n);
      await tx.audit({ action: 'audit.search', detail: { filter: describe(filter), page: rows.length > size ? size : rows.length } });
      return toPage(rows.map(toEvent), size, total, (e) => e.occurredAt.toISOString());
    });
  }

  /** The search as CSV, newest first, at most AUDIT_EXPORT_LIMIT rows (`capped` says there were more). */
  exportCsv(tenant: Tenant, args: { filter?: unknown }): Promise<{ csv: string; rowCount: number; capped: boolean; limit: number }> {
    const filter = parse(filterSchema, args.filter ?? {}, 'filter');
    return this.db.tenant(tenant, async (tx) => {
      const { wheres, params } = conditions(tx, filter);
      const all = newest(wheres, '', AUDIT_EXPORT_LIMIT + 1);
      const rows = (await tx.em.query(
        `SELECT ${COLUMNS} FROM ${all.from} LEFT JOIN app_user u ON u.id = e.actor_user_id
         WHERE ${all.where} ${NEWEST_FIRST} LIMIT ${AUDIT_EXPORT_LIMIT + 1}`,
        params,
      )) as Row[];
      const kept = rows.slice(0, AUDIT_EXPORT_LIMIT);
      await tx.audit({ action: 'audit.export', detail: { filter: describe(filter), rows: kept.length } });
      return { csv: toCsv(kept), rowCount: kept.length, capped: rows.length > AUDIT_EXPORT_LIMIT, limit: AUDIT_EXPORT_LIMIT };
    });
  }
}

const COLUMNS = `e.id, e.occurred_at, e.action, e.outcome, e.actor_user_id, u.email AS actor_email, u.display_name AS actor_name,
  e.record_type, e.record_id, e.record_ids, e.source_address, e.request_id, e.correlation_id, e.detail`;

const NEWEST = 'e.occurred_at DESC, e.id DESC';
const NEWEST_FIRST = `ORDER BY ${NEWEST}`;

/**
 * Where a search's newest `limit` events come from (`from`, aliased `e`, and its `where`, with
 * `extra` — the keyset — added): one search, as it is; a record's search (two arms, see
 * {@link conditions}) as the newest `limit` of each arm merged, so the arm by `record_id` keeps
 * walking its index in order and stops at `limit` (an OR of the two in one WHERE would fetch every
 * event of the record, then sort them: thousands for a note read at every chart view).
 */
function newest(wheres: string[], extra: string, limit: number): { from: string; where: string } {
  if (wheres.length === 1) return { from: 'audit_event e', where: `${wheres[0]}${extra}` };
  return { from: `(${wheres.map((w) => `(SELECT * FROM audit_event e WHERE ${w}${extra} ${NEWEST_FIRST} LIMIT ${limit})`).join('\n UNION ALL ')}) e`, where: 'true' };
}

/** How many events the search finds, counted up to COUNT_LIMIT + 1 per arm (the arms never share an event: see the CHECK of migration 1765010000000). */
function countArms(wheres: string[]): string {
  return wheres.map((w) => cappedCount('audit_event e', w, NEWEST)).join(' + ');
}

/**
 * The WHERE clause, always led by the organization — two of them (arms) for a record's search:
 * the events naming it (`record_id`, a btree in time order) and the reads of several records
 * carrying it (`record_ids`, the GIN index), which never overlap. The outcome is written as a literal (it is
 * one of three checked values), so a search for refusals and failures can be planned with the
 * partial index `WHERE outcome <> 'SUCCESS'` even as a generic prepared plan.
 */
function conditions(tx: TenantTx, f: AuditFilter): { wheres: string[]; params: unknown[] } {
  const params: unknown[] = [tx.organizationId];
  const parts = ['e.organization_id = $1'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace('?', `$${params.length}`));
  };
  if (f.actorUserId) add('e.actor_user_id = ?::uuid', f.actorUserId);
  let record: number | null = null;
  if (f.recordId) {
    params.push(f.recordId);
    record = params.length;
  }
  if (f.recordType) add('e.record_type = ?', f.recordType);
  if (f.action) add('e.action = ?', f.action);
  if (f.outcome) {
    if (!AUDIT_OUTCOMES.includes(f.outcome)) throw badInput('filter.outcome', 'filter.outcome must be SUCCESS, DENIED or FAILURE.');
    parts.push(f.outcome === 'SUCCESS' ? `e.outcome = 'SUCCESS'` : `e.outcome <> 'SUCCESS' AND e.outcome = '${f.outcome}'`);
  }
  if (f.from) add('e.occurred_at >= ?::timestamptz', f.from);
  if (f.to) add('e.occurred_at < ?::timestamptz', f.to);
  const where = parts.join(' AND ');
  if (record === null) return { wheres: [where], params };
  // A record's events: those naming it (writes, single reads) and the reads of several records
  // that carry it (record_ids, migration 1765010000000).
  return { wheres: [`${where} AND e.record_id = $${record}::uuid`, `${where} AND e.record_ids @> ARRAY[$${record}::uuid]`], params };
}

/** The filter as kept in the audit event of the search (ids and times, no free text beyond the action). */
function describe(f: AuditFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v != null) out[k] = v instanceof Date ? v.toISOString() : String(v);
  return out;
}

function toEvent(r: Row): AuditEventType {
  return {
    id: r.id,
    occurredAt: r.occurred_at,
    action: r.action,
    outcome: r.outcome,
    actor: r.actor_user_id ? { id: r.actor_user_id, email: r.actor_email ?? '', displayName: r.actor_name ?? '' } : null,
    recordType: r.record_type,
    recordId: r.record_id,
    recordIds: r.record_ids,
    sourceAddress: r.source_address,
    requestId: r.request_id,
    correlationId: r.correlation_id,
    detail: r.detail,
  };
}

/** `record_ids`: a read of several records, every id separated by a space (record_id is then empty). */
const CSV_HEADER = ['occurred_at', 'action', 'outcome', 'actor_email', 'actor_name', 'record_type', 'record_id', 'record_ids', 'source_address', 'request_id', 'correlation_id', 'detail'];

/** One CSV cell: quoted when it holds a comma, quote or line break; a leading = + - @ (a formula to a spreadsheet) gets an apostrophe. */
export function csvCell(value: string | null): string {
  if (value == null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function toCsv(rows: Row[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [r.occurred_at.toISOString(), r.action, r.outcome, r.actor_email, r.actor_name, r.record_type, r.record_id, r.record_ids ? r.record_ids.join(' ') : null, r.source_address, r.request_id, r.correlation_id, r.detail ? JSON.stringify(r.detail) : null]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
