import { Client, Practitioner, PractitionerTask, preparedQuery, TreatmentPlanRecord, type Clock, type Db, systemClock, type PractitionerTaskStatus, type TenantTx } from '@fascia/db';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { conflict, forbidden, notFound } from '../../common/errors';
import { CAPPED_TOTAL as TOTAL, cappedCount, decodeCursor, pageSize, toCount, toPage, type Page } from '../../common/pagination';
import { parse, uuid, optionalText } from '../../common/validation';
import { TASK_STATUSES } from './practitioner-task.types';
import { inClinicScope } from '../../auth/scope';
import { ownPractitioner } from '../practitioner/practitioner.service';
import { columnsBut, fromJsonRow, jsonRowByIdSql, metadataOf, plainColumns } from '../../common/plain-rows';

/** A task of a page, with the related rows the query asked for read in the page's statement (undefined: not read). */
export type TaskRow = PractitionerTask & { taskClient?: Client | null; taskPlan?: TreatmentPlanRecord | null; taskPractitioner?: Practitioner | null };

/** Which related rows the page reads with its tasks (from the query's selection). */
export interface TaskJoins {
  client?: boolean;
  plan?: boolean;
  practitioner?: boolean;
  /**
   * Only these columns (`pickColumns` lists from the selection; null or absent: every column) of
   * the tasks and of the rows read with them. The page keys on the task's id and due time (its
   * cursor): they are always read.
   */
  columns?: { task?: readonly string[] | null; client?: readonly string[] | null; plan?: readonly string[] | null; practitioner?: readonly string[] | null };
}

const note = optionalText(2000);
const taskStatus = z.enum(TASK_STATUSES);
const reason = z.string().trim().min(1, 'must not be empty: say why the task is dismissed').max(2000, 'must be at most 2000 characters');

/** Managers and admins see every task (a manager: at their clinics); anyone else sees their own practitioner rows' tasks. */
const oversees = (tenant: Tenant): boolean => tenant.roles.includes('ORG_ADMIN') || tenant.roles.includes('CLINIC_MANAGER');

/**
 * The tasks the worker's sweeps write (re-assessments due, plan reviews). A practitioner
 * lists and resolves their own; a clinic manager those of their clinics; an admin all.
 * Resolving is OPEN → DONE or DISMISSED, once; the note or reason is kept in the audit
 * event (`task.complete`, `task.dismiss`), written in the same transaction.
 */
