import path from 'node:path';

/**
 * Where organization exports live, shared by the worker (writes) and the API (serves): the
 * configured directory (`FHIR_EXPORT_DIR`), by default `.data/exports` under the working
 * directory. Each export is `<dir>/<organizationId>/<exportId>/<ResourceType>.ndjson`.
 */
export const FHIR_EXPORT_DEFAULT_DIR = '.data/exports';

/** How long an export's files are kept after it finishes, in days (then they are deleted and it reads EXPIRED). */
export const FHIR_EXPORT_TTL_DAYS = 7;

export function fhirExportDir(configured?: string): string {
  return path.resolve(configured || FHIR_EXPORT_DEFAULT_DIR);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One export's folder; throws on ids that are not uuids (they become path segments). */
export function fhirExportFolder(dir: string, organizationId: string, exportId: string): string {
  if (!UUID.test(organizationId) || !UUID.test(exportId)) throw new Error('fhirExportFolder: ids must be uuids');
  return path.join(dir, organizationId, exportId);
}

/** A resource type's file name in an export's folder. */
export function fhirExportFileName(resourceType: string): string {
  if (!/^[A-Z][A-Za-z]{1,63}$/.test(resourceType)) throw new Error(`fhirExportFileName: "${resourceType}" is not a resource type`);
  return `${resourceType}.ndjson`;
}
