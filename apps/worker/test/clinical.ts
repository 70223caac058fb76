import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '@fascia/db/testing';
import { scheduleReminder } from '../src/handlers/reminders';

/**
 * Clinical fixtures for the worker's tests, written as the database owner through the
 * same tables the API writes (test setup, not application code).
 */
export interface ClinicFixture {
  organizationId: string;
  clinicId: string;
  practitionerId: string;
  userId: string;
}

export async function seedClinic(
  t: TestDatabase,
  organizationId: string,
  opts: { name?: string; timeZone?: string; phone?: string } = {},
): Promise<ClinicFixture> {
  const userId = randomUUID();
  const [clinic] = (await t.dataSource.query(
    `INSERT INTO clinic (organization_id, name, address_line1, city, country, time_zone, phone) VALUES ($1, $2, '1 High Street', 'London', 'GB', $3, $4) RETURNING id`,
    [organizationId, opts.name ?? `Clinic ${randomUUID().slice(0, 8)}`, opts.timeZone ?? 'Europe/London', opts.phone ?? '+44 20 7946 0000'],
  )) as { id: string }[];
  const [pr] = (await t.dataSource.query(`INSERT INTO practitioner (organization_id, display_name, discipline) VALUES ($1, 'Pat Practitioner', 'MASSAGE_THERAPIST') RETURNING id`, [
    organizationId,
  ])) as { id: string }[];
  return { organizationId, clinicId: clinic.id, practitionerId: pr.id, userId };
}

export async function seedPolicy(
  t: TestDatabase,
  c: ClinicFixture,
  p: { leadMinutes: number[]; channels?: string[]; quietStart?: string; quietEnd?: string; templates?: unknown },
): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO reminder_policy (organization_id, clinic_id, lead_minutes, channels, quiet_start, quiet_end, templates) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (organization_id, clinic_id) DO UPDATE SET lead_minutes = EXCLUDED.lead_minutes, channels = EXCLUDED.channels, quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end, templates = EXCLUDED.templates`,
    [c.organizationId, c.clinicId, p.leadMinutes, p.channels ?? ['EMAIL'], p.quietStart ?? '00:00', p.quietEnd ?? '00:00', JSON.stringify(p.templates ?? {})],
  );
}

export async function seedClient(
  t: TestDatabase,
  c: ClinicFixture,
  opts: { firstName?: string; email?: string | null; phone?: string | null; channels?: string[]; consent?: boolean } = {},
): Promise<string> {
  const [row] = (await t.dataSource.query(
    `INSERT INTO client (organization_id, first_name, last_name, email, phone, preferred_channels, reminder_consent, clinic_ids) VALUES ($1, $2, 'Client', $3, $4, $5, $6, ARRAY[$7]::uuid[]) RETURNING id`,
    [c.organizationId, opts.firstName ?? 'Rosa', opts.email === undefined ? `${randomUUID().slice(0, 8)}@clients.test` : opts.email, opts.phone ?? null, opts.channels ?? [], opts.consent ?? true, c.clinicId],
  )) as { id: string }[];
  return row.id;
}

export async function seedAppointment(
  t: TestDatabase,
  c: ClinicFixture,
  clientId: string,
  startsAt: Date,
  opts: { status?: string; kind?: string; planId?: string | null; phaseIndex?: number | null; minutes?: number; practitionerId?: string } = {},
): Promise<string> {
  // A practitioner of its own unless given, so fixtures never trip the no-overlap constraint.
  const practitionerId =
    opts.practitionerId ??
    ((await t.dataSource.query(`INSERT INTO practitioner (organization_id, display_name, discipline) VALUES ($1, 'Pat Practitioner', 'MASSAGE_THERAPIST') RETURNING id`, [c.organizationId])) as { id: string }[])[0].id;
  const [row] = (await t.dataSource.query(
    `INSERT INTO appointment (organization_id, clinic_id, practitioner_id, client_id, plan_id, phase_index, kind, starts_at, ends_at, status, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      c.organizationId,
      c.clinicId,
      practitionerId,
      clientId,
      opts.planId ?? null,
      opts.phaseIndex ?? null,
      opts.kind ?? 'SESSION',
      startsAt,
      new Date(startsAt.getTime() + (opts.minutes ?? 60) * 60_000),
      opts.status ?? 'BOOKED',
      c.userId,
    ],
  )) as { id: string }[];
  return row.id;
}

