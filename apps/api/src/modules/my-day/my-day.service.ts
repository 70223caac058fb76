import {
  Appointment,
  BLOCKING_STATUSES,
  Client,
  Clinic,
  IntakeRecord,
  Practitioner,
  PractitionerTask,
  preparedQuery,
  ReassessmentRecord,
  Room,
  SessionNote,
  type Clock,
  type Db,
  systemClock,
} from '@fascia/db';
import { DateTime } from 'luxon';
import type { EntityMetadata } from 'typeorm';
import type { Tenant } from '../../context';
import { forbidden, notFound } from '../../common/errors';
import { parse, uuid } from '../../common/validation';
import { fromJson, fromJsonRow, jsonColumns, jsonRowsSql, metadataOf } from '../../common/plain-rows';
import type { CalendarAppointment } from '../appointment/operations/shared';
import { trajectoryOf } from '../chart/chart.service';
import type { TrajectoryPointType } from '../chart/chart.types';
import type { TaskRow } from '../practitioner-task/practitioner-task.service';

/** One clinic of the day: where the practitioner works (weekly hours) or is booked today, with its local date today. */
export interface MyDayClinic {
  id: string;
  name: string;
  timeZone: string;
  /** Today in the clinic's zone, YYYY-MM-DD. */
  date: string;
}

/** One of today's appointments with the client's last pain score and the open tasks about the client. */
export interface MyDayVisit {
  appointment: CalendarAppointment;
  lastPain: TrajectoryPointType | null;
  openTasks: TaskRow[];
}

export interface MyDay {
  practitioner: Practitioner;
  clinics: MyDayClinic[];
  visits: MyDayVisit[];
  openTasks: TaskRow[];
  /** The clinic rows read (the resolver hands them to the request's clinic loader). */
  clinicRows: Clinic[];
}

/** The session-note and re-assessment columns a pain score does not need. */
const NOTE_OMIT = ['techniques', 'soap', 'homeCare', 'clientFeedback'];
const REASSESSMENT_OMIT = ['proposal', 'evaluation', 'health'];

/** Managers and admins see anyone's day (a manager: at their clinics); anyone else their own. */
const oversees = (tenant: Tenant): boolean => tenant.roles.includes('ORG_ADMIN') || tenant.roles.includes('CLINIC_MANAGER');

interface Metas {
  practitioner: EntityMetadata;
  clinic: EntityMetadata;
  appointment: EntityMetadata;
  room: EntityMetadata;
  client: EntityMetadata;
  task: EntityMetadata;
  intake: EntityMetadata;
  note: EntityMetadata;
  reassessment: EntityMetadata;
}

/**
 * The day's one statement. `$1` organization, `$2` the practitioner asked for (null: the
 * caller's own), `$3` the caller, `$4` now, `$5` the clinics in reach (null: all), `$6` the
 * statuses shown. `day_appts` is the practitioner's appointments of today in each clinic's zone
 * (a ±1 day window on appointment_practitioner_time_idx, then each clinic's local midnight);
 * the last pain score of each of their clients comes from the client's latest intake, latest
 * session note and latest re-assessment at clinics in reach (the newest scored of the three).
 */
