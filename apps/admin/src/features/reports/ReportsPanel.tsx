import { useApolloClient, useQuery } from '@apollo/client/react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { DateTime } from 'luxon';
import { useSearchParams } from 'react-router';
import { EmptyState, QueryError } from '../../components/status';
import type { ReportScope } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { useClinic } from '../../lib/clinic-context';
import { browserTimeZone } from '../../lib/format';
import { betterOf, layoutOrder, REPORTS } from './catalogue';
import type { ReportData, ReportSpec } from './catalogue';
import { CsvError, downloadCsv } from './csv';
import {
  defaultGrouping,
  GROUPINGS,
  isGrouping,
  isPreset,
  isTimeGrouping,
  presetRange,
  PRESETS,
  previousRange,
  rangeLabel,
  rangeProblem,
} from './range';
import type { DateRange, Grouping, Preset } from './range';
import { ReportChart } from './ReportChart';
import { ReportTable } from './ReportTable';
import { ago, describeChange, formatValue } from './values';
import './reports.css';

/** Re-renders every half minute, so "updated 2 min ago" stays true on a screen left open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

function useReport(spec: ReportSpec, scope: ReportScope) {
  // The grouping does not change the distribution report: one request whatever is picked.
  const variables = { scope: spec.ignoresGrouping ? { ...scope, groupBy: 'MONTH' as const } : scope };
  return useQuery(spec.document, { variables });
}

function freshnessText(report: ReportData, now: number): string {
  const f = report.freshness;
  const updated = f.computedAt ? `Updated ${ago(f.computedAt, now)}` : 'Not computed yet';
  const pending = f.pendingChanges === 0 ? 'up to date' : `${f.pendingChanges.toLocaleString('en-GB')} ${f.pendingChanges === 1 ? 'change' : 'changes'} pending`;
  return `${updated}; ${pending}`;
}

/** The range, grouping and preset, kept in the address so a reload or a shared link shows the same report. */
function useReportControls(timeZone: string, singleClinic: boolean) {
  const [params, setParams] = useSearchParams();
  const preset: Preset = isPreset(params.get('range')) ? (params.get('range') as Preset) : 'this-month';
  const today = DateTime.now().setZone(timeZone);
  const typed = { from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const customProblem = preset === 'custom' ? rangeProblem(typed) : null;
  const range: DateRange = preset === 'custom' ? (customProblem ? presetRange('this-month', today) : typed) : presetRange(preset, today);
  const picked = params.get('group');
  const groupOk = isGrouping(picked) && !(singleClinic && picked === 'CLINIC');
  const grouping: Grouping = groupOk ? (picked as Grouping) : defaultGrouping(range);

  // React Router's functional setSearchParams reads the params of the last render: two changes
  // before the next render (From, then To) would lose the first. Build on the newest instead.
  // The router commits each navigation later, one by one: an address this panel wrote itself
  // and has since moved past is the router catching up, not a change to adopt (adopting it
  // lost the To date when Group by followed at once). Any other address (a link, Back) is.
  const latest = useRef(params);
  const written = useRef(new Set<string>());
  useEffect(() => {
    const address = params.toString();
    if (written.current.has(address)) {
      if (address === latest.current.toString()) written.current.clear();
      return;
    }
    written.current.clear();
    latest.current = params;
  }, [params]);
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(latest.current);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    latest.current = next;
    written.current.add(next.toString());
    setParams(next, { replace: true });
  };
  return { preset, range, grouping, groupPicked: groupOk, typed, customProblem, update };
}

/** One headline: the figure for the range, and the change from the period before it in words and an arrow. */
function Headline({ spec, scope }: { spec: ReportSpec; scope: ReportScope }) {
  const { data, error, loading } = useReport(spec, scope);
  const report = data?.report;
  const column = report?.columns.find((c) => c.key === report.headline);
  const index = report && column ? report.columns.indexOf(column) : -1;
  return (
    <li className="headline">
      <span className="headline-label">{report && column ? `${column.label}` : spec.title}</span>
      {!report ? (
        <span className="headline-value headline-value--pending">{error ? 'Could not load' : loading ? 'Loading…' : '—'}</span>
      ) : !column ? (
        <span className="headline-value">—</span>
      ) : (
        (() => {
          const current = report.total.values[index];
          const previous = report.previousTotal.values[index];
          const change = describeChange(current, previous, column.kind, betterOf(column.key));
          return (
            <>
              <span className="headline-value">{formatValue(current, column.kind)}</span>
              <span className={`headline-change headline-change--${change.verdict}`}>
                {change.arrow ? <span aria-hidden="true">{change.arrow} </span> : null}
                {change.words}
                {change.verdict === 'better' || change.verdict === 'worse' ? ` (${change.verdict})` : ''}
              </span>
              <span className="headline-previous">Previous period: {formatValue(previous, column.kind)}</span>
            </>
          );
        })()
      )}
    </li>
  );
}

