import { Appointment, type Client, Clinic, IntakeRecord, preparedQuery, ReassessmentRecord, SessionNote, TreatmentPlanRecord, type Db } from '@fascia/db';
import { baselineFromIntake, psfsMean, type Intake, type Measures } from '@fascia/planning';
import type { Tenant } from '../../context';
import { findReadableClient, inClinicScope } from '../../auth/scope';
import { parse, uuid } from '../../common/validation';
import { findPlain, metadataOf, plainColumns, splitPrefixed } from '../../common/plain-rows';

/** The prefix of a chart appointment's clinic columns (read with it). */
const CLINIC = 'clinic.';
import { TrajectorySource, type TrajectoryPointType } from './chart.types';

export interface Chart {
  client: Client;
  appointments: Appointment[];
  trajectory: TrajectoryPointType[];
  /**
   * Everything the chart read, in scope, for the request's DataLoaders (the resolver primes
   * them): the nested fields — intakes, plans, notes, re-assessments, an appointment's
   * clinic — do not read it again. Already audited here.
   */
  read: { intakes: IntakeRecord[]; plans: TreatmentPlanRecord[]; notes: SessionNote[]; reassessments: ReassessmentRecord[]; clinics: Clinic[] };
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

export class ChartService {
  constructor(private readonly db: Db) {}

  /**
   * The chart in a fixed number of statements, however long the history: one query per
   * kind of record, as plain rows, handed to the request's
   * DataLoaders so that the nested fields read nothing twice; plan versions and addenda
   * through the loaders, one batch each. Audited as one `chart.read` plus one event per
   * clinical record read — in a request, all of them one INSERT.
   */
  get(tenant: Tenant, clientId: string): Promise<Chart | null> {
    parse(uuid, clientId, 'clientId');
    return this.db.tenant(tenant, async (tx) => {
      // The client and, for a member limited to clinics, whether it is reachable: one statement.
      const client = await findReadableClient(tx, tenant, clientId, 'chart.read');
      if (!client) return null;
      // Records of clinics the caller's roles do not reach stay out (auth/scope.ts): an intake's
      // and a plan's clinic, a re-assessment's plan's, an appointment's (and so its note's).
      // Plain rows (issue 10: no entity hydration); an appointment's clinic read with it.
      const intakes = (await findPlain(tx, IntakeRecord, 't.client_id = $2', [clientId], 't.version ASC')).filter((i) => inClinicScope(tenant, i.clinicId));
      const clinicMeta = metadataOf(tx, Clinic);
      const rows = (await preparedQuery(
        tx.em,
        `SELECT ${plainColumns(metadataOf(tx, Appointment), 't')}, ${plainColumns(clinicMeta, 'c', CLINIC)}
           FROM "appointment" t JOIN "clinic" c ON c.organization_id = t.organization_id AND c.id = t.clinic_id
          WHERE t.organization_id = $1 AND t.client_id = $2 ORDER BY t.starts_at ASC, t.id ASC`,
        [tx.organizationId, clientId],
      )) as Record<string, unknown>[];
      const appointments: Appointment[] = [];
      const clinics = new Map<string, Clinic>();
      for (const row of rows) {
        const clinicId = row.clinicId as string;
        if (!clinics.has(clinicId)) clinics.set(clinicId, splitPrefixed<Clinic>(row, clinicMeta, CLINIC));
        if (inClinicScope(tenant, clinicId)) appointments.push(row as unknown as Appointment);
      }
      const shown = new Set(appointments.map((a) => a.id));
      const notes = (await findPlain(tx, SessionNote, 't.client_id = $2', [clientId])).filter((n) => shown.has(n.appointmentId));
      const plans = (await findPlain(tx, TreatmentPlanRecord, 't.client_id = $2', [clientId], 't.created_at DESC, t.id ASC')).filter((p) => inClinicScope(tenant, p.clinicId));
      const plansInScope = new Set(plans.map((p) => p.id));
      const reassessments = (await findPlain(tx, ReassessmentRecord, 't.client_id = $2', [clientId], 't.assessed_at ASC, t.id ASC')).filter((r) => plansInScope.has(r.planId));
      await tx.auditMany([
        {
          action: 'chart.read',
          recordType: 'client',
          recordId: clientId,
          detail: { intakes: intakes.length, appointments: appointments.length, notes: notes.length, reassessments: reassessments.length },
        },
        ...intakes.map((r) => ({ action: 'intake.read', recordType: 'intake', recordId: r.id })),
        ...plans.map((r) => ({ action: 'plan.read', recordType: 'plan', recordId: r.id })),
        ...notes.map((r) => ({ action: 'note.read', recordType: 'session_note', recordId: r.id })),
        ...reassessments.map((r) => ({ action: 'reassessment.read', recordType: 'reassessment', recordId: r.id })),
      ]);
      let trajectory: TrajectoryPointType[] | undefined;
      return {
        client,
        appointments,
        // Computed when the query asks for it (GraphQL's default resolver reads the property), once.
        get trajectory() {
          return (trajectory ??= trajectoryOf(intakes, notes, appointments, reassessments));
        },
        read: { intakes, plans, notes, reassessments, clinics: [...clinics.values()].filter((c) => inClinicScope(tenant, c.id)) },
      };
    });
  }
}
