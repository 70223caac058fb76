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
  items: N[];
  totalCount: number | null;
  /** True until the first page arrives. */
  firstLoad: boolean;
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
 */
export function useCursorList<TData, TVars extends OperationVariables & { after?: string | null }, N>(
  query: TypedDocumentNode<TData, TVars>,
  options: { variables: TVars; connection(data: TData): Connection<N> | null | undefined; skip?: boolean },
): CursorList<N> {
  const { connection, variables, skip } = options;
  const result = useQuery(query, { variables, skip, notifyOnNetworkStatusChange: true } as useQuery.Options<TData, TVars>);
  const data = result.data as TData | undefined;
  const conn = data ? connection(data) : null;
  const items = useMemo(() => conn?.edges.map((e) => e.node) ?? [], [conn]);
  const endCursor = conn?.pageInfo.endCursor ?? null;
  const { fetchMore, refetch } = result;
  const loadMore = useCallback(() => fetchMore({ variables: { after: endCursor } as Partial<TVars> }), [fetchMore, endCursor]);
  return {
    items,
    totalCount: conn ? conn.totalCount : null,
    firstLoad: !data && result.loading,
    loading: result.loading,
    error: result.error,
    hasNextPage: conn?.pageInfo.hasNextPage ?? false,
    loadMore,
    refetch: () => void refetch(),
  };
}
