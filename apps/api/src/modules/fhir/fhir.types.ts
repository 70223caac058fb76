import { FHIR_EXPORT_STATUSES, type FhirExportStatus } from '@fascia/db';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export const FhirExportStatusEnum = Object.fromEntries(FHIR_EXPORT_STATUSES.map((s) => [s, s])) as { [K in FhirExportStatus]: K };
registerEnumType(FhirExportStatusEnum, {
  name: 'FhirExportStatus',
  description: 'QUEUED until the worker starts it, RUNNING while it writes, then DONE (files downloadable until expiresAt), FAILED, or EXPIRED (files deleted)',
});

@ObjectType('FhirExportFile', { simpleResolvers: true, description: 'One NDJSON file of an export: the resources of one type' })
export class FhirExportFileType {
  @Field({ description: 'The FHIR resource type (Patient, Observation, …)' }) type: string;
  @Field(() => Int, { description: 'Resources in the file (lines)' }) count: number;
  @Field(() => Int, { description: 'Size in bytes' }) bytes: number;
  @Field({ description: 'Where to download it (GET with the bearer token), relative to the API' }) url: string;
}

@ObjectType('FhirExport', { simpleResolvers: true, description: 'A whole-organization FHIR R4 export (NDJSON, one file per resource type), written by the worker' })
export class FhirExportType {
  @Field(() => ID) id: string;
  @Field(() => FhirExportStatusEnum) status: FhirExportStatus;
  @Field(() => Int, { description: 'Records exported so far' }) rowsDone: number;
  @Field(() => Int, { description: 'Records to export (known once the worker starts)' }) rowsTotal: number;
  @Field(() => [FhirExportFileType]) files: FhirExportFileType[];
  @Field(() => String, { nullable: true, description: 'Why it failed' }) error: string | null;
  @Field(() => ID) requestedBy: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When its files are deleted' }) expiresAt: Date | null;
}
