import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  Appointment,
  Client,
  Clinic,
  type Clock,
  type Db,
  FhirExport,
  type FhirExportFile,
  IntakeRecord,
  Organization,
  PlanVersion,
  Practitioner,
  PractitionerAvailability,
  ReassessmentRecord,
  Referral,
  SessionNote,
  type TenantContext,
  type TenantTx,
  TreatmentPlanRecord,
} from '@fascia/db';
import {
  ALL_REFS,
  appointmentResource,
  carePlanResource,
  complaintSites,
  encounterResource,
  type FhirResource,
  intakeObservations,
  isEncounter,
  locationResource,
  noteObservations,
  organizationResource,
  patientResource,
  practitionerResource,
  practitionerRoleResource,
  questionnaireResponseResource,
  reassessmentObservations,
  serviceRequestResource,
} from '@fascia/fhir';
import { FHIR_EXPORT_TTL_DAYS, fhirExportFileName, fhirExportFolder } from '@fascia/jobs';
import { In, LessThanOrEqual, MoreThan, type ObjectLiteral } from 'typeorm';
import { type Handler, PermanentJobError } from './types';

export interface FhirExportDeps {
  db: Db;
  clock: Clock;
  /** Where exports are written (`FHIR_EXPORT_DIR`, default `.data/exports`). */
  fhirExportDir: string;
}

/** Rows read per statement: memory stays flat however large the organization. */
export const FHIR_EXPORT_BATCH = 500;

/** One NDJSON file per resource type, opened on its first line. */
class NdjsonFiles {
  private streams = new Map<string, { stream: WriteStream; count: number }>();
  constructor(private readonly folder: string) {}

  async write(resources: FhirResource[]): Promise<void> {
    const byType = new Map<string, string[]>();
    for (const r of resources) (byType.get(r.resourceType) ?? byType.set(r.resourceType, []).get(r.resourceType)!).push(JSON.stringify(r));
    for (const [type, lines] of byType) {
      let file = this.streams.get(type);
      if (!file) {
        file = { stream: createWriteStream(path.join(this.folder, fhirExportFileName(type)), { flags: 'w' }), count: 0 };
        this.streams.set(type, file);
      }
      file.count += lines.length;
      if (!file.stream.write(`${lines.join('\n')}\n`)) await once(file.stream, 'drain');
    }
  }

  async close(): Promise<FhirExportFile[]> {
    const files: FhirExportFile[] = [];
    for (const [type, { stream, count }] of this.streams) {
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
      files.push({ type, count, bytes: (await stat(path.join(this.folder, fhirExportFileName(type)))).size });
    }
    return files.sort((a, b) => a.type.localeCompare(b.type));
  }

  destroy(): void {
    for (const { stream } of this.streams.values()) stream.destroy();
  }
}

type Entity = ObjectLiteral & { id: string; organizationId: string };

/**
 * `fhir.export`: the whole organization as FHIR R4 NDJSON (Bulk Data style), one file per
 * resource type under `<dir>/<organizationId>/<exportId>/`. Reads in batches of
 * FHIR_EXPORT_BATCH rows (keyset by id), each batch in a transaction of its own as the
 * organization (row-level security applies), and records rows done of the total on the
 * export's row after each batch. Expired exports of the organization are deleted first.
 */
