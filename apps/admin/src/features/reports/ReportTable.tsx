import { useState } from 'react';
import type { ReportData } from './catalogue';
import { formatValue } from './values';
import { TableScroll } from '../../components/TableScroll';

/** Rows shown before "Show all": a chain's practitioner grouping has thousands. */
const FIRST_ROWS = 50;

/**
 * Any report as a table: one row per group, one column per figure, the total in the foot.
 * Rates read as percentages, minutes as hours and minutes; "—" is a figure that is not
 * defined (a rate of nothing).
 */
export function ReportTable({ report, groupLabel }: { report: ReportData; groupLabel: string }) {
  const [all, setAll] = useState(false);
  const rows = all ? report.rows : report.rows.slice(0, FIRST_ROWS);
  return (
    <div className="report-table">
      {/* Scrolls on its own when long: focusable, so the keyboard can scroll it too. */}
      <TableScroll label={`${report.title} table`} alwaysFocusable>
        <table className="table table--compact table--numeric" aria-label={`${report.title} by ${groupLabel.toLowerCase()}`}>
          <thead>
            <tr>
              <th scope="col">{groupLabel}</th>
              {report.columns.map((c) => (
                <th scope="col" key={c.key}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-key={row.key}>
                <th scope="row">{row.label}</th>
                {report.columns.map((c, i) => (
                  <td key={c.key} data-value={row.values[i] ?? ''} title={row.values[i] === null ? 'Not defined: nothing to divide by' : undefined}>
                    {formatValue(row.values[i], c.kind)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-key="total">
              <th scope="row">Total</th>
              {report.columns.map((c, i) => (
                <td key={c.key} data-value={report.total.values[i] ?? ''}>
                  {formatValue(report.total.values[i], c.kind)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </TableScroll>
      {report.rows.length > FIRST_ROWS ? (
        <button type="button" className="button button--quiet" aria-expanded={all} onClick={() => setAll((v) => !v)}>
          {all ? `Show the first ${FIRST_ROWS} rows` : `Show all ${report.rows.length.toLocaleString('en-GB')} rows`}
        </button>
      ) : null}
    </div>
  );
}
