import { Column, Entity, PrimaryColumn } from 'typeorm';

export const FHIR_EXPORT_STATUSES = ['QUEUED', 'RUNNING', 'DONE', 'FAILED', 'EXPIRED'] as const;
export type FhirExportStatus = (typeof FHIR_EXPORT_STATUSES)[number];

/** One NDJSON file of an export: a resource type, its line count and size. */
export interface FhirExportFile {
  type: string;
  count: number;
  bytes: number;
}

/** A whole-organization FHIR export (bulk data, NDJSON), written by the worker's `fhir.export` job. */
@Entity('fhir_export')
export class FhirExport {
  @PrimaryColumn('uuid') organizationId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') requestedBy: string;
  @Column('text') status: FhirExportStatus;
  @Column('int') rowsTotal: number;
  @Column('int') rowsDone: number;
  @Column('jsonb') files: FhirExportFile[];
  @Column('text', { nullable: true }) error: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  @Column('timestamptz', { nullable: true }) expiresAt: Date | null;
}
