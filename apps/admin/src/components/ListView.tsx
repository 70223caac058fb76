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

/** A table of rows: labelled, with a row header, columns described once. */
export function DataTable<N>({ label, columns, rows, rowKey, rowClassName }: { label: string; columns: Column<N>[]; rows: N[]; rowKey(item: N): string; rowClassName?(item: N): string | undefined }) {
  return (
    <TableScroll label={label}>
      <table className="table" aria-label={label}>
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
  return (
    <>
      {list.error ? <QueryError error={list.error} retry={list.refetch} /> : null}
      {list.firstLoad ? <Loading label={loadingLabel} /> : null}
      {!list.firstLoad && !list.error && list.items.length === 0 ? empty : null}
      {list.items.length > 0 ? <DataTable label={label} columns={columns} rows={list.items} rowKey={rowKey} rowClassName={rowClassName} /> : null}
      {list.totalCount !== null ? <LoadMore hasNextPage={list.hasNextPage} loading={list.loading} onMore={list.loadMore} label={moreLabel} /> : null}
    </>
  );
}
