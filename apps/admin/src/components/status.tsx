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
    <div className="alert alert--error" role="alert">
      <strong>{codeLabel(e.code)}</strong>
      {e.code && e.code !== 'NETWORK' ? <span className="code">{e.code}</span> : null}
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