/** The parts of a plan body the worker reads (a real TreatmentPlan has many more). */
export const planBody = (currentPhaseIndex: number, homeCare: { kind: string; description: string; days: number }[] = []) => ({
  currentPhaseIndex,
  phaseStartedAtSession: 0,
  phases: [
    { index: 0, kind: 'initial', label: 'Initial', frequency: { value: { sessions: 2, perWeeks: 1 } }, reassessment: { value: { everySessions: 4, everyWeeks: 4 } } },
    { index: 1, kind: 'tapering', label: 'Tapering', frequency: { value: { sessions: 1, perWeeks: 2 } }, reassessment: { value: { everySessions: 3, everyWeeks: 6 } } },
    { index: 2, kind: 'maintenance', label: 'Maintenance', frequency: { value: { sessions: 1, perWeeks: 4 } }, reassessment: { value: { everySessions: 3, everyWeeks: 12 } } },
  ],
  homeCare: homeCare.map((h) => ({ kind: h.kind, description: h.description, daysPerWeek: { value: h.days } })),
});

export async function seedPlan(
  t: TestDatabase,
  c: ClinicFixture,
  clientId: string,
  opts: { status?: string; body?: unknown; changedAt?: Date; complaintKey?: string },
): Promise<string> {
  return t.dataSource.transaction(async (em) => {
    const [intake] = (await em.query(
      `INSERT INTO intake (organization_id, client_id, version, clinic_id, practitioner_id, data, created_by) VALUES ($1, $2, 1, $3, $4, '{}', $5) RETURNING id`,
      [c.organizationId, clientId, c.clinicId, c.practitionerId, c.userId],
    )) as { id: string }[];
    const [plan] = (await em.query(
      `INSERT INTO treatment_plan (organization_id, client_id, intake_id, clinic_id, practitioner_id, complaint_key, status, current_version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id`,
      [c.organizationId, clientId, intake.id, c.clinicId, c.practitionerId, opts.complaintKey ?? 'neck', opts.status ?? 'ACTIVE'],
    )) as { id: string }[];
    await em.query(`INSERT INTO plan_version (organization_id, plan_id, version, body, change_kind, reason, changed_by, changed_at) VALUES ($1, $2, 1, $3, 'ACCEPTED', 'accepted', $4, $5)`, [
      c.organizationId,
      plan.id,
      JSON.stringify(opts.body ?? planBody(0)),
      c.userId,
      opts.changedAt ?? new Date(),
    ]);
    return plan.id;
  });
}

/** What the API's appointment hook writes in the booking's transaction. */
export async function outboxAppointmentChanged(t: TestDatabase, organizationId: string, appointmentIds: string[]): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO outbox_message (organization_id, job_name, payload) SELECT $1::uuid, 'appointment.changed', jsonb_build_object('organizationId', $1::text, 'appointmentId', a::text) FROM unnest($2::uuid[]) a`,
    [organizationId, appointmentIds],
  );
}

/**
 * An email reminder due now for a new client's appointment an hour ahead, scheduled as the worker
 * schedules it (the row a reminder.send job acts on).
 */
export async function seedDueReminder(
  t: TestDatabase,
  c: ClinicFixture,
  opts: { email?: string; deliveryKeySuffix?: string } = {},
): Promise<{ id: string; appointmentId: string; deliveryKey: string }> {
  const client = await seedClient(t, c, { ...(opts.email ? { email: opts.email } : {}), channels: ['EMAIL'] });
  const startsAt = new Date(Date.now() + 60 * 60_000);
  const appointmentId = await seedAppointment(t, c, client, startsAt);
  const deliveryKey = `appointment:${appointmentId}:${opts.deliveryKeySuffix ?? 'test'}`;
  const id = await t.db.system((em) =>
    scheduleReminder(em, {
      organizationId: c.organizationId,
      clinicId: c.clinicId,
      kind: 'APPOINTMENT',
      appointmentId,
      planId: null,
      clientId: client,
      channel: 'EMAIL',
      leadMinutes: 10,
      dueAt: new Date(),
      sendAt: new Date(),
      appointmentStartsAt: startsAt,
      deliveryKey,
    }),
  );
  if (!id) throw new Error('seedDueReminder: the reminder was not scheduled');
  return { id, appointmentId, deliveryKey };
}