export class PractitionerTaskService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * A page of tasks by due time, with its capped count, in one statement; with `joins`, each
   * task's client, plan and practitioner rows are read in it too (correlated lookups by primary
   * key, as JSON), so the page's nested fields load nothing (was a loader batch each).
   */
  list(
    tenant: Tenant,
    args: { status?: PractitionerTaskStatus | null; practitionerId?: string | null; first?: number | null; after?: string | null },
    joins: TaskJoins = {},
  ): Promise<Page<TaskRow>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, 'time');
    const status = parse(taskStatus, args.status ?? 'OPEN', 'status');
    if (args.practitionerId != null) parse(uuid, args.practitionerId, 'practitionerId');
    return this.db.tenant(tenant, async (tx) => {
      // The page's SQL is written here (no query builder per request: issue 10) and runs as a
      // prepared statement; its text varies with the scope's shape and the selection only.
      const params: unknown[] = [tx.organizationId];
      const param = (v: unknown) => `$${params.push(v)}`;
      // The status is one of three (checked above): in the text, so each has its own plan.
      let filtered = `t.organization_id = $1 AND t.status = '${status}'`;
      if (oversees(tenant)) {
        if (tenant.clinicIds) filtered += ` AND t.clinic_id = ANY(${param(tenant.clinicIds)}::uuid[])`;
        if (args.practitionerId) filtered += ` AND t.practitioner_id = ${param(args.practitionerId)}::uuid`;
      } else {
        const own = await this.ownPractitionerIds(tx, tenant);
        if (args.practitionerId && !own.includes(args.practitionerId)) throw forbidden('A practitioner sees only their own tasks.');
        // At most one: an equality, so the page walks (…, practitioner_id, status, due_at, id) in order. None: no rows.
        filtered += ` AND t.practitioner_id = ${param(own[0] ?? null)}::uuid`;
      }
      // The page walks (organization_id, status, due_at, id), or (…, practitioner_id, status, due_at, id)
      // for one practitioner's; the count stops at COUNT_LIMIT (docs/api.md, "Counts").
      const filteredParams = params.length;
      // In the page's order, so the count walks the page's index.
      const countSql = cappedCount('"practitioner_task" t', filtered, 't.due_at, t.id');
      const paged = after ? `${filtered} AND (t.due_at, t.id) > (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)` : filtered;
      const client = metadataOf(tx, Client);
      const plan = metadataOf(tx, TreatmentPlanRecord);
      const practitioner = metadataOf(tx, Practitioner);
      const extra: Record<string, string> = {};
      const only = joins.columns ?? {};
      if (joins.client) extra.taskClient = jsonRowByIdSql(client, 'jc', 't', 'client_id', columnsBut(client, only.client ?? null));
      if (joins.plan) extra.taskPlan = jsonRowByIdSql(plan, 'jp', 't', 'plan_id', columnsBut(plan, only.plan ?? null));
      if (joins.practitioner) extra.taskPractitioner = jsonRowByIdSql(practitioner, 'jr', 't', 'practitioner_id', columnsBut(practitioner, only.practitioner ?? null));
      const taskColumns = only.task ? [...new Set(['id', 'dueAt', ...only.task])] : null;
      const selected = [plainColumns(metadataOf(tx, PractitionerTask), 't', '', taskColumns), ...Object.entries(extra).map(([name, sql]) => `${sql} AS "${name}"`)];
      const found = await preparedQuery<TaskRow & { [TOTAL]?: number }>(
        tx.em,
        `SELECT ${selected.join(', ')}, ${countSql} AS "${TOTAL}" FROM "practitioner_task" t WHERE ${paged} ORDER BY t.due_at, t.id LIMIT ${size + 1}`,
        params,
      );
      // Past the end (no row to carry it): the count alone, in the same transaction. The count's
      // property stays on the rows (GraphQL shows only the fields asked for): a row is never
      // reshaped, docs/architecture.md "Rows keep their shape".
      const counted = found.length ? found[0][TOTAL] : (await preparedQuery<{ total: number }>(tx.em, `SELECT ${countSql} AS total`, params.slice(0, filteredParams)))[0].total;
      const total = toCount(Number(counted ?? 0));
      const rows: TaskRow[] = found;
      for (const r of rows) {
        if (joins.client) r.taskClient = fromJsonRow<Client>(client, r.taskClient as unknown as Record<string, unknown> | null);
        if (joins.plan) r.taskPlan = fromJsonRow<TreatmentPlanRecord>(plan, r.taskPlan as unknown as Record<string, unknown> | null);
        if (joins.practitioner) r.taskPractitioner = fromJsonRow<Practitioner>(practitioner, r.taskPractitioner as unknown as Record<string, unknown> | null);
      }
      return toPage(rows, size, total, (t) => t.dueAt.toISOString());
    });
  }

  complete(tenant: Tenant, id: string, input: { note?: string | null }): Promise<PractitionerTask> {
    parse(uuid, id, 'id');
    const text = parse(note, input.note, 'note') ?? null;
    return this.resolve(tenant, id, 'DONE', 'task.complete', { note: text });
  }

  dismiss(tenant: Tenant, id: string, input: { reason: string }): Promise<PractitionerTask> {
    parse(uuid, id, 'id');
    const why = parse(reason, input.reason, 'reason');
    return this.resolve(tenant, id, 'DISMISSED', 'task.dismiss', { reason: why });
  }

  private resolve(tenant: Tenant, id: string, to: 'DONE' | 'DISMISSED', action: string, detail: Record<string, unknown>): Promise<PractitionerTask> {
    return this.db.tenant(tenant, async (tx) => {
      const repo = tx.repo(PractitionerTask);
      const task = await repo.findOneBy({ id });
      if (!task) throw notFound('task', id);
      const allowed = tenant.roles.includes('ORG_ADMIN') || (tenant.roles.includes('CLINIC_MANAGER') && inClinicScope(tenant, task.clinicId)) || (await this.ownPractitionerIds(tx, tenant)).includes(task.practitionerId);
      if (!allowed) throw forbidden('Only the task’s practitioner, a manager of its clinic or an organization admin can resolve it.');
      const verb = to === 'DONE' ? 'completed' : 'dismissed';
      const notOpen = (status: string) => conflict(`This task is ${status}, not OPEN: only an open task can be ${verb}.`, { field: 'id', status });
      if (task.status !== 'OPEN') throw notOpen(task.status);
      // Conditional on OPEN: of two concurrent resolutions, one wins and the other is a CONFLICT.
      const changed = await repo.update({ id, status: 'OPEN' }, { status: to, resolvedAt: this.clock.now(), resolvedBy: tenant.userId });
      if (changed === 0) throw notOpen((await repo.findOneBy({ id }))?.status ?? 'gone');
      await tx.audit({ action, recordType: 'practitioner_task', recordId: id, detail: { ...detail, kind: task.kind, planId: task.planId } });
      return (await repo.findOneBy({ id })) as PractitionerTask;
    });
  }

  private async ownPractitionerIds(tx: TenantTx, tenant: Tenant): Promise<string[]> {
    const own = await ownPractitioner(tx, tenant);
    return own ? [own.id] : [];
  }
}