export function fhirExportHandler(deps: FhirExportDeps): Handler<'fhir.export'> {
  return async (data, ctx) => {
    const system: TenantContext = { organizationId: data.organizationId, userId: null, requestId: ctx.jobId };
    const row = await deps.db.tenant(system, (tx) => tx.repo(FhirExport).findOneBy({ id: data.exportId }));
    if (!row) throw new PermanentJobError(`FHIR export ${data.exportId} does not exist in organization ${data.organizationId}`);
    if (row.status !== 'QUEUED') return { outcome: 'already-handled', status: row.status };
    const tenant: TenantContext = { organizationId: data.organizationId, userId: row.requestedBy, requestId: ctx.jobId };
    const expired = await expireExports(deps, tenant);

    const folder = fhirExportFolder(deps.fhirExportDir, data.organizationId, data.exportId);
    await mkdir(folder, { recursive: true });
    const files = new NdjsonFiles(folder);
    const tables = [Clinic, Practitioner, Client, IntakeRecord, TreatmentPlanRecord, Referral, Appointment, SessionNote, ReassessmentRecord] as const;
    try {
      const total = await deps.db.tenant(tenant, async (tx) => {
        let n = 1; // the organization
        for (const t of tables) n += await tx.repo(t).countBy({});
        await tx.repo(FhirExport).update({ id: data.exportId }, { status: 'RUNNING', startedAt: deps.clock.now(), rowsTotal: n });
        return n;
      });
      let done = 0;
      const progress = async (tx: TenantTx, rows: number) => {
        done += rows;
        await tx.repo(FhirExport).update({ id: data.exportId }, { rowsDone: done });
      };
      const orgId = data.organizationId;

      await deps.db.tenant(tenant, async (tx) => {
        await files.write([organizationResource(await tx.em.findOneByOrFail(Organization, { id: orgId }))]);
        await progress(tx, 1);
      });
      /** Each batch of `entity`'s rows, in its own transaction, mapped by `map` (which may read more in that transaction). */
      const each = async <E extends Entity>(entity: new () => E, map: (tx: TenantTx, batch: E[]) => Promise<FhirResource[]>) => {
        let after = '00000000-0000-0000-0000-000000000000';
        for (;;) {
          const more = await deps.db.tenant(tenant, async (tx) => {
            const batch = (await tx.repo(entity).find({ where: { id: MoreThan(after) } as never, order: { id: 'ASC' } as never, take: FHIR_EXPORT_BATCH })) as E[];
            if (batch.length === 0) return false;
            await files.write(await map(tx, batch));
            await progress(tx, batch.length);
            after = batch[batch.length - 1].id;
            return batch.length === FHIR_EXPORT_BATCH;
          });
          if (!more) break;
        }
      };

      await each(Clinic, async (_tx, batch) => batch.map((c) => locationResource(c, orgId, ALL_REFS)));
      await each(Practitioner, async (tx, batch) => {
        const hours = await tx.repo(PractitionerAvailability).findBy({ practitionerId: In(batch.map((p) => p.id)) });
        return batch.flatMap((p) => [
          practitionerResource(p),
          practitionerRoleResource(p, orgId, [...new Set(hours.filter((h) => h.practitionerId === p.id).map((h) => h.clinicId))], ALL_REFS),
        ]);
      });
      await each(Client, async (_tx, batch) => batch.map((c) => patientResource(c, orgId, ALL_REFS)));
      await each(IntakeRecord, async (_tx, batch) => batch.flatMap((i) => [questionnaireResponseResource(i, ALL_REFS), ...intakeObservations(i, ALL_REFS)]));
      await each(TreatmentPlanRecord, async (tx, batch) => {
        const ids = batch.map((p) => p.id);
        const versions = await tx.repo(PlanVersion).findBy({ planId: In(ids) });
        const body = new Map(versions.map((v) => [`${v.planId}/${v.version}`, v.body]));
        const sessions = await tx.repo(Appointment).findBy({ planId: In(ids) });
        const notes = new Set((await tx.repo(SessionNote).findBy({ planId: In(ids) })).map((n) => n.appointmentId));
        return batch.map((p) => {
          const byPhase = new Map<number, string[]>();
          let first: Date | null = null;
          for (const a of sessions) if (a.planId === p.id && (!first || a.startsAt < first)) first = a.startsAt;
          for (const a of sessions) {
            if (a.planId !== p.id || a.phaseIndex === null || !isEncounter(a, notes.has(a.id))) continue;
            (byPhase.get(a.phaseIndex) ?? byPhase.set(a.phaseIndex, []).get(a.phaseIndex)!).push(a.id);
          }
          return carePlanResource({ ...p, body: body.get(`${p.id}/${p.currentVersion}`) ?? null }, byPhase, ALL_REFS, first);
        });
      });
      await each(Referral, async (_tx, batch) => batch.map((r) => serviceRequestResource(r, orgId, ALL_REFS)));
      await each(Appointment, async (tx, batch) => {
        const notes = new Map((await tx.repo(SessionNote).findBy({ appointmentId: In(batch.map((a) => a.id)) })).map((n) => [n.appointmentId, n]));
        return batch.flatMap((a) => [appointmentResource(a, ALL_REFS), ...(isEncounter(a, notes.has(a.id)) ? [encounterResource(a, orgId, notes.get(a.id) ?? null, ALL_REFS)] : [])]);
      });
      await each(SessionNote, async (tx, batch) => {
        const appointments = new Map((await tx.repo(Appointment).findBy({ id: In(batch.map((n) => n.appointmentId)) })).map((a) => [a.id, a]));
        return batch.flatMap((n) => (appointments.has(n.appointmentId) ? noteObservations(n, appointments.get(n.appointmentId)!, ALL_REFS) : []));
      });
      await each(ReassessmentRecord, async (tx, batch) => {
        const plans = new Map((await tx.repo(TreatmentPlanRecord).findBy({ id: In([...new Set(batch.map((r) => r.planId))]) })).map((p) => [p.id, p]));
        const intakes = new Map((await tx.repo(IntakeRecord).findBy({ id: In([...new Set([...plans.values()].map((p) => p.intakeId))]) })).map((i) => [i.id, i]));
        const appointmentIds = batch.flatMap((r) => (r.appointmentId ? [r.appointmentId] : []));
        const appointments = new Map((appointmentIds.length ? await tx.repo(Appointment).findBy({ id: In(appointmentIds) }) : []).map((a) => [a.id, a]));
        return batch.flatMap((r) => {
          const plan = plans.get(r.planId);
          const intake = plan ? intakes.get(plan.intakeId) : undefined;
          const performer = (r.appointmentId ? appointments.get(r.appointmentId)?.practitionerId : undefined) ?? plan?.practitionerId ?? null;
          return reassessmentObservations(r, intake ? complaintSites(intake) : new Map(), performer, ALL_REFS);
        });
      });

      const written = await files.close();
      const finishedAt = deps.clock.now();
      await deps.db.tenant(tenant, async (tx) => {
        await tx.repo(FhirExport).update(
          { id: data.exportId },
          { status: 'DONE', rowsDone: done, files: written, finishedAt, expiresAt: new Date(finishedAt.getTime() + FHIR_EXPORT_TTL_DAYS * 86_400_000) },
        );
        await tx.audit({ action: 'fhir.export.run', recordType: 'fhir_export', recordId: data.exportId, detail: { rows: done, files: written.map((f) => `${f.type}:${f.count}`).join(' ') } });
      });
      ctx.log.info({ exportId: data.exportId, rows: done, total, files: written.length, expired }, 'FHIR export written');
      return { outcome: 'exported', rows: done, files: written.length };
    } catch (err) {
      files.destroy();
      await rm(folder, { recursive: true, force: true });
      const message = err instanceof Error ? err.message : String(err);
      await deps.db.tenant(tenant, (tx) =>
        tx.repo(FhirExport).update({ id: data.exportId }, { status: 'FAILED', error: `The export stopped: ${message.slice(0, 500)}. Start a new one; if it fails again, tell support.`, finishedAt: deps.clock.now() }),
      );
      ctx.log.error({ exportId: data.exportId, err: message }, 'FHIR export failed');
      throw new PermanentJobError(`FHIR export ${data.exportId} failed: ${message}`);
    }
  };
}

/** Deletes the files of the organization's exports past their expiry and marks them EXPIRED; returns how many. */
export async function expireExports(deps: FhirExportDeps, tenant: TenantContext): Promise<number> {
  const due = await deps.db.tenant(tenant, (tx) => tx.repo(FhirExport).findBy({ status: 'DONE', expiresAt: LessThanOrEqual(deps.clock.now()) }));
  for (const e of due) {
    await rm(fhirExportFolder(deps.fhirExportDir, e.organizationId, e.id), { recursive: true, force: true });
    await deps.db.tenant(tenant, (tx) => tx.repo(FhirExport).update({ id: e.id, status: 'DONE' }, { status: 'EXPIRED', files: [] }));
  }
  return due.length;
}
