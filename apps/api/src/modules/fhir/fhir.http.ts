import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Role, runInRequestScope } from '@fascia/db';
import { operationOutcome, RESOURCE_TYPES, type FhirResource } from '@fascia/fhir';
import { fhirExportFileName, fhirExportFolder } from '@fascia/jobs';
import type { Api } from '../../server';
import { clientAddress, correlationIdOf, decodePathSegment } from '../../server';
import { AppError } from '../../common/errors';
import { refusalMessage } from '../../auth/auth-checker';
import { CLINICAL_ROLES } from '../../auth/scope';
import type { Tenant } from '../../context';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function send(res: ServerResponse, status: number, body: FhirResource, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': FHIR_JSON, ...headers });
  res.end(JSON.stringify(body));
}

const EVERYTHING = /^\/fhir\/Patient\/([^/]+)\/\$everything$/;
const EXPORT_FILE = /^\/fhir\/\$export\/([^/]+)\/([A-Za-z]+)\.ndjson$/;

/**
 * The FHIR routes (docs/api.md, "FHIR export"), thin: the bearer token, the request's one
 * transaction and the audit as for GraphQL; the records from the services, the mapping from
 * `@fascia/fhir`.
 * - `GET /fhir/Patient/{id}/$everything`: a client's record as a Bundle; who may read the chart.
 * - `GET /fhir/$export/{exportId}/{Type}.ndjson`: a file of a whole-organization export; org admins.
 * Refusals are OperationOutcomes: 401 without a valid token, 403 for a role that may not, 404
 * for a client not in the organization (or not in the member's clinics) — never saying which.
 */
export async function handleFhir(api: Api, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, operationOutcome('invalid', 'The FHIR endpoints are read-only: use GET.'), { allow: 'GET' });
  }
  const everything = EVERYTHING.exec(url.pathname);
  const file = EXPORT_FILE.exec(url.pathname);
  if (!everything && !file) {
    return send(res, 404, operationOutcome('not-found', 'No such FHIR endpoint. Fascia serves GET /fhir/Patient/{id}/$everything and the files of organization exports.'));
  }
  const requestId = randomUUID();
  const correlationId = correlationIdOf(req.headers['x-request-id']);
  res.setHeader('x-request-id', requestId);
  if (correlationId) res.setHeader('x-correlation-id', correlationId);
  await runInRequestScope(api.db, async (scope) => {
    const ctx = await api.contextFor({
      authorization: req.headers.authorization ?? null,
      request: { requestId, correlationId, sourceAddress: clientAddress(req, api.config.trustedProxies), userAgent: req.headers['user-agent'] ?? null },
      requestScope: scope,
    });
    const tenant = ctx.tenant;
    if (!tenant) {
      return send(res, 401, operationOutcome('login', ctx.authError?.message ?? 'Sign in first: send your access token as "Authorization: Bearer <token>".'), { 'www-authenticate': 'Bearer' });
    }
    const allowed = (roles: readonly Role[], action: string): boolean => {
      if (roles.some((r) => tenant.roles.includes(r))) return true;
      send(res, 403, operationOutcome('forbidden', refusalMessage(roles, tenant.roles, action, 'Query')));
      return false;
    };
    try {
      if (everything) {
        if (!allowed(CLINICAL_ROLES, 'exportClientRecord')) return;
        const id = decodePathSegment(everything[1]);
        if (id === null) return send(res, 404, operationOutcome('not-found', 'The client id in this address is not valid: check the link.'));
        const base = api.config.fhirBaseUrl ?? `http://${req.headers.host ?? `${api.config.host}:${api.config.port}`}/fhir`;
        const bundle = await api.services.fhir.patientEverything(tenant, id, base);
        await scope.commit();
        if (!bundle) return send(res, 404, operationOutcome('not-found', `No client with id ${id} in your organization that your role reaches.`));
        return send(res, 200, bundle, { 'content-disposition': `attachment; filename="patient-${id}-everything.json"` });
      }
      if (file) {
        if (!allowed(['ORG_ADMIN'], 'downloadFhirExport')) return;
        await serveExportFile(api, res, tenant, file[1], file[2], () => scope.commit());
      }
    } catch (err) {
      if (err instanceof AppError) {
        const code = err.extensions.code;
        const status = code === 'BAD_USER_INPUT' ? 400 : code === 'FORBIDDEN' ? 403 : code === 'NOT_FOUND' ? 404 : 400;
        await scope.commit().catch(() => undefined);
        return send(res, status, operationOutcome(status === 404 ? 'not-found' : status === 403 ? 'forbidden' : 'invalid', `${err.extensions.field ? `${String(err.extensions.field)}: ` : ''}${err.message}`));
      }
      api.logger.error({ err, requestId }, 'FHIR request failed');
      if (!res.headersSent) send(res, 500, operationOutcome('exception', 'Something went wrong on our side; it has been logged. Try again, and tell support if it persists.'));
    }
  });
}

async function serveExportFile(api: Api, res: ServerResponse, tenant: Tenant, exportId: string, type: string, commit: () => Promise<void>): Promise<void> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(exportId)) {
    return send(res, 400, operationOutcome('invalid', 'The export id must be a uuid, as listed by the fhirExports query.'));
  }
  if (!(RESOURCE_TYPES as readonly string[]).includes(type)) {
    return send(res, 404, operationOutcome('not-found', `An export has no ${type} file; its files are ${RESOURCE_TYPES.join(', ')} (those with resources).`));
  }
  const { export: row, expired } = await api.services.fhir.downloadable(tenant, exportId);
  await commit();
  if (!row) return send(res, 404, operationOutcome('not-found', `No export with id ${exportId} in your organization.`));
  if (expired) return send(res, 410, operationOutcome('expired', 'This export has expired and its files were deleted; start a new export.'));
  if (row.status !== 'DONE') return send(res, 409, operationOutcome('processing', `This export is ${row.status.toLowerCase()}; its files can be downloaded once it is done.`));
  if (!row.files.some((f) => f.type === type)) return send(res, 404, operationOutcome('not-found', `This export has no ${type} resources.`));
  const filePath = path.join(fhirExportFolder(api.config.fhirExportDir, tenant.organizationId, exportId), fhirExportFileName(type));
  const size = (await stat(filePath)).size;
  res.writeHead(200, {
    'content-type': 'application/fhir+ndjson',
    'content-length': String(size),
    'content-disposition': `attachment; filename="${type}.ndjson"`,
  });
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(filePath);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
}
