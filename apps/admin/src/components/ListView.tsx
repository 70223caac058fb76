import type { ReactNode } from 'react';
import type { CursorList } from '../lib/list';
import { LoadMore, Loading, QueryError } from './status';
import { TableScroll } from './TableScroll';

export interface Column<N> {
  /** The column's header; a visually hidden one for action columns. */
  header: ReactNode;
  cell(item: N): ReactNode;
  /** The cell that names the row (a <th scope="row">): exactly one column has it. */
  rowHeader?: boolean;
  className?: string;
}

/**
 * A table of rows: labelled, with a row header, columns described once. `busy` (a list's
 * previous rows shown while its new answer loads) sets `aria-busy` and dims the rows.
 */
export function DataTable<N>({
  label,
  columns,
  rows,
  rowKey,
  rowClassName,
  busy,
}: {
  label: string;
  columns: Column<N>[];
  rows: N[];
  rowKey(item: N): string;
  rowClassName?(item: N): string | undefined;
  busy?: boolean;
}) {
  return (
    <TableScroll label={label}>
      <table className="table" aria-label={label} aria-busy={busy}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClassName?.(row)}>
              {columns.map((c, i) =>
                c.rowHeader ? (
                  <th key={i} scope="row" className={c.className}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={i} className={c.className}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * A paginated list as every screen shows it: the error with a retry, a loading line on the
 * first page, the empty state once the answer is in, the table, and "show more".
 *
 * While a new search or filter loads (`list.stale`), the previous answer's rows stay, dimmed,
 * with `aria-busy="true"` on the table and "Updating…" in a polite status; "show more" waits,
 * and the empty state is shown only once the new answer says there is nothing. A click on a
 * previous row still opens that row's own record.
 */
export function ListView<N>({
  list,
  label,
  columns,
  rowKey,
  empty,
  loadingLabel,
  moreLabel,
  rowClassName,
}: {
  list: CursorList<N>;
  label: string;
  columns: Column<N>[];
  rowKey(item: N): string;
  empty: ReactNode;
  loadingLabel: string;
  moreLabel: string;
  rowClassName?(item: N): string | undefined;
}) {
  const { stale } = list;
  const rows = list.items.length > 0;
  return (
    <>
      {list.error ? <QueryError error={list.error} retry={list.refetch} /> : null}
      {/* The previous answer had no rows to keep: the loading line, not its empty state, until the new one is in. */}
      {list.firstLoad || (stale && !rows) ? <Loading label={loadingLabel} /> : null}
      {!list.firstLoad && !stale && !list.error && !rows ? empty : null}
      <div className={`list-view${stale ? ' list-view--stale' : ''}`}>
        {/* Always in the page, so the words are announced when they appear. */}
        <p className="list-view__status" role="status" aria-live="polite">
          {stale && rows ? (
            <>
              <span className="spinner" aria-hidden="true" />
              Updating…
            </>
          ) : null}
        </p>
        {rows ? <DataTable label={label} columns={columns} rows={list.items} rowKey={rowKey} rowClassName={rowClassName} busy={stale} /> : null}
      </div>
      {list.totalCount !== null || stale ? <LoadMore hasNextPage={list.hasNextPage} loading={list.loading && !stale} disabled={stale} onMore={list.loadMore} label={moreLabel} /> : null}
    </>
  );
}
