import { useEffect, useState } from 'react';
import { useLocation, useSearchParams, type SetURLSearchParams } from 'react-router';

/** Typing waits a moment before it acts, so each key press is not a request. */
export function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/**
 * A text filter kept in the page's URL under `key` (a search box, a city): what is typed now,
 * and the trimmed value it settles on `ms` after the last key press, which the page filters by
 * and which replaces `key` in the URL (the other parameters kept), so a reload or a link keeps it.
 *
 * The URL is written only while the browser is still on this page. A person who types and at
 * once clicks a result leaves the page before the value settles; the next page may still be
 * loading (the router renders it in a transition, so this page is still mounted), and writing
 * `?key=…` then would replace that navigation with this page again.
 */
export function useTypedParam(key: string, ms: number): { text: string; setText(value: string): void; value: string } {
  const [params, setParams] = useSearchParams();
  const { pathname } = useLocation();
  const [text, setText] = useState(params.get(key) ?? '');
  const value = useDebounced(text.trim(), ms);
  useEffect(() => {
    if (window.location.pathname !== pathname) return;
    if ((params.get(key) ?? '') === value) return;
    replaceParam(setParams, key, value);
    // Only the settled value writes to the URL; the page's other controls write their own.
  }, [value]);
  return { text, setText, value };
}

/** Sets `key` in the page's URL (removed when `value` is empty), the other parameters kept, replacing the history entry. */
export function replaceParam(setParams: SetURLSearchParams, key: string, value: string): void {
  setParams(
    (prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    },
    { replace: true },
  );
}
