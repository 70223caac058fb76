import { type AppointmentKind, type Clock, type Db, LIVE_PLAN_STATUSES, type ReminderStatus, systemQuery } from '@fascia/db';
import { Batcher } from '../../batcher';
import type { PlanBodyView, PlanView } from '@fascia/follow-up';
import type { ReminderCase, ReminderFacts } from './eligibility';

/** The reminder row as a send needs it. */
export interface LoadedReminderRow extends ReminderFacts {
  clinicId: string | null;
  appointmentId: string | null;
  planId: string | null;
  clientId: string;
  deliveryKey: string;
}

/** The policy columns the message needs (templates), as `policyFromRow` takes them. */
export interface LoadedPolicy {
  leadMinutes: number[];
  channels: ('EMAIL' | 'SMS')[];
  quietStart: string;
  quietEnd: string;
  templates: unknown;
}

/** The case, plus what only the message needs: the practitioner's name and the clinic's policy row (templates). */
export type LoadedReminder = ReminderCase & { reminder: LoadedReminderRow; practitionerName: string | null; policy: LoadedPolicy | null };

interface Row {
  id: string;
  organization_id: string;
  clinic_id: string | null;
  kind: LoadedReminderRow['kind'];
  appointment_id: string | null;
  plan_id: string | null;
  client_id: string;
  channel: LoadedReminderRow['channel'];
  due_at: Date;
  appointment_starts_at: Date | null;
  status: ReminderStatus;
  delivery_key: string;
  live: boolean;
  cl_id: string | null;
  cl_name: string | null;
  cl_phone: string | null;
  cl_time_zone: string | null;
  a_id: string | null;
  a_status: NonNullable<ReminderCase['appointment']>['status'] | null;
  a_starts_at: Date | null;
  a_practitioner_id: string | null;
  tp_id: string | null;
  tp_status: PlanView['status'] | null;
  tp_practitioner_id: string | null;
  pv_body: PlanBodyView | null;
  nb_kind: AppointmentKind | null;
  nb_starts_at: Date | null;
  c_found: boolean;
  c_first_name: string | null;
  c_preferred_name: string | null;
  c_archived_at: Date | null;
  c_reminder_consent: boolean | null;
  c_email: string | null;
  c_phone: string | null;
  practitioner_name: string | null;
  rp_found: boolean;
  rp_lead_minutes: number[] | null;
  rp_channels: ('EMAIL' | 'SMS')[] | null;
  rp_quiet_start: string | null;
  rp_quiet_end: string | null;
  rp_templates: unknown;
}

/**
 * The reminder and everything its decision and its message need, in ONE statement: its
 * clinic, its appointment or its plan (with the current version's body and the plan's next
 * BOOKED appointment after `now`), the client's contact, the practitioner's name and the
 * clinic's policy. Everything past the reminder row is joined only while the reminder is
 * live (SCHEDULED or FAILED): a reminder already handled costs one index lookup. It takes
 * arrays of organizations and ids: the loads of all the reminder.send jobs in flight in a
 * process are one statement (createReminderLoader). Every table is read in the reminder's
 * organization (issue 16 §1): the jobs' organizations bound the reminders, and every joined
 * row is the reminder's own organization's. A reminder of another organization than its
 * job's payload may still come back when two jobs of different organizations share a batch:
 * `reminderGate` refuses it.
 */
const LOAD_SQL = `
  SELECT r.id, r.organization_id, r.clinic_id, r.kind, r.appointment_id, r.plan_id, r.client_id, r.channel, r.due_at,
         r.appointment_starts_at, r.status, r.delivery_key, live.live,
         cl.id AS cl_id, cl.name AS cl_name, cl.phone AS cl_phone, cl.time_zone AS cl_time_zone,
         a.id AS a_id, a.status AS a_status, a.starts_at AS a_starts_at, a.practitioner_id AS a_practitioner_id,
         tp.id AS tp_id, tp.status AS tp_status, tp.practitioner_id AS tp_practitioner_id, pv.body AS pv_body,
         nb.kind AS nb_kind, nb.starts_at AS nb_starts_at,
         c.id IS NOT NULL AS c_found, c.first_name AS c_first_name, c.preferred_name AS c_preferred_name, c.archived_at AS c_archived_at,
         c.reminder_consent AS c_reminder_consent, c.email AS c_email, c.phone AS c_phone,
         pr.display_name AS practitioner_name,
         rp.id IS NOT NULL AS rp_found, rp.lead_minutes AS rp_lead_minutes, rp.channels AS rp_channels, rp.quiet_start AS rp_quiet_start,
         rp.quiet_end AS rp_quiet_end, rp.templates AS rp_templates
  FROM reminder r
  CROSS JOIN LATERAL (SELECT r.status IN ('SCHEDULED', 'FAILED') AS live) live
  LEFT JOIN clinic cl ON live.live AND cl.organization_id = r.organization_id AND cl.id = r.clinic_id
  LEFT JOIN appointment a ON live.live AND r.kind = 'APPOINTMENT' AND a.organization_id = r.organization_id AND a.id = r.appointment_id
  LEFT JOIN treatment_plan tp ON live.live AND r.kind <> 'APPOINTMENT' AND tp.organization_id = r.organization_id AND tp.id = r.plan_id
  LEFT JOIN plan_version pv ON tp.status = ANY($3::text[]) AND pv.organization_id = r.organization_id AND pv.plan_id = tp.id AND pv.version = tp.current_version
  LEFT JOIN LATERAL (
    SELECT n.kind, n.starts_at FROM appointment n
    WHERE n.organization_id = r.organization_id AND n.plan_id = tp.id AND n.status = 'BOOKED' AND n.starts_at > $2 ORDER BY n.starts_at LIMIT 1
  ) nb ON tp.status = ANY($3::text[])
  LEFT JOIN client c ON live.live AND c.organization_id = r.organization_id AND c.id = r.client_id
  LEFT JOIN practitioner pr ON pr.organization_id = r.organization_id AND pr.id = coalesce(a.practitioner_id, tp.practitioner_id)
  LEFT JOIN reminder_policy rp ON rp.organization_id = r.organization_id AND rp.clinic_id = cl.id
  WHERE r.organization_id = ANY($4::uuid[]) AND r.id = ANY($1::uuid[])`;

