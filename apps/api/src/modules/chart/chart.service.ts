import { Appointment, Client, Clinic, IntakeRecord, PlanVersion, PractitionerTask, preparedQuery, ReassessmentRecord, Reminder, SessionAddendum, SessionNote, TreatmentPlanRecord, type Db, type TenantTx } from '@fascia/db';
import { baselineFromIntake, psfsMean, type Intake, type Measures } from '@fascia/planning';
import type { EntityMetadata } from 'typeorm';
import type { Tenant } from '../../context';
import { auditUnreachableClient, clientReachSql, inClinicScope } from '../../auth/scope';
import { parse, uuid } from '../../common/validation';
import { columnsBut, fromJson, jsonRowsSql, metadataOf, plainColumns } from '../../common/plain-rows';
import { TrajectorySource, type TrajectoryPointType } from './chart.types';

/** A chart appointment: its session note (or null) read with it, so `Appointment.note` answers without a loader. */
export type ChartAppointment = Appointment & { chartNote?: SessionNote | null };

/** What a chart request asks for beyond what every chart reads (from the GraphQL selection): read in the same statement when asked. */
export interface ChartWants {
  /** Plan versions (a plan's `versions`, `current`, `nextReassessment`). */
  versions: boolean;
  /** A note's addenda. */
  addenda: boolean;
  /**
   * A re-assessment's stored proposal and evaluation (its `reason`, `changes`, `referral`,
   * `referralAdvice`, `proposedPlan`, `painChanges`, `evaluation`): false only when no field of the operation has
   * one of those names — the chart's rows are shared with the request's loaders.
   */
  proposals: boolean;
  /** A note's techniques, SOAP text, home care and client feedback: false only when no field of the operation has one of those names. */
  noteDetail: boolean;
  /** The client's tasks (`ClientChart.tasks`). */
  tasks: boolean;
  /** The reminders to the client (`ClientChart.reminders`). */
  reminders: boolean;
  /**
   * Only these appointment columns (a `pickColumns` list from the selection of
   * `ClientChart.appointments`; null or absent: every column). The chart itself reads an
   * appointment's id, clinic, plan, status and start (scope, sessions given, order, trajectory):
   * those are always read.
   */
  appointmentColumns?: readonly string[] | null;
  /**
   * Only these session-note columns (null or absent: every column but the detail ones unless
   * `noteDetail`). The chart reads a note's id and appointment whatever the query asks for.
   */
  noteColumns?: readonly string[] | null;
  /**
   * Only these re-assessment columns (null or absent: every column but the proposal and the
   * evaluation unless `proposals`). The chart reads a re-assessment's id, plan and time whatever
   * the query asks for.
   */
  reassessmentColumns?: readonly string[] | null;
}

/** The appointment columns the chart reads whatever the query asks for. */
export const CHART_APPOINTMENT_COLUMNS = ['id', 'clinicId', 'planId', 'status', 'startsAt'] as const;

/** Every part of the chart: what a caller outside GraphQL gets. */
export const WHOLE_CHART: ChartWants = { versions: true, addenda: true, proposals: true, noteDetail: true, tasks: true, reminders: true };

/** The reminder columns a chart never shows (the rendered message and delivery bookkeeping). */
const REMINDER_HIDDEN_COLUMNS = ['deliveryKey', 'deliveryId', 'leadMinutes'];

/** The session-note columns read only for `ChartWants.noteDetail` (a note's text and lists: most of its bytes). */
const NOTE_DETAIL_COLUMNS = ['techniques', 'soap', 'homeCare', 'clientFeedback'];

/** The re-assessment columns read only for `ChartWants.proposals` (the proposal holds a plan body: most of a re-assessment's bytes). */
const PROPOSAL_COLUMNS = ['proposal', 'evaluation'];

export interface Chart {
  client: Client;
  appointments: ChartAppointment[];
  trajectory: TrajectoryPointType[];
  /** The client's tasks at clinics in reach, by due time (empty when not asked for). */
  tasks: PractitionerTask[];
  /** The reminders to the client at clinics in reach, newest send time first (empty when not asked for). */
  reminders: Reminder[];
  /**
   * Everything the chart read, in scope, for the request's DataLoaders (the resolver primes
   * them): the nested fields — intakes, plans, notes, re-assessments, an appointment's
   * clinic — do not read it again. Already audited here.
   */
  read: {
    intakes: IntakeRecord[];
    plans: TreatmentPlanRecord[];
    notes: SessionNote[];
    reassessments: ReassessmentRecord[];
    clinics: Clinic[];
    /** The shown plans' versions, when asked for (else the loader reads them). */
    versions: PlanVersion[] | null;
    /** The shown notes' addenda, when asked for. */
    addenda: SessionAddendum[] | null;
    /** COMPLETED appointments per plan of the client (all of them, as the loader counts). */
    completedByPlan: Map<string, number>;
  };
}

