import { Client, Clinic, ReferralEvent, IntakeRecord, Invitation, PlanVersion, Practitioner, PractitionerAvailability, ReassessmentRecord, Room, SessionAddendum, SessionNote, TreatmentPlanRecord, User, type Db } from '@fascia/db';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { findPlainIn } from './common/plain-rows';
import type { Tenant } from './context';
import { groupBy } from './common/collections';
import { inClinicScope } from './auth/scope';
import { referralMessageLoaders } from './modules/referral-message/referral-message.loaders';

/** Per-request loaders: each batch is one tenant-scoped query, so a list never becomes N+1. */
export function createLoaders(db: Db, tenant: Tenant) {
  const byIds = <E extends { id: string }>(load: (ids: readonly string[]) => Promise<E[]>) =>
    new DataLoader<string, E | null>(async (ids) => {
      const rows = new Map((await load(ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    });
  const groupedBy = <E>(load: (ids: readonly string[]) => Promise<E[]>, key: (row: E) => string) =>
    new DataLoader<string, E[]>(async (ids) => {
      const groups = groupBy(await load(ids), key);
      return ids.map((id) => groups.get(id) ?? []);
    });

  return {
    clinicById: byIds((ids) => db.tenant(tenant, (tx) => findPlainIn(tx, Clinic, 'id', ids))),
    userById: byIds((ids) => db.tenant(tenant, (tx) => tx.em.findBy(User, { id: In([...ids]) }))),
    practitionerById: byIds((ids) => db.tenant(tenant, (tx) => findPlainIn(tx, Practitioner, 'id', ids))),
    /** The practitioner record a login acts as (at most one per organization). */
    practitionerByUser: new DataLoader<string, Practitioner | null>(async (ids) => {
      const rows = await db.tenant(tenant, (tx) => findPlainIn(tx, Practitioner, 'user_id', ids));
      const byUser = new Map(rows.map((p) => [p.userId as string, p]));
      return ids.map((id) => byUser.get(id) ?? null);
    }),
    /** The latest invitation of each membership. */
    invitationByMembership: new DataLoader<string, Invitation | null>(async (ids) => {
      const rows = await db.tenant(tenant, (tx) => findPlainIn(tx, Invitation, 'membership_id', ids, 't.created_at ASC'));
      const byMembership = new Map(rows.map((i) => [i.membershipId, i]));
      return ids.map((id) => byMembership.get(id) ?? null);
    }),
    roomById: byIds((ids) => db.tenant(tenant, (tx) => findPlainIn(tx, Room, 'id', ids))),
    clientById: byIds((ids) => db.tenant(tenant, (tx) => findPlainIn(tx, Client, 'id', ids))),
    /** A plan's row (id, status, version) without its body: for a task's `plan`, not audited as a plan read. */
    planById: byIds((ids) => db.tenant(tenant, (tx) => findPlainIn(tx, TreatmentPlanRecord, 'id', ids))),
    /** Each appointment's session note; every note read is audited in the same batch. */
    noteByAppointment: new DataLoader<string, SessionNote | null>((ids) =>
      db.tenant(tenant, async (tx) => {
        const rows = await findPlainIn(tx, SessionNote, 'appointment_id', ids);
        await tx.auditRead('note.read', 'session_note', rows.map((r) => r.id));
        const byAppointment = new Map(rows.map((r) => [r.appointmentId, r]));
        return ids.map((id) => byAppointment.get(id) ?? null);
      }),
    ),
    addendaByNote: groupedBy(
      (ids) => db.tenant(tenant, (tx) => findPlainIn(tx, SessionAddendum, 'note_id', ids, 't.created_at ASC, t.id ASC')),
      (a) => a.noteId,
    ),
    roomsByClinic: groupedBy(
      (ids) => db.tenant(tenant, (tx) => findPlainIn(tx, Room, 'clinic_id', ids, 't.name ASC')),
      (r) => r.clinicId,
    ),
    availabilityByPractitioner: groupedBy(
      (ids) =>
        db.tenant(tenant, (tx) =>
          findPlainIn(tx, PractitionerAvailability, 'practitioner_id', ids, 't.weekday ASC, t.start_minute ASC'),
        ),
      (a) => a.practitionerId,
    ),
    // Clinical records: each batch is one query plus one audit event carrying the ids of every record read
    // (a request's events of one kind merge into one row: tx.auditRead).
    intakesByClient: groupedBy(
      (ids) =>
        db.tenant(tenant, async (tx) => {
          // Records of clinics the member's roles do not reach stay out (auth/scope.ts).
          const rows = (await findPlainIn(tx, IntakeRecord, 'client_id', ids, 't.version DESC')).filter((r) => inClinicScope(tenant, r.clinicId));
          await tx.auditRead('intake.read', 'intake', rows.map((r) => r.id));
          return rows;
        }),
      (r) => r.clientId,
    ),
    plansByClient: groupedBy(
      (ids) =>
        db.tenant(tenant, async (tx) => {
          const rows = (await findPlainIn(tx, TreatmentPlanRecord, 'client_id', ids, 't.created_at DESC, t.id ASC')).filter((r) =>
            inClinicScope(tenant, r.clinicId),
          );
          await tx.auditRead('plan.read', 'plan', rows.map((r) => r.id));
          return rows;
        }),
      (r) => r.clientId,
    ),
    /** Versions of each plan, newest first (read as part of the plan, audited with it). */
    planVersionsByPlan: groupedBy(
      (ids) => db.tenant(tenant, (tx) => findPlainIn(tx, PlanVersion, 'plan_id', ids, 't.version DESC')),
      (v) => v.planId,
    ),
    reassessmentsByPlan: groupedBy(
      (ids) =>
        db.tenant(tenant, async (tx) => {
          const rows = await findPlainIn(tx, ReassessmentRecord, 'plan_id', ids, 't.assessed_at DESC, t.id ASC');
          await tx.auditRead('reassessment.read', 'reassessment', rows.map((r) => r.id));
          return rows;
        }),
      (r) => r.planId,
    ),
    /** Each referral's timeline on the caller's own side (one row per change; its creation first when sent at once, in the same instant). */
    referralEventsByReferral: groupedBy(
      (ids) => db.tenant(tenant, (tx) => findPlainIn(tx, ReferralEvent, 'referral_id', ids, 't.at ASC, (t.from_status IS NOT NULL) ASC, t.id ASC')),
      (e) => e.referralId,
    ),
    /** Sessions given per plan: its appointments marked COMPLETED. */
    completedSessionsByPlan: new DataLoader<string, number>((ids) =>
      db.tenant(tenant, async (tx) => {
        const rows = await tx.em.query(
          `SELECT plan_id, count(*)::int AS n FROM appointment WHERE organization_id = $1 AND plan_id = ANY($2::uuid[]) AND status = 'COMPLETED' GROUP BY plan_id`,
          [tenant.organizationId, [...ids]],
        );
        const byPlan = new Map((rows as { plan_id: string; n: number }[]).map((r) => [r.plan_id, r.n]));
        return ids.map((id) => byPlan.get(id) ?? 0);
      }),
    ),
    ...referralMessageLoaders(db, tenant),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