export type FoundReminder = { live: boolean; loaded: LoadedReminder } | null;

/** A reminder to load: its id and the organization its job names. */
export interface ReminderRef {
  organizationId: string;
  id: string;
}

/** Loads reminders by organization and id (see LOAD_SQL), in one statement: null for an id with no row. */
export async function loadReminders(db: Db, refs: ReminderRef[], now: Date): Promise<FoundReminder[]> {
  const ids = refs.map((r) => r.id);
  const rows = await systemQuery<Row>(db, LOAD_SQL, [ids, now, LIVE_PLAN_STATUSES, [...new Set(refs.map((r) => r.organizationId))]]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    return row ? toFound(row) : null;
  });
}

/** Loads one reminder (see LOAD_SQL): null when there is no such row; `live` false when it is no longer SCHEDULED or FAILED. */
export async function loadReminder(db: Db, ref: ReminderRef, now: Date): Promise<FoundReminder> {
  return (await loadReminders(db, [ref], now))[0];
}

/**
 * A per-process loader: the loads asked for while one is in flight go together in the next
 * statement (Batcher). `now` is read from the clock once per batch, when it is sent, and
 * returned with each reminder: the job decides with the `now` its rows were read at.
 */
export function createReminderLoader(db: Db, clock: Clock, opts: { maxBatch?: number } = {}): (ref: ReminderRef) => Promise<{ found: FoundReminder; now: Date }> {
  const batcher = new Batcher<ReminderRef, { found: FoundReminder; now: Date }>(
    async (refs) => {
      const now = clock.now();
      const unique = [...new Map(refs.map((r) => [r.id, r])).values()];
      const found = await loadReminders(db, unique, now);
      const byId = new Map(unique.map((r, i) => [r.id, found[i]]));
      return refs.map((r) => ({ found: byId.get(r.id) ?? null, now }));
    },
    { maxBatch: opts.maxBatch ?? 100, maxInFlight: 2 },
  );
  return (ref) => batcher.submit(ref);
}

function toFound(row: Row): FoundReminder {
  const reminder: LoadedReminderRow = {
    id: row.id,
    organizationId: row.organization_id,
    status: row.status,
    kind: row.kind,
    channel: row.channel,
    dueAt: row.due_at,
    appointmentStartsAt: row.appointment_starts_at,
    clinicId: row.clinic_id,
    appointmentId: row.appointment_id,
    planId: row.plan_id,
    clientId: row.client_id,
    deliveryKey: row.delivery_key,
  };
  const loaded: LoadedReminder = {
    reminder,
    clinic: row.cl_id ? { id: row.cl_id, name: row.cl_name!, phone: row.cl_phone, timeZone: row.cl_time_zone! } : null,
    appointment: row.a_id ? { id: row.a_id, status: row.a_status!, startsAt: row.a_starts_at!, practitionerId: row.a_practitioner_id! } : null,
    plan: row.tp_id ? { id: row.tp_id, status: row.tp_status!, practitionerId: row.tp_practitioner_id!, body: row.pv_body } : null,
    nextBooked: row.nb_kind ? { kind: row.nb_kind, startsAt: row.nb_starts_at! } : null,
    client: row.c_found
      ? {
          firstName: row.c_first_name!,
          preferredName: row.c_preferred_name,
          archivedAt: row.c_archived_at,
          reminderConsent: row.c_reminder_consent!,
          email: row.c_email,
          phone: row.c_phone,
        }
      : null,
    practitionerName: row.practitioner_name,
    policy: row.rp_found
      ? { leadMinutes: row.rp_lead_minutes!, channels: row.rp_channels!, quietStart: row.rp_quiet_start!, quietEnd: row.rp_quiet_end!, templates: row.rp_templates }
      : null,
  };
  return { live: row.live, loaded };
}
