import { refreshSession } from './apollo';
import { getAccessToken } from './session';

/** What a FHIR endpoint said when it refused (an OperationOutcome's diagnostics), or a plain sentence. */
async function refusal(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { issue?: { diagnostics?: string }[] };
    const text = body.issue?.[0]?.diagnostics;
    if (text) return text;
  } catch {
    // Not JSON: fall through.
  }
  return `The download failed (HTTP ${res.status}); try again.`;
}

/**
 * Downloads a file the API serves behind the bearer token (a client's FHIR bundle, an export's
 * NDJSON): fetched with the session's token (refreshed once if it expired), then saved under
 * `filename`. Throws an Error whose message a person can read.
 */
export async function downloadWithToken(path: string, filename: string): Promise<void> {
  const get = (token: string | null) => fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  let res = await get(getAccessToken());
  if (res.status === 401 && (await refreshSession())) res = await get(getAccessToken());
  if (!res.ok) throw new Error(await refusal(res));
  const url = URL.createObjectURL(await res.blob());
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