let daySql: string | null = null;
function dayStatement(m: Metas): string {
  if (daySql) return daySql;
  const inScope = (col: string) => `($5::uuid[] IS NULL OR ${col} = ANY($5::uuid[]))`;
  daySql = `
    WITH p AS (
      SELECT t.id FROM "practitioner" t
       WHERE t.organization_id = $1 AND (CASE WHEN $2::uuid IS NULL THEN t.user_id = $3::uuid ELSE t.id = $2::uuid END)
       LIMIT 1
    ), day_clinics AS (
      SELECT c.id, c.time_zone,
             (date_trunc('day', $4::timestamptz AT TIME ZONE c.time_zone) AT TIME ZONE c.time_zone) AS day_from,
             ((date_trunc('day', $4::timestamptz AT TIME ZONE c.time_zone) + interval '1 day') AT TIME ZONE c.time_zone) AS day_to
        FROM "clinic" c
       WHERE c.organization_id = $1 AND ${inScope('c.id')}
         AND (c.id IN (SELECT av.clinic_id FROM "practitioner_availability" av WHERE av.organization_id = $1 AND av.practitioner_id = (SELECT id FROM p))
              OR c.id IN (SELECT a.clinic_id FROM "appointment" a WHERE a.organization_id = $1 AND a.practitioner_id = (SELECT id FROM p)
                            AND a.starts_at >= $4::timestamptz - interval '1 day' AND a.starts_at < $4::timestamptz + interval '1 day'))
    ), day_appts AS (
      SELECT a.id, a.client_id, a.room_id FROM "appointment" a JOIN day_clinics dc ON dc.id = a.clinic_id
       WHERE a.organization_id = $1 AND a.practitioner_id = (SELECT id FROM p)
         AND a.starts_at >= $4::timestamptz - interval '1 day' AND a.starts_at < $4::timestamptz + interval '1 day'
         AND a.starts_at >= dc.day_from AND a.starts_at < dc.day_to AND a.status = ANY($6::text[])
    ), open_tasks AS (
      SELECT k.id, k.client_id FROM "practitioner_task" k
       WHERE k.organization_id = $1 AND k.practitioner_id = (SELECT id FROM p) AND k.status = 'OPEN' AND ${inScope('k.clinic_id')}
    ), last_notes AS (
      SELECT DISTINCT ON (n.client_id) n.id, n.appointment_id FROM "session_note" n
        JOIN "appointment" na ON na.organization_id = n.organization_id AND na.id = n.appointment_id
       WHERE n.organization_id = $1 AND n.client_id IN (SELECT client_id FROM day_appts) AND ${inScope('na.clinic_id')}
       ORDER BY n.client_id, na.starts_at DESC, n.id
    )
    SELECT (SELECT row_to_json(x) FROM (SELECT ${jsonColumns(m.practitioner, 't')} FROM "practitioner" t WHERE t.organization_id = $1 AND t.id = (SELECT id FROM p)) x) AS "practitioner",
           (SELECT o.id FROM "practitioner" o WHERE o.organization_id = $1 AND o.user_id = $3::uuid LIMIT 1) AS "ownId",
           ${jsonRowsSql(m.clinic, 't.id IN (SELECT id FROM day_clinics)', 'x."name", x."id"')} AS "clinics",
           ${jsonRowsSql(m.appointment, 't.id IN (SELECT id FROM day_appts)', 'x."startsAt", x."id"')} AS "appointments",
           ${jsonRowsSql(m.room, 't.id IN (SELECT room_id FROM day_appts)')} AS "rooms",
           ${jsonRowsSql(m.client, 't.id IN (SELECT client_id FROM day_appts UNION SELECT client_id FROM open_tasks)')} AS "clients",
           ${jsonRowsSql(m.task, 't.id IN (SELECT id FROM open_tasks)', 'x."dueAt", x."id"')} AS "tasks",
           ${jsonRowsSql(
             m.intake,
             `t.id IN (SELECT DISTINCT ON (i.client_id) i.id FROM "intake" i WHERE i.organization_id = $1 AND i.client_id IN (SELECT client_id FROM day_appts) AND ${inScope('i.clinic_id')} ORDER BY i.client_id, i.version DESC)`,
           )} AS "intakes",
           ${jsonRowsSql(m.note, 't.id IN (SELECT id FROM last_notes)', undefined, NOTE_OMIT)} AS "notes",
           ${jsonRowsSql(m.appointment, 't.id IN (SELECT appointment_id FROM last_notes)')} AS "noteAppointments",
           ${jsonRowsSql(
             m.reassessment,
             `t.id IN (SELECT DISTINCT ON (r.client_id) r.id FROM "reassessment" r
                        WHERE r.organization_id = $1 AND r.client_id IN (SELECT client_id FROM day_appts)
                          AND ($5::uuid[] IS NULL OR r.plan_id IN (SELECT pl.id FROM "treatment_plan" pl WHERE pl.organization_id = $1 AND pl.clinic_id = ANY($5::uuid[])))
                        ORDER BY r.client_id, r.assessed_at DESC, r.id)`,
             undefined,
             REASSESSMENT_OMIT,
           )} AS "reassessments"`;
  return daySql;
}

type DayRow = Record<string, Record<string, unknown>[] | Record<string, unknown> | string | null>;

/**
 * A practitioner's day in one statement (issue 13 item 8, issue 10): today's appointments at
 * each of their clinics in order, each client's last pain score and open tasks, and all their
 * open tasks — what the my-day page showed with one chart request per appointment.
 */
