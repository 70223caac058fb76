import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReportValueKind } from '../../gql/graphql';
import { derivedValue } from './catalogue';
import type { ReportData, ReportSpec } from './catalogue';
import { axisTick, formatValue } from './values';

/** Distinct in hue and lightness (so a legend still tells them apart in greyscale). */
const PALETTE = ['#0f766e', '#1d4ed8', '#b45309', '#7c3aed', '#be123c'];
const SERIES_COLOURS: Record<string, string> = { reachedBenchmark: '#15803d', notReached: '#9aa3ae', onTime: '#15803d', late: '#b45309', missed: '#be123c' };
const DERIVED_LABELS: Record<string, string> = { notReached: 'Did not reach the benchmark' };

/** Rates from 0: to the next 10 % above the highest, or 0–100 % when every value is zero (not 0–400 %). */
const RATE_DOMAIN: [number, (max: number) => number] = [0, (max) => (max > 0 ? Math.ceil(max * 10) / 10 : 1)];

/** More bars than this do not read as a chart; the table under it has them all. */
export const MAX_BARS = 40;

export interface Series {
  key: string;
  label: string;
  kind: ReportValueKind;
}

export function chartSeries(spec: ReportSpec, report: ReportData): Series[] {
  return spec.chart.series
    .map((key) => {
      const column = report.columns.find((c) => c.key === key);
      if (column) return { key, label: column.label, kind: column.kind };
      return DERIVED_LABELS[key] ? { key, label: DERIVED_LABELS[key], kind: 'COUNT' as const } : null;
    })
    .filter((s): s is Series => s !== null);
}

/**
 * The report drawn: a line over time (utilisation, rates) or bars (counts, or groups that
 * are not time). The figure is an image with a one-sentence summary; the table that follows
 * on the page is its text alternative.
 */
export function ReportChart({ spec, report, overTime, summary }: { spec: ReportSpec; report: ReportData; overTime: boolean; summary: string }) {
  const series = chartSeries(spec, report);
  if (series.length === 0) return null;
  const kind = series[0].kind;
  const rows = overTime ? report.rows : report.rows.slice(0, MAX_BARS);
  const data = rows.map((row) => {
    const point: Record<string, string | number | null> = { label: row.label };
    for (const s of series) point[s.key] = derivedValue(report, row, s.key) ?? null;
    return point;
  });
  const line = overTime && spec.chart.lineOverTime;
  const colour = (key: string, i: number) => SERIES_COLOURS[key] ?? PALETTE[i % PALETTE.length];
  const common = { data, margin: { top: 12, right: 16, bottom: 4, left: 4 }, accessibilityLayer: false } as const;
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ec" vertical={false} />
      <XAxis dataKey="label" stroke="#4a5563" tick={{ fontSize: 12 }} interval="preserveStartEnd" minTickGap={12} />
      <YAxis stroke="#4a5563" tick={{ fontSize: 12 }} width={56} tickFormatter={(v: number) => axisTick(v, kind)} domain={kind === 'RATE' ? RATE_DOMAIN : ['auto', 'auto']} allowDecimals={kind !== 'COUNT'} />
      <Tooltip formatter={(value, name) => [formatValue(typeof value === 'number' ? value : null, series.find((s) => s.label === name)?.kind ?? kind), name]} />
      {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 13 }} /> : null}
    </>
  );
  return (
    <figure className="report-figure">
      <div className="report-chart" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={260}>
          {line ? (
            <LineChart {...common}>
              {axes}
              {series.map((s, i) => (
                <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={colour(s.key, i)} strokeWidth={2} strokeDasharray={i === 0 ? undefined : i === 1 ? '6 3' : '2 3'} dot={data.length <= 40 ? { r: 3 } : false} connectNulls isAnimationActive={false} />
              ))}
            </LineChart>
          ) : (
            <BarChart {...common}>
              {axes}
              {series.map((s, i) => (
                <Bar key={s.key} dataKey={s.key} name={s.label} fill={colour(s.key, i)} stackId={spec.chart.stacked ? 'stack' : undefined} isAnimationActive={false} maxBarSize={48} />
              ))}
            </BarChart>
          )}
        </ResponsiveContainer>
      </div>
      <figcaption className="small muted">
        {summary}
        {!overTime && report.rows.length > MAX_BARS ? ` The chart shows the first ${MAX_BARS} of ${report.rows.length.toLocaleString('en-GB')} groups; the table and the CSV have them all.` : ''}
      </figcaption>
    </figure>
  );
}
