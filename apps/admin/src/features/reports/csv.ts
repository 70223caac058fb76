import { refreshSession } from '../../lib/apollo';
import { getAccessToken } from '../../lib/session';
import type { ReportScope } from '../../gql/graphql';

/** `/reports/<name>.csv?clinicId=&from=&to=&groupBy=` (the API streams it; the same scoping and audit as GraphQL). */
export function csvUrl(name: string, scope: ReportScope): string {
  const q = new URLSearchParams();
  if (scope.clinicId) q.set('clinicId', String(scope.clinicId));
  q.set('from', scope.from);
  q.set('to', scope.to);
  q.set('groupBy', scope.groupBy);
  return `/reports/${encodeURIComponent(name)}.csv?${q.toString()}`;
}

/** "utilisation_harbour-central_2026-11-01_to_2026-11-29_by-week.csv" */
export function csvFileName(name: string, scopeName: string, scope: ReportScope): string {
  const slug =
    scopeName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'organization';
  return `${name}_${slug}_${scope.from}_to_${scope.to}_by-${scope.groupBy.toLowerCase()}.csv`;
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

async function fetchCsv(url: string): Promise<Response> {
  const call = (token: string | null) => fetch(url, { headers: { accept: 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  let res = await call(getAccessToken());
  // An access token lasts minutes: refresh once, as the GraphQL link does, then try again.
  if (res.status === 401) {
    const session = await refreshSession();
    if (session) res = await call(session.accessToken);
  }
  return res;
}

/**
 * Downloads the report as CSV with the signed-in person's token: the file goes through a
 * blob (a plain link could not carry the Authorization header). Throws CsvError with the
 * API's sentence when it refuses.
 */
export async function downloadCsv(name: string, scopeName: string, scope: ReportScope): Promise<string> {
  let res: Response;
  try {
    res = await fetchCsv(csvUrl(name, scope));
  } catch {
    throw new CsvError('The export could not reach the server. Check the connection and try again.', null);
  }
  if (!res.ok) {
    let message = `The export failed (HTTP ${res.status}).`;
    let code: string | null = null;
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      message = body.error?.message ?? message;
      code = body.error?.code ?? null;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new CsvError(message, code);
  }
  const blob = await res.blob();
  const fileName = csvFileName(name, scopeName, scope);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download; free it on the next turn.
  setTimeout(() => URL.revokeObjectURL(href), 0);
  return fileName;
}
