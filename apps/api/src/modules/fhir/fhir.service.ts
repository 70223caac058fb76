import { randomUUID } from 'node:crypto';
import { Clinic, type Clock, type Db, FhirExport, Organization, Practitioner, Referral } from '@fascia/db';
import { enqueue, fhirExportFileName } from '@fascia/jobs';
import { patientEverythingBundle, type FhirResource } from '@fascia/fhir';
import { In } from 'typeorm';
import type { Tenant } from '../../context';
import { inClinicScope } from '../../auth/scope';
import { parse, uuid } from '../../common/validation';
import { conflict } from '../../common/errors';
import type { ChartService } from '../chart/chart.service';
import type { FhirExportType } from './fhir.types';

/** Where an export's file is downloaded, relative to the API (server.ts routes it). */
export const exportFileUrl = (exportId: string, type: string): string => `/fhir/$export/${exportId}/${fhirExportFileName(type)}`;

/**
 * FHIR R4 reads (docs/api.md, "FHIR export"): the records come from the chart — the same
 * scope rules and the same audit (`chart.read` and one read event per clinical record) — and
 * what a bundle needs beyond it (the organization, the practitioners the records name, the
 * client's referrals from clinics in scope); `@fascia/fhir` maps them.
 */
export class FhirService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly chart: ChartService,
  ) {}

  /**
   * `Patient/{id}/$everything`: the Bundle, or null when the client does not exist in the
   * organization or is out of the member's scope — audited DENIED either way (the chart
   * audits an unreachable one too), so that an attempt on another organization's client is on
   * record without saying whether it exists.
   */
  async patientEverything(tenant: Tenant, clientId: string, base: string): Promise<FhirResource | null> {
    parse(uuid, clientId, 'id');
    const chart = await this.chart.get(tenant, clientId);
    return this.db.tenant(tenant, async (tx) => {
      if (!chart) {
        await tx.audit({ action: 'fhir.patient.everything', recordType: 'client', recordId: clientId, outcome: 'DENIED', detail: { reason: 'not found or out of scope' } });
        return null;
      }
      const { intakes, plans, notes, reassessments, clinics, versions } = chart.read;
      const organization = await tx.em.findOneByOrFail(Organization, { id: tenant.organizationId });
      const practitionerIds = new Set<string>([...intakes, ...plans, ...chart.appointments, ...notes].map((r) => r.practitionerId));
      const referrals = (await tx.repo(Referral).findBy({ clientId })).filter((r) => inClinicScope(tenant, r.referringClinicId));
      for (const r of referrals) if (r.referringPractitionerId) practitionerIds.add(r.referringPractitionerId);
      const practitioners = practitionerIds.size ? await tx.repo(Practitioner).findBy({ id: In([...practitionerIds]) }) : [];
      // The clinics every record names (the chart reads those of the appointments).
      const clinicIds = new Set<string>([...intakes, ...plans, ...chart.appointments].map((r) => r.clinicId).concat(referrals.map((r) => r.referringClinicId)));
      for (const c of clinics) clinicIds.delete(c.id);
      const allClinics = clinicIds.size ? [...clinics, ...(await tx.repo(Clinic).findBy({ id: In([...clinicIds]) }))] : clinics;
      const current = new Map((versions ?? []).map((v) => [`${v.planId}/${v.version}`, v.body]));
      await tx.audit({
        action: 'fhir.patient.everything',
        recordType: 'client',
        recordId: clientId,
        detail: { intakes: intakes.length, plans: plans.length, appointments: chart.appointments.length, notes: notes.length, reassessments: reassessments.length, referrals: referrals.length },
      });
      return patientEverythingBundle(
        {
          organization,
          client: chart.client,
          clinics: allClinics,
          practitioners,
          intakes,
          plans: plans.map((p) => ({ ...p, body: current.get(`${p.id}/${p.currentVersion}`) ?? null })),
          appointments: chart.appointments,
          notes,
          reassessments,
          referrals,
        },
        { base, now: this.clock.now() },
      );
    });
  }

  /** The organization's exports, newest first (the last 20); one past its expiry reads EXPIRED even before the worker deletes its files. */
  listExports(tenant: Tenant): Promise<FhirExportType[]> {
    return this.db.tenant(tenant, async (tx) => (await tx.repo(FhirExport).find({ order: { createdAt: 'DESC', id: 'ASC' }, take: 20 })).map((e) => this.view(e)));
  }

  getExport(tenant: Tenant, id: string): Promise<FhirExportType | null> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, async (tx) => {
      const e = await tx.repo(FhirExport).findOneBy({ id });
      return e ? this.view(e) : null;
    });
  }

  /** The export row, when its files may be downloaded (DONE and not expired); for the download route. */
  downloadable(tenant: Tenant, id: string): Promise<{ export: FhirExport | null; expired: boolean }> {
    return this.db.tenant(tenant, async (tx) => {
      const e = await tx.repo(FhirExport).findOneBy({ id });
      const expired = !!e && (e.status === 'EXPIRED' || (e.expiresAt !== null && e.expiresAt.getTime() <= this.clock.now().getTime()));
      if (e) await tx.audit({ action: 'fhir.export.download', recordType: 'fhir_export', recordId: e.id, ...(expired || e.status !== 'DONE' ? { outcome: 'DENIED' as const, detail: { reason: expired ? 'expired' : e.status } } : {}) });
      return { export: e, expired };
    });
  }

  /** Starts an export: its row (QUEUED) and the worker's job, in one transaction. One at a time per organization. */
  startExport(tenant: Tenant): Promise<FhirExportType> {
    return this.db.tenant(tenant, async (tx) => {
      const running = await tx.repo(FhirExport).findBy([{ status: 'QUEUED' }, { status: 'RUNNING' }]);
      if (running.length > 0) throw conflict('An export of this organization is already under way; wait for it to finish (its progress is on this page), then start another.', { exportId: running[0].id });
      const row = await tx.repo(FhirExport).insert({ id: randomUUID(), requestedBy: tenant.userId, status: 'QUEUED', rowsTotal: 0, rowsDone: 0, files: [], error: null, createdAt: this.clock.now() });
      await enqueue(tx.em, 'fhir.export', { organizationId: tenant.organizationId, exportId: row.id });
      await tx.audit({ action: 'fhir.export.start', recordType: 'fhir_export', recordId: row.id });
      return this.view(row);
    });
  }

  private view(e: FhirExport): FhirExportType {
    const expired = e.status === 'EXPIRED' || (e.status === 'DONE' && e.expiresAt !== null && e.expiresAt.getTime() <= this.clock.now().getTime());
    return {
      ...e,
      status: expired ? 'EXPIRED' : e.status,
      files: expired ? [] : e.files.map((f) => ({ ...f, url: exportFileUrl(e.id, f.type) })),
    };
  }
}
