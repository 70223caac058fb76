import { useQuery } from '@apollo/client/react';
import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useCallback, useMemo } from 'react';

/** A GraphQL cursor connection as every list query of the API returns it. */
export interface Connection<N> {
  totalCount: number;
  edges: readonly { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface CursorList<N> {
  /** The answer's rows; while `stale`, the previous answer's (see below). */
  items: N[];
  /** The answer's count; null until it arrives, and while `stale` (the old count would not match the new filter). */
  totalCount: number | null;
  /** True until the first page arrives (nothing to show yet, not even a previous answer). */
  firstLoad: boolean;
  /**
   * True while new variables (a search, a filter) load and `items` are still the previous
   * answer's rows, kept on screen rather than blanked: the table is marked busy and says it is
   * updating, "show more" waits, the empty state and the count wait for the new answer.
   */
  stale: boolean;
  loading: boolean;
  error: unknown;
  hasNextPage: boolean;
  /** The next page, merged by the cache's relayStylePagination (see lib/apollo.ts). */
  loadMore(): Promise<unknown>;
  refetch(): void;
}

/**
 * The one hook for a paginated (cursor) list: the query, its connection in the answer,
 * and "show more". Every list screen renders it with <ListView> (components/ListView.tsx).
 * The query takes `$first` and `$after`; the cache merges pages per field (lib/apollo.ts).
 *
 * Apollo Client 4 drops `data` when the variables change (a settled keystroke, a filter), so
 * the list would empty and show its loading line until the new answer came; the previous
 * answer (`previousData`) is kept as the rows meanwhile, flagged `stale`.
 */
export function useCursorList<TData, TVars extends OperationVariables & { after?: string | null }, N>(
  query: TypedDocumentNode<TData, TVars>,
  options: { variables: TVars; connection(data: TData): Connection<N> | null | undefined; skip?: boolean },
): CursorList<N> {
  const { connection, variables, skip } = options;
  const result = useQuery(query, { variables, skip, notifyOnNetworkStatusChange: true } as useQuery.Options<TData, TVars>);
  const data = result.data as TData | undefined;
  const previous = result.previousData as TData | undefined;
  // Only while loading: a failed new answer shows its error, not the old rows.
  const stale = !data && result.loading && previous !== undefined;
  const shown = data ?? (stale ? previous : undefined);
  const conn = shown ? connection(shown) : null;
  const items = useMemo(() => conn?.edges.map((e) => e.node) ?? [], [conn]);
  const endCursor = conn?.pageInfo.endCursor ?? null;
  const { fetchMore, refetch } = result;
  const loadMore = useCallback(() => fetchMore({ variables: { after: endCursor } as Partial<TVars> }), [fetchMore, endCursor]);
  return {
    items,
    totalCount: conn && !stale ? conn.totalCount : null,
    firstLoad: !data && !stale && result.loading,
    stale,
    loading: result.loading,
    error: result.error,
    hasNextPage: conn?.pageInfo.hasNextPage ?? false,
    loadMore,
    refetch: () => void refetch(),
  };
}
