import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { runInRequestScope } from '@fascia/db';
import { GraphQLError } from 'graphql';
import type { Api } from '../../server';
import { hasRole } from '../../auth/auth-checker';
import { REPORT_ROLES } from './report.resolver';
import { isReportName } from './report.service';
import type { ReportScope } from './report.types';

const PATH = /^\/reports\/([a-z-]+)\.csv$/;
const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

/** True when the path is a report export (`/reports/<name>.csv`). */
export const isReportCsvPath = (pathname: string): boolean => PATH.test(pathname);

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: { code, message } }));
}

/**
 * `GET /reports/<name>.csv?clinicId=&from=&to=&groupBy=` (docs/api.md, "Reports"): the same report
 * as the GraphQL field, authenticated with the same bearer token, scoped and audited the same way
 * (`report.export`), written to the response line by line as the socket takes it.
 */
export async function handleReportCsv(api: Api, req: IncomingMessage, res: ServerResponse, url: URL, request: { requestId: string; correlationId: string | null; sourceAddress: string | null }): Promise<void> {
  if ((req.method ?? 'GET').toUpperCase() !== 'GET') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET to download a report.');
  const name = PATH.exec(url.pathname)?.[1] ?? '';
  if (!isReportName(name)) return sendError(res, 404, 'NOT_FOUND', `There is no report called "${name}".`);
  const scope: ReportScope = {
    clinicId: url.searchParams.get('clinicId') || null,
    from: url.searchParams.get('from') ?? '',
    to: url.searchParams.get('to') ?? '',
    groupBy: (url.searchParams.get('groupBy') ?? 'DAY') as ReportScope['groupBy'],
  };
  let out: { filename: string; lines: string[] };
  try {
    out = await runInRequestScope(api.db, async (requestScope) => {
      const ctx = await api.contextFor({ authorization: req.headers.authorization ?? null, request: { ...request, userAgent: req.headers['user-agent'] ?? null }, requestScope });
      if (ctx.authError) throw ctx.authError;
      hasRole(ctx, 'exportReport', REPORT_ROLES, 'Query');
      const result = await api.services.reports.csv(ctx.tenant!, name, scope);
      await requestScope.commit();
      return result;
    });
  } catch (err) {
    if (err instanceof GraphQLError) {
      const code = String(err.extensions?.code ?? 'BAD_USER_INPUT');
      return sendError(res, STATUS[code] ?? 400, code, err.message);
    }
    throw err;
  }
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${out.filename}"`,
    'cache-control': 'no-store',
    'x-request-id': request.requestId,
  });
  for (const line of out.lines) {
    if (!res.write(line)) await once(res, 'drain');
  }
  res.end();
}
