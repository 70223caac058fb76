import { useState } from 'react';
import type { ReactNode } from 'react';
import { readErrors, codeLabel } from '../lib/errors';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function QueryError({ error, retry }: { error: unknown; retry?: () => void }) {
  // No fields here: a message the server tied to a field is shown as it is, not as
  // "Some fields need your attention".
  const e = readErrors(error, []);
  return (
    <div className="alert alert--error" role="alert" data-code={e.code ?? undefined}>
      <strong>{codeLabel(e.code)}</strong>
      <p>{e.form ?? 'The data could not be loaded.'}</p>
      {retry ? (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}

/**
 * "Show more" under a paginated list. Apollo 4's fetchMore rejects without setting the
 * query's `error`, so the failure is caught here and shown, with a retry.
 */
export function LoadMore({
  hasNextPage,
  loading,
  disabled = false,
  onMore,
  label = 'Show more',
}: {
  hasNextPage: boolean;
  loading: boolean;
  /** Held back, keeping its words (a list showing its previous answer while the new one loads). */
  disabled?: boolean;
  onMore(): Promise<unknown>;
  label?: string;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!hasNextPage) return null;

  async function more() {
    setError(null);
    setBusy(true);
    try {
      await onMore();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const waiting = loading || busy;
  return (
    <div className="load-more">
      {error ? <QueryError error={error} /> : null}
      <button type="button" className="button" disabled={waiting || disabled} aria-busy={waiting || undefined} onClick={() => void more()}>
        {waiting ? 'Loading…' : label}
      </button>
    </div>
  );
}

/** The centred card of the public pages (sign-in, accept invitation): brand, title, content. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            F
          </span>
          <span className="brand-name">Fascia</span>
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </div>
  );
}
