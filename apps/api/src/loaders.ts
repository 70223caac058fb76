import { Client, Clinic, IntakeRecord, Invitation, PlanVersion, Practitioner, PractitionerAvailability, ReassessmentRecord, Room, SessionAddendum, SessionNote, TreatmentPlanRecord, User, type Db } from '@fascia/db';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Tenant } from './context';
import { groupBy } from './common/collections';
import { inClinicScope } from './auth/scope';

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
    clinicById: byIds((ids) => db.tenant(tenant, (tx) => tx.repo(Clinic).findBy({ id: In([...ids]) }))),
    userById: byIds((ids) => db.tenant(tenant, (tx) => tx.em.findBy(User, { id: In([...ids]) }))),
    practitionerById: byIds((ids) => db.tenant(tenant, (tx) => tx.repo(Practitioner).findBy({ id: In([...ids]) }))),
    /** The practitioner record a login acts as (at most one per organization). */
    practitionerByUser: new DataLoader<string, Practitioner | null>(async (ids) => {
      const rows = await db.tenant(tenant, (tx) => tx.repo(Practitioner).findBy({ userId: In([...ids]) }));
      const byUser = new Map(rows.map((p) => [p.userId as string, p]));
      return ids.map((id) => byUser.get(id) ?? null);
    }),
    /** The latest invitation of each membership. */
    invitationByMembership: new DataLoader<string, Invitation | null>(async (ids) => {
      const rows = await db.tenant(tenant, (tx) => tx.repo(Invitation).find({ where: { membershipId: In([...ids]) }, order: { createdAt: 'ASC' } }));
      const byMembership = new Map(rows.map((i) => [i.membershipId, i]));
      return ids.map((id) => byMembership.get(id) ?? null);
    }),
    roomById: byIds((ids) => db.tenant(tenant, (tx) => tx.repo(Room).findBy({ id: In([...ids]) }))),
    clientById: byIds((ids) => db.tenant(tenant, (tx) => tx.repo(Client).findBy({ id: In([...ids]) }))),
    /** A plan's row (id, status, version) without its body: for a task's `plan`, not audited as a plan read. */
    planById: byIds((ids) => db.tenant(tenant, (tx) => tx.repo(TreatmentPlanRecord).findBy({ id: In([...ids]) }))),
    /** Each appointment's session note; every note read is audited in the same batch. */
    noteByAppointment: new DataLoader<string, SessionNote | null>((ids) =>
      db.tenant(tenant, async (tx) => {
        const rows = await tx.repo(SessionNote).findBy({ appointmentId: In([...ids]) });
        await tx.auditMany(rows.map((r) => ({ action: 'note.read', recordType: 'session_note', recordId: r.id })));
        const byAppointment = new Map(rows.map((r) => [r.appointmentId, r]));
        return ids.map((id) => byAppointment.get(id) ?? null);
      }),
    ),
    addendaByNote: groupedBy(
      (ids) => db.tenant(tenant, (tx) => tx.repo(SessionAddendum).find({ where: { noteId: In([...ids]) }, order: { createdAt: 'ASC', id: 'ASC' } })),
      (a) => a.noteId,
    ),
    roomsByClinic: groupedBy(
      (ids) => db.tenant(tenant, (tx) => tx.repo(Room).find({ where: { clinicId: In([...ids]) }, order: { name: 'ASC' } })),
      (r) => r.clinicId,
    ),
    availabilityByPractitioner: groupedBy(
      (ids) =>
        db.tenant(tenant, (tx) =>
          tx.repo(PractitionerAvailability).find({ where: { practitionerId: In([...ids]) }, order: { weekday: 'ASC', startMinute: 'ASC' } }),
        ),
      (a) => a.practitionerId,
    ),
    // Clinical records: each batch is one query plus one audit insert for every record read.
    intakesByClient: groupedBy(
      (ids) =>
        db.tenant(tenant, async (tx) => {
          // Records of clinics the member's roles do not reach stay out (auth/scope.ts).
          const rows = (await tx.repo(IntakeRecord).find({ where: { clientId: In([...ids]) }, order: { version: 'DESC' } })).filter((r) => inClinicScope(tenant, r.clinicId));
          await tx.auditMany(rows.map((r) => ({ action: 'intake.read', recordType: 'intake', recordId: r.id })));
          return rows;
        }),
      (r) => r.clientId,
    ),
    plansByClient: groupedBy(
      (ids) =>
        db.tenant(tenant, async (tx) => {
          const rows = (await tx.repo(TreatmentPlanRecord).find({ where: { clientId: In([...ids]) }, order: { createdAt: 'DESC', id: 'ASC' } })).filter((r) =>
            inClinicScope(tenant, r.clinicId),
          );
          await tx.auditMany(rows.map((r) => ({ action: 'plan.read', recordType: 'plan', recordId: r.id })));
          return rows;
        }),
      (r) => r.clientId,
    ),
    /** Versions of each plan, newest first (read as part of the plan, audited with it). */
    planVersionsByPlan: groupedBy(
      (ids) => db.tenant(tenant, (tx) => tx.repo(PlanVersion).find({ where: { planId: In([...ids]) }, order: { version: 'DESC' } })),
      (v) => v.planId,
    ),
    reassessmentsByPlan: groupedBy(
      (ids) =>
        db.tenant(tenant, async (tx) => {
          const rows = await tx.repo(ReassessmentRecord).find({ where: { planId: In([...ids]) }, order: { assessedAt: 'DESC', id: 'ASC' } });
          await tx.auditMany(rows.map((r) => ({ action: 'reassessment.read', recordType: 'reassessment', recordId: r.id })));
          return rows;
        }),
      (r) => r.planId,
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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
