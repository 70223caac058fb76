import type { FieldNode, GraphQLResolveInfo, OperationDefinitionNode } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import { CLINICAL_ROLES } from '../../auth/scope';
import type { Loaders } from '../../loaders';
import { groupBy } from '../../common/collections';
import { fieldsAt, operationFieldNames, operationSelectsAny, selects } from '../../common/selection';
import { Appointment, ReassessmentRecord, SessionNote } from '@fascia/db';
import type { EntityMetadata } from 'typeorm';
import { pickColumns, type ColumnNeeds } from '../../common/plain-rows';
import { APPOINTMENT_COLUMNS } from '../appointment/appointment.resolver';
import type { TaskRow } from '../practitioner-task/practitioner-task.service';
import type { Chart, ChartWants } from './chart.service';
import { ClientChartType } from './chart.types';

/**
 * A chart note's columns: the chart primes the request's note loader with its notes, so a column
 * is left out only when no field of the whole operation is named after it; SessionNoteResolver's
 * fields read `signedAt` (signed) and `id` (addenda); the trajectory reads what `TRAJECTORY` lists.
 */
const NOTE_COLUMNS: ColumnNeeds = { always: ['id', 'appointmentId'], resolved: { signed: ['signedAt'], addenda: ['id'] } };
const TRAJECTORY_NOTE_COLUMNS = ['appointmentId', 'planId', 'checkin', 'painAfter', 'durationMinutes', 'createdAt'];

/**
 * A chart re-assessment's columns, by the same operation-wide rule (the chart primes the
 * request's re-assessment loader): ReassessmentType's mapped fields read the stored proposal
 * (`toReassessmentDto`), `evaluation` and `measures` their columns of the same name, a plan's
 * `nextReassessment` the status and the sessions completed (`reassessmentAnchor`); the trajectory
 * reads `measures`. The chart itself reads the id, the plan and the time.
 */
const REASSESSMENT_COLUMNS: ColumnNeeds = {
  always: ['id', 'planId', 'assessedAt'],
  resolved: {
    painChanges: ['proposal'],
    reason: ['proposal'],
    changes: ['proposal'],
    referral: ['proposal'],
    referralAdvice: ['proposal'],
    proposedPlan: ['proposal'],
    nextReassessment: ['status', 'sessionsCompleted'],
    trajectory: ['measures'],
  },
};

@Resolver(() => ClientChartType)
export class ChartResolver {
  @Authorized(...CLINICAL_ROLES)
  @Query(() => ClientChartType, { nullable: true, description: "A client's chart: plans with versions, intakes, appointments with notes, re-assessments, tasks, reminders sent, and the pain/function trajectory (not for the front desk)" })
  async clientChart(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('clientId', () => ID) clientId: string,
  ): Promise<Chart | null> {
    const chart = await ctx.services.chart.get(tenant, clientId, chartWants(ctx, info));
    if (chart && ctx.loaders) primeChart(ctx.loaders, chart);
    // A chart task's client is the chart's client (read already): PractitionerTask.client answers without a loader.
    if (chart) for (const t of chart.tasks as TaskRow[]) t.taskClient = chart.client;
    return chart;
  }
}

/**
 * What a `clientChart` field asks for, by its field node and operation: computed from the
 * operation's AST alone (common/selection.ts reads no variables or directives), so once per
 * query text — Apollo's document store and graphql-jit's compiled query hand the same nodes to
 * every request of a cached query; another parse of the same text is computed again. The object
 * is shared: the service only reads it.
 */