/** How fresh the roll-ups behind these figures are, with a way to ask again. */
function FreshnessSummary({ scope, now }: { scope: ReportScope; now: number }) {
  const client = useApolloClient();
  const [busy, setBusy] = useState(false);
  const { data } = useReport(REPORTS[0], scope);
  const refresh = async () => {
    setBusy(true);
    try {
      await client.refetchQueries({ include: REPORTS.map((r) => r.document) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="report-freshness-summary">
      <p className="small muted" aria-live="polite">
        {data ? freshnessText(data.report, now) : 'Checking how fresh the figures are…'}
      </p>
      <button type="button" className="button button--quiet" onClick={() => void refresh()} disabled={busy} aria-busy={busy || undefined}>
        {busy ? 'Refreshing…' : 'Refresh figures'}
      </button>
    </div>
  );
}

function CsvButton({ spec, title, scope, scopeName }: { spec: ReportSpec; title: string; scope: ReportScope; scopeName: string }) {
  const [state, setState] = useState<{ busy: boolean; done?: string; error?: CsvError }>({ busy: false });
  const run = async () => {
    setState({ busy: true });
    try {
      const file = await downloadCsv(spec.csvName, scopeName, scope);
      setState({ busy: false, done: file });
    } catch (e) {
      setState({ busy: false, error: e instanceof CsvError ? e : new CsvError('The export failed.', null) });
    }
  };
  return (
    <div className="csv-export">
      <button type="button" className="button" onClick={() => void run()} disabled={state.busy} aria-busy={state.busy || undefined}>
        {state.busy ? 'Preparing CSV…' : 'Download CSV'}
        <span className="visually-hidden"> of {title}</span>
      </button>
      <span className="small muted" role="status">
        {state.done ? `Downloaded ${state.done}` : ''}
      </span>
      {state.error ? (
        <p className="field-error" role="alert" data-code={state.error.code ?? undefined}>
          {state.error.message}
        </p>
      ) : null}
    </div>
  );
}

function ReportCard({ spec, scope, scopeName, groupLabel, now }: { spec: ReportSpec; scope: ReportScope; scopeName: string; groupLabel: string; now: number }) {
  const { data, error, loading, refetch } = useReport(spec, scope);
  const report = data?.report;
  const headingId = useId();
  const title = report?.title ?? spec.title;
  const overTime = !spec.ignoresGrouping && isTimeGrouping(scope.groupBy as Grouping);
  const rowsLabel = spec.ignoresGrouping ? 'Pain change' : groupLabel;
  const summary = report ? chartSummary(spec, report, rowsLabel) : '';
  return (
    <section className={spec.wide ? 'card report-card report-card--wide' : 'card report-card'} aria-labelledby={headingId} data-report={spec.csvName}>
      <div className="card-head report-head">
        <div>
          <h3 id={headingId}>{title}</h3>
          <p className="small muted report-question">{spec.question}</p>
        </div>
        <CsvButton spec={spec} title={title} scope={spec.ignoresGrouping ? { ...scope, groupBy: 'MONTH' } : scope} scopeName={scopeName} />
      </div>
      {error ? (
        <QueryError error={error} retry={() => void refetch()} />
      ) : !report ? (
        <div className="report-skeleton" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          {loading ? `Loading ${title.toLowerCase()}…` : 'No data.'}
        </div>
      ) : report.rows.every((r) => r.values.every((v) => !v)) ? (
        <EmptyState title={`No ${title.toLowerCase()} figures for this range`}>{report.note ?? 'Nothing was recorded in these dates here. Try a longer range or another clinic.'}</EmptyState>
      ) : (
        <>
          {report.note ? <p className="alert alert--info small">{report.note}</p> : null}
          <ReportChart spec={spec} report={report} overTime={overTime} summary={summary} />
          <ReportTable report={report} groupLabel={rowsLabel} />
        </>
      )}
      {report ? <p className="small muted report-freshness">{freshnessText(report, now)}</p> : null}
    </section>
  );
}

/** One sentence of what the chart shows, for those who cannot see it (the table follows). */
function chartSummary(spec: ReportSpec, report: ReportData, rowsLabel: string): string {
  const column = report.columns.find((c) => c.key === report.headline);
  const index = column ? report.columns.indexOf(column) : -1;
  const total = column ? `${column.label}: ${formatValue(report.total.values[index], column.kind)} over the range` : '';
  return `${report.title} by ${rowsLabel.toLowerCase()}, ${report.rows.length} ${report.rows.length === 1 ? 'group' : 'groups'}. ${total}.`;
}

/**
 * The reports of the organization (an admin's "All clinics") or of the clinic picked in the
 * header: headline figures with the change against the previous period, then one card per
 * report with its chart, its table and its CSV export. Managers and organization admins only;
 * the API refuses everyone else and scopes a clinic manager to their clinics.
 */
export function ReportsPanel() {
  const me = useMe();
  const { clinic, clinicId, loading: clinicsLoading } = useClinic();
  const timeZone = clinic?.timeZone ?? browserTimeZone();
  const controls = useReportControls(timeZone, clinicId !== null);
  const { preset, range, grouping, typed, customProblem, update } = controls;
  const now = useNow();
  const ids = { preset: useId(), from: useId(), to: useId(), group: useId() };
  const scope: ReportScope = useMemo(() => ({ clinicId, from: range.from, to: range.to, groupBy: grouping }), [clinicId, range.from, range.to, grouping]);
  const scopeName = clinic?.name ?? me.organization.name;
  const groupLabel = GROUPINGS.find((g) => g.value === grouping)?.label ?? 'Group';
  const previous = previousRange(range);
  const canSeeAll = me.roles.includes('ORG_ADMIN');

  if (clinicsLoading && !clinic && !canSeeAll) return <div className="report-skeleton">Loading your clinics…</div>;
  if (!canSeeAll && !clinicId) {
    return (
      <EmptyState title="No clinic to report on">
        Your role is limited to clinics that do not exist any more, or none yet. Ask an organization admin to assign you a clinic.
      </EmptyState>
    );
  }

  return (
    <section className="reports" aria-labelledby="reports-title">
      <div className="reports-head">
        <div>
          <h2 id="reports-title">Reports · {clinic ? clinic.name : `${me.organization.name}, all clinics`}</h2>
          <p className="muted small" id="reports-range">
            {rangeLabel(range)}, compared with {rangeLabel(previous)}
            {clinic ? ` · days in ${clinic.timeZone}` : ' · each clinic’s days in its own time zone'}
          </p>
        </div>
        <FreshnessSummary scope={scope} now={now} />
      </div>
      <div className="toolbar report-controls" role="group" aria-label="Report range and grouping">
        <div className="field">
          <label htmlFor={ids.preset}>Period</label>
          <select
            id={ids.preset}
            value={preset}
            onChange={(e) => {
              const value = e.target.value as Preset;
              // Custom starts from the dates shown, so the person edits rather than types both.
              update(value === 'custom' ? { range: value, from: range.from, to: range.to } : { range: value, from: null, to: null });
            }}
          >
            {PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        {preset === 'custom' ? (
          <>
            <div className={`field${customProblem?.field === 'from' ? ' field--invalid' : ''}`}>
              <label htmlFor={ids.from}>From</label>
              <input
                id={ids.from}
                type="date"
                value={typed.from}
                max={typed.to || undefined}
                aria-invalid={customProblem?.field === 'from' || undefined}
                aria-describedby={customProblem?.field === 'from' ? `${ids.from}-error` : undefined}
                onChange={(e) => update({ from: e.target.value })}
              />
              {customProblem?.field === 'from' ? (
                <p className="field-error" id={`${ids.from}-error`}>
                  {customProblem.message}
                </p>
              ) : null}
            </div>
            <div className={`field${customProblem?.field === 'to' ? ' field--invalid' : ''}`}>
              <label htmlFor={ids.to}>To</label>
              <input
                id={ids.to}
                type="date"
                value={typed.to}
                min={typed.from || undefined}
                aria-invalid={customProblem?.field === 'to' || undefined}
                aria-describedby={customProblem?.field === 'to' ? `${ids.to}-error` : undefined}
                onChange={(e) => update({ to: e.target.value })}
              />
              {customProblem?.field === 'to' ? (
                <p className="field-error" id={`${ids.to}-error`}>
                  {customProblem.message}
                </p>
              ) : null}
            </div>
          </>
        ) : null}
        <div className="field">
          <label htmlFor={ids.group}>Group by</label>
          <select id={ids.group} value={grouping} onChange={(e) => update({ group: e.target.value })}>
            {GROUPINGS.filter((g) => !(clinicId && g.value === 'CLINIC')).map((g) => (
              <option key={g.value} value={g.value}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {customProblem ? <p className="alert alert--info small">Showing this month until the custom range is complete: {customProblem.message}</p> : null}

      <h3 className="visually-hidden">Headline figures</h3>
      <ul className="headlines" aria-label="Headline figures against the previous period">
        {REPORTS.filter((r) => !r.ignoresGrouping).map((spec) => (
          <Headline key={spec.csvName} spec={spec} scope={scope} />
        ))}
      </ul>

      <div className="report-grid">
        {layoutOrder(REPORTS).map((spec) => (
          <ReportCard key={spec.csvName} spec={spec} scope={scope} scopeName={scopeName} groupLabel={groupLabel} now={now} />
        ))}
      </div>
    </section>
  );
}