const mean = (xs: number[]): number | null => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);

function fromMeasures(m: Measures): Pick<TrajectoryPointType, 'painNrs' | 'psfs' | 'odi' | 'ndi'> {
  return {
    painNrs: mean(m.pain.map((p) => p.score)),
    psfs: m.psfs?.length ? psfsMean(m.psfs) : null,
    odi: m.odi ?? null,
    ndi: m.ndi ?? null,
  };
}

/** The pain and function trajectory: intake baselines, every session's check-in and end, every re-assessment (also what a referral's OUTCOME_HISTORY shares). */
export function trajectoryOf(intakes: IntakeRecord[], notes: SessionNote[], appointments: Appointment[], reassessments: ReassessmentRecord[]): TrajectoryPointType[] {
  const startsAt = new Map(appointments.map((a) => [a.id, a.startsAt]));
  const points: TrajectoryPointType[] = [];
  for (const i of intakes) {
    points.push({ at: i.createdAt, source: TrajectorySource.INTAKE, planId: null, recordId: i.id, ...fromMeasures(baselineFromIntake(i.data as unknown as Intake)) });
  }
  for (const n of notes) {
    const start = startsAt.get(n.appointmentId) ?? n.createdAt;
    const base = { planId: n.planId, recordId: n.appointmentId, psfs: null, odi: null, ndi: null };
    points.push({ ...base, at: start, source: TrajectorySource.SESSION_START, painNrs: n.checkin.painNow });
    if (n.painAfter !== null) {
      const end = new Date(start.getTime() + (n.durationMinutes ?? 0) * 60_000);
      points.push({ ...base, at: end, source: TrajectorySource.SESSION_END, painNrs: n.painAfter });
    }
  }
  for (const r of reassessments) {
    points.push({ at: r.assessedAt, source: TrajectorySource.REASSESSMENT, planId: r.planId, recordId: r.id, ...fromMeasures(r.measures as unknown as Measures) });
  }
  return points.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The entities the chart reads, by name. */
interface Metas {
  client: EntityMetadata;
  intake: EntityMetadata;
  appointment: EntityMetadata;
  clinic: EntityMetadata;
  note: EntityMetadata;
  addendum: EntityMetadata;
  plan: EntityMetadata;
  version: EntityMetadata;
  reassessment: EntityMetadata;
  task: EntityMetadata;
  reminder: EntityMetadata;
}
const metasOf = (tx: TenantTx): Metas => ({
  client: metadataOf(tx, Client),
  intake: metadataOf(tx, IntakeRecord),
  appointment: metadataOf(tx, Appointment),
  clinic: metadataOf(tx, Clinic),
  note: metadataOf(tx, SessionNote),
  addendum: metadataOf(tx, SessionAddendum),
  plan: metadataOf(tx, TreatmentPlanRecord),
  version: metadataOf(tx, PlanVersion),
  reassessment: metadataOf(tx, ReassessmentRecord),
  task: metadataOf(tx, PractitionerTask),
  reminder: metadataOf(tx, Reminder),
});

/**
 * The chart's one statement: the client's row (plain columns), whether the member reaches it
 * (a member limited to clinics: `$3` their clinics), and, only when it is reachable, each kind
 * of record as a JSON array — intakes, appointments, the clinics they are at, notes, plans,
 * re-assessments, and when asked plan versions, addenda, tasks and reminders. Every subquery starts from the
 * client's id and the organization, by its own index (indexes-at-scale.test.ts). The text
 * depends only on (scoped, wants), the columns included (prepared.ts caps the named texts).
 */
const chartSql = new Map<string, string>();
/** The statement by the wants object too (the resolver hands the same one to every request of a query): no key to build. */
const chartSqlByWants = new WeakMap<ChartWants, { scoped?: string; all?: string }>();
function chartStatement(m: Metas, scoped: boolean, wants: ChartWants): string {
  let texts = chartSqlByWants.get(wants);
  const known = texts?.[scoped ? 'scoped' : 'all'];
  if (known) return known;
  const sql = buildChartStatement(m, scoped, wants);
  if (!texts) chartSqlByWants.set(wants, (texts = {}));
  texts[scoped ? 'scoped' : 'all'] = sql;
  return sql;
}
function buildChartStatement(m: Metas, scoped: boolean, wants: ChartWants): string {
  const only = wants.appointmentColumns ? [...new Set([...CHART_APPOINTMENT_COLUMNS, ...wants.appointmentColumns])] : null;
  const notes = wants.noteColumns ? [...new Set(['id', 'appointmentId', ...wants.noteColumns])].sort() : null;
  const reassessments = wants.reassessmentColumns ? [...new Set(['id', 'planId', 'assessedAt', ...wants.reassessmentColumns])].sort() : null;
  const key = `${scoped}${wants.versions}${wants.addenda}${wants.proposals}${wants.noteDetail}${wants.tasks}${wants.reminders}${only ? only.sort().join(',') : '*'}|${notes ? notes.join(',') : '*'}|${reassessments ? reassessments.join(',') : '*'}`;
  let sql = chartSql.get(key);
  if (sql) return sql;
  const byClient = 't.client_id = c.id';
  const ofClientsPlans = `t.plan_id IN (SELECT p.id FROM "treatment_plan" p WHERE p.organization_id = $1 AND p.client_id = c.id)`;
  const ofClientsNotes = `t.note_id IN (SELECT n.id FROM "session_note" n WHERE n.organization_id = $1 AND n.client_id = c.id)`;
  const ofClientsClinics = `t.id IN (SELECT a.clinic_id FROM "appointment" a WHERE a.organization_id = $1 AND a.client_id = c.id)`;
  const records: [string, string][] = [
    ['intakes', jsonRowsSql(m.intake, byClient, 'x."version"')],
    ['appointments', jsonRowsSql(m.appointment, byClient, 'x."startsAt", x."id"', columnsBut(m.appointment, only))],
    ['clinics', jsonRowsSql(m.clinic, ofClientsClinics)],
    ['notes', jsonRowsSql(m.note, byClient, undefined, notes ? columnsBut(m.note, notes) : wants.noteDetail ? [] : NOTE_DETAIL_COLUMNS)],
    ['plans', jsonRowsSql(m.plan, byClient, 'x."createdAt" DESC, x."id"')],
    ['reassessments', jsonRowsSql(m.reassessment, byClient, 'x."assessedAt", x."id"', reassessments ? columnsBut(m.reassessment, reassessments) : wants.proposals ? [] : PROPOSAL_COLUMNS)],
  ];
  if (wants.versions) records.push(['versions', jsonRowsSql(m.version, ofClientsPlans, 'x."planId", x."version" DESC')]);
  if (wants.addenda) records.push(['addenda', jsonRowsSql(m.addendum, ofClientsNotes, 'x."createdAt", x."id"')]);
  // practitioner_task_client_idx, reminder_org_client_idx.
  if (wants.tasks) records.push(['tasks', jsonRowsSql(m.task, byClient, 'x."dueAt", x."id"')]);
  if (wants.reminders) records.push(['reminders', jsonRowsSql(m.reminder, byClient, 'x."sendAt" DESC, x."id" DESC', REMINDER_HIDDEN_COLUMNS)]);
  const reach = scoped ? clientReachSql('c', '$1', '$3::uuid[]') : 'true';
  sql = `SELECT ${plainColumns(m.client, 'c')}, s.reach AS "__reach",
         ${records.map(([name, sub]) => `CASE WHEN s.reach THEN ${sub} END AS "__${name}"`).join(',\n         ')}
    FROM "client" c CROSS JOIN LATERAL (SELECT ${reach} AS reach) s
   WHERE c.organization_id = $1 AND c.id = $2`;
  // The texts vary with the selection's columns: keep a bounded number.
  if (chartSql.size < 500) chartSql.set(key, sql);
  return sql;
}

type ChartRow = Record<string, unknown> & { __reach: boolean };
const RECORD_KEYS = ['__reach', '__intakes', '__appointments', '__clinics', '__notes', '__plans', '__reassessments', '__versions', '__addenda', '__tasks', '__reminders'];

export class ChartService {
  constructor(private readonly db: Db) {}

  /**
   * The chart in one statement, however long the history (chartStatement): the client with
   * its reachability, and every kind of record as JSON, handed to the request's DataLoaders
   * so that the nested fields read nothing twice. Audited as one `chart.read` plus one event
   * per kind of clinical record shown, carrying the ids of every one (`record_ids`) — in a
   * request, all of them one INSERT.
   */
  get(tenant: Tenant, clientId: string, wants: ChartWants = WHOLE_CHART): Promise<Chart | null> {
    parse(uuid, clientId, 'clientId');
    return this.db.tenant(tenant, async (tx) => {
      const m = metasOf(tx);
      const scoped = tenant.clinicIds !== null;
      const params: unknown[] = [tx.organizationId, clientId];
      if (scoped) params.push(tenant.clinicIds);
      const [row] = await preparedQuery<ChartRow>(tx.em, chartStatement(m, scoped, wants), params);
      if (!row) return null;
      if (!row.__reach) {
        await auditUnreachableClient(tx, clientId, 'chart.read');
        return null;
      }
      const client = {} as Record<string, unknown>;
      for (const [k, v] of Object.entries(row)) if (!RECORD_KEYS.includes(k)) client[k] = v;
      const json = (key: string) => row[`__${key}`] as Record<string, unknown>[] | null;
      // Records of clinics the caller's roles do not reach stay out (auth/scope.ts): an intake's
      // and a plan's clinic, a re-assessment's plan's, an appointment's (and so its note's and
      // the note's addenda).
      const intakes = fromJson<IntakeRecord>(m.intake, json('intakes')).filter((i) => inClinicScope(tenant, i.clinicId));
      const all = fromJson<ChartAppointment>(m.appointment, json('appointments'));
      const completedByPlan = new Map<string, number>();
      for (const a of all) if (a.planId && a.status === 'COMPLETED') completedByPlan.set(a.planId, (completedByPlan.get(a.planId) ?? 0) + 1);
      const appointments = all.filter((a) => inClinicScope(tenant, a.clinicId));
      const byAppointment = new Map<string, ChartAppointment>();
      for (const a of appointments) {
        a.chartNote = null;
        byAppointment.set(a.id, a);
      }
      const notes = fromJson<SessionNote>(m.note, json('notes')).filter((n) => byAppointment.has(n.appointmentId));
      for (const n of notes) byAppointment.get(n.appointmentId)!.chartNote = n;
      const plans = fromJson<TreatmentPlanRecord>(m.plan, json('plans')).filter((p) => inClinicScope(tenant, p.clinicId));
      const plansInScope = new Set(plans.map((p) => p.id));
      const reassessments = fromJson<ReassessmentRecord>(m.reassessment, json('reassessments')).filter((r) => plansInScope.has(r.planId));
      const clinics = fromJson<Clinic>(m.clinic, json('clinics')).filter((c) => inClinicScope(tenant, c.id));
      const versions = wants.versions ? fromJson<PlanVersion>(m.version, json('versions')).filter((v) => plansInScope.has(v.planId)) : null;
      const notesShown = new Set(notes.map((n) => n.id));
      const addenda = wants.addenda ? fromJson<SessionAddendum>(m.addendum, json('addenda')).filter((a) => notesShown.has(a.noteId)) : null;
      // A task belongs to its clinic; a reminder to its appointment's clinic (none: the organization's).
      const tasks = wants.tasks ? fromJson<PractitionerTask>(m.task, json('tasks')).filter((t) => inClinicScope(tenant, t.clinicId)) : [];
      const reminders = wants.reminders ? fromJson<Reminder>(m.reminder, json('reminders')).filter((r) => r.clinicId === null || inClinicScope(tenant, r.clinicId)) : [];
      // One row for the chart and one per kind of record shown, carrying every id (tx.auditRead).
      await tx.auditMany([
        {
          action: 'chart.read',
          recordType: 'client',
          recordId: clientId,
          detail: { intakes: intakes.length, appointments: appointments.length, notes: notes.length, reassessments: reassessments.length, tasks: tasks.length, reminders: reminders.length },
        },
        { action: 'intake.read', recordType: 'intake', recordIds: intakes.map((r) => r.id) },
        { action: 'plan.read', recordType: 'plan', recordIds: plans.map((r) => r.id) },
        { action: 'note.read', recordType: 'session_note', recordIds: notes.map((r) => r.id) },
        { action: 'reassessment.read', recordType: 'reassessment', recordIds: reassessments.map((r) => r.id) },
      ]);
      let trajectory: TrajectoryPointType[] | undefined;
      return {
        client: client as unknown as Client,
        appointments,
        tasks,
        reminders,
        // Computed when the query asks for it (GraphQL's default resolver reads the property), once.
        get trajectory() {
          return (trajectory ??= trajectoryOf(intakes, notes, appointments, reassessments));
        },
        read: { intakes, plans, notes, reassessments, clinics, versions, addenda, completedByPlan },
      };
    });
  }
}