const wantsByField = new WeakMap<OperationDefinitionNode, WeakMap<FieldNode, ChartWants>>();
function chartWants(ctx: GraphQLContext, info: GraphQLResolveInfo): ChartWants {
  const node = info.fieldNodes.length === 1 ? info.fieldNodes[0] : null;
  let byField = node ? wantsByField.get(info.operation) : undefined;
  const known = node && byField?.get(node);
  if (known) return known;
  // Plan versions (with their bodies) and addenda are read with the chart only when asked for.
  const wants: ChartWants = {
    versions: ['versions', 'current', 'nextReassessment'].some((f) => selects(info, 'client', 'plans', f)),
    addenda: selects(info, 'appointments', 'note', 'addenda'),
    proposals: operationSelectsAny(info, ['reason', 'changes', 'referral', 'referralAdvice', 'proposedPlan', 'painChanges', 'evaluation']),
    noteDetail: operationSelectsAny(info, ['techniques', 'soap', 'homeCare', 'clientFeedback']),
    tasks: selects(info, 'tasks'),
    reminders: selects(info, 'reminders'),
    // The appointments' columns the query asks for (they are handed to no loader).
    appointmentColumns: pickColumns(ctx.db.dataSource.getMetadata(Appointment), fieldsAt(info, [['appointments']]), APPOINTMENT_COLUMNS),
    noteColumns: noteColumns(ctx, info),
    reassessmentColumns: operationColumns(ctx.db.dataSource.getMetadata(ReassessmentRecord), operationFieldNames(info), REASSESSMENT_COLUMNS),
  };
  if (node) {
    if (!byField) wantsByField.set(info.operation, (byField = new WeakMap()));
    byField.set(node, wants);
  }
  return wants;
}

/**
 * The columns of `meta` that some field of the operation (`names`) could show or compute with:
 * `needs.always`, each name's `needs.resolved` columns, each name that is a column; a name that
 * is neither names no column of it. Null: every column.
 */
function operationColumns(meta: EntityMetadata, names: ReadonlySet<string>, needs: ColumnNeeds): readonly string[] | null {
  const columns = new Set(meta.columns.map((c) => c.propertyName));
  const wanted = new Set<string>(needs.always);
  for (const n of names) for (const c of needs.resolved[n] ?? [n]) if (columns.has(c)) wanted.add(c);
  return pickColumns(meta, wanted, { always: [], resolved: {} }) ?? null;
}

/**
 * The note columns any field of the operation could show (NOTE_COLUMNS); null: every column. A
 * name of the operation that is neither a note column nor one of SessionNoteType's resolved
 * fields names no note column (`clientChart`, `client`, `lastName`…): it adds nothing. (Until
 * 2026-11-29 such a name made `pickColumns` answer null, so every chart read every note column.)
 */
function noteColumns(ctx: GraphQLContext, info: GraphQLResolveInfo): readonly string[] | null {
  const names = operationFieldNames(info);
  const needs = names.has('trajectory') ? { ...NOTE_COLUMNS, always: [...NOTE_COLUMNS.always, ...TRAJECTORY_NOTE_COLUMNS] } : NOTE_COLUMNS;
  return operationColumns(ctx.db.dataSource.getMetadata(SessionNote), names, needs);
}

/**
 * Hands what the chart read to the request's DataLoaders, in the order each loader returns
 * its rows, so that the chart's nested fields (a client's intakes and plans, a plan's
 * re-assessments, versions and sessions given, an appointment's note and clinic, a note's
 * addenda) are not read, nor audited, a second time.
 */
export function primeChart(loaders: Loaders, chart: Chart): void {
  const { intakes, plans, notes, reassessments, clinics, versions, addenda, completedByPlan } = chart.read;
  const clientId = chart.client.id;
  loaders.intakesByClient.prime(clientId, [...intakes].sort((a, b) => b.version - a.version));
  loaders.plansByClient.prime(clientId, plans);
  for (const plan of plans) {
    const mine = reassessments.filter((r) => r.planId === plan.id);
    // The loader's order: newest first, then by id.
    mine.sort((a, b) => b.assessedAt.getTime() - a.assessedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    loaders.reassessmentsByPlan.prime(plan.id, mine);
  }
  for (const a of chart.appointments) loaders.noteByAppointment.prime(a.id, a.chartNote ?? null);
  for (const c of clinics) loaders.clinicById.prime(c.id, c);
  // Sessions given per plan (nextReassessment), counted over all the client's appointments as the loader counts.
  for (const plan of plans) loaders.completedSessionsByPlan.prime(plan.id, completedByPlan.get(plan.id) ?? 0);
  if (versions) {
    const byPlan = groupBy(versions, (v) => v.planId);
    for (const plan of plans) loaders.planVersionsByPlan.prime(plan.id, byPlan.get(plan.id) ?? []);
  }
  if (addenda) {
    const byNote = groupBy(addenda, (a) => a.noteId);
    for (const n of notes) loaders.addendaByNote.prime(n.id, byNote.get(n.id) ?? []);
  }
}