export class MyDayService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * The day of `practitionerId`, or of the caller's own practitioner record when null (null:
   * the caller has none). A practitioner sees only their own day; a clinic manager anyone's
   * at their clinics; an organization admin anyone's. Audited as one `myday.read` plus, per kind
   * of record a pain score shown comes from, one read event carrying their ids, in one INSERT.
   */
  get(tenant: Tenant, args: { practitionerId?: string | null }): Promise<MyDay | null> {
    const asked = args.practitionerId ?? null;
    if (asked !== null) parse(uuid, asked, 'practitionerId');
    return this.db.tenant(tenant, async (tx) => {
      const m: Metas = {
        practitioner: metadataOf(tx, Practitioner),
        clinic: metadataOf(tx, Clinic),
        appointment: metadataOf(tx, Appointment),
        room: metadataOf(tx, Room),
        client: metadataOf(tx, Client),
        task: metadataOf(tx, PractitionerTask),
        intake: metadataOf(tx, IntakeRecord),
        note: metadataOf(tx, SessionNote),
        reassessment: metadataOf(tx, ReassessmentRecord),
      };
      const now = this.clock.now();
      const [row] = await preparedQuery<DayRow>(tx.em, dayStatement(m), [tx.organizationId, asked, tenant.userId, now, tenant.clinicIds, [...BLOCKING_STATUSES]]);
      const practitioner = fromJsonRow<Practitioner>(m.practitioner, (row?.practitioner as Record<string, unknown> | null) ?? null);
      if (!practitioner) {
        if (asked === null) return null;
        throw notFound('practitioner', asked);
      }
      if (!oversees(tenant) && practitioner.id !== row.ownId) throw forbidden('A practitioner sees only their own day: ask a clinic manager to see a colleague’s.');
      const json = (key: string) => (row[key] as Record<string, unknown>[] | null) ?? null;
      const clinicRows = fromJson<Clinic>(m.clinic, json('clinics'));
      const clinicById = new Map(clinicRows.map((c) => [c.id, c]));
      const rooms = new Map(fromJson<Room>(m.room, json('rooms')).map((r) => [r.id, r]));
      const clients = new Map(fromJson<Client>(m.client, json('clients')).map((c) => [c.id, c]));
      const nameOf = (c: Client | undefined) => (c ? `${c.preferredName ?? c.firstName} ${c.lastName}` : null);
      const openTasks: TaskRow[] = fromJson<TaskRow>(m.task, json('tasks'));
      for (const t of openTasks) {
        t.taskClient = clients.get(t.clientId) ?? null;
        t.taskPractitioner = practitioner;
      }
      const appointments = fromJson<CalendarAppointment>(m.appointment, json('appointments'));
      const intakes = fromJson<IntakeRecord>(m.intake, json('intakes'));
      const notes = fromJson<SessionNote>(m.note, json('notes'));
      const noteAppointments = fromJson<Appointment>(m.appointment, json('noteAppointments'));
      const reassessments = fromJson<ReassessmentRecord>(m.reassessment, json('reassessments'));
      const painByClient = new Map<string, TrajectoryPointType | null>();
      for (const clientId of new Set(appointments.map((a) => a.clientId))) {
        const points = trajectoryOf(
          intakes.filter((i) => i.clientId === clientId),
          notes.filter((n) => n.clientId === clientId),
          noteAppointments.filter((a) => a.clientId === clientId),
          reassessments.filter((r) => r.clientId === clientId),
        ).filter((p) => p.painNrs !== null);
        painByClient.set(clientId, points[points.length - 1] ?? null);
      }
      const visits = appointments.map((a) => {
        a.clientName = nameOf(clients.get(a.clientId));
        a.calendarPractitioner = practitioner;
        a.calendarRoom = a.roomId ? (rooms.get(a.roomId) ?? null) : null;
        return { appointment: a, lastPain: painByClient.get(a.clientId) ?? null, openTasks: openTasks.filter((t) => t.clientId === a.clientId) };
      });
      const shown = [...painByClient.values()].filter((p): p is TrajectoryPointType => p !== null);
      const recordType = { INTAKE: 'intake', SESSION_START: 'session_note', SESSION_END: 'session_note', REASSESSMENT: 'reassessment' } as const;
      const noteOfAppointment = new Map(notes.map((n) => [n.appointmentId, n.id]));
      await tx.auditMany([
        { action: 'myday.read', recordType: 'practitioner', recordId: practitioner.id, detail: { appointments: appointments.length, openTasks: openTasks.length } },
        ...shown.map((p) => {
          const type = recordType[p.source];
          // A session point's record is its appointment: the note read is the appointment's note.
          const id = type === 'session_note' ? (noteOfAppointment.get(p.recordId!) ?? p.recordId!) : p.recordId!;
          return { action: `${type === 'session_note' ? 'note' : type}.read`, recordType: type, recordIds: [id] };
        }),
      ]);
      const clinics = clinicRows.map((c) => ({ id: c.id, name: c.name, timeZone: c.timeZone, date: DateTime.fromJSDate(now, { zone: c.timeZone }).toISODate()! }));
      // Appointments whose clinic row is missing cannot be placed in a zone: none, as day_appts joins day_clinics.
      return { practitioner, clinics, visits: visits.filter((v) => clinicById.has(v.appointment.clinicId)), openTasks, clinicRows };
    });
  }
}
