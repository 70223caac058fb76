import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ClientChartPageQuery } from '../../gql/graphql';
import { TableScroll } from '../../components/TableScroll';
import { formatDateTime, formatDay } from '../../lib/format';

type Point = NonNullable<ClientChartPageQuery['clientChart']>['trajectory'][number];
export interface BenchmarkLine {
  measure: string;
  target: number;
  direction: string;
}

const SOURCE: Record<string, string> = {
  INTAKE: 'Intake',
  SESSION_START: 'Session start',
  SESSION_END: 'Session end',
  REASSESSMENT: 'Re-assessment',
};

// The benchmark labels sit right of the plot, where no measurement can fall (the x axis ends at
// the last one), on two lines ("Pain benchmark" / "≤ 3"): this much room is kept for them, the
// longer line at 12 px in a wide sans-serif (DejaVu Sans: 101 and 127 px) and the 8 px gap.
const LABEL_ROOM = { pain: 120, function: 146 };
// Two lines of 12 px text, and roughly how tall one unit of the 0–10 axis is in the plot.
const LABEL_HEIGHT_PX = 30;
const UNIT_PX = 21;

/**
 * A benchmark line's name and target, outside the plot at the line's right end, centred on the
 * line. `dy` moves it off another benchmark's label when the two targets are close.
 */
function BenchmarkLabel({ viewBox, name, target, fill, dy }: { viewBox?: unknown; name: string; target: string; fill: string; dy: number }) {
  const box = viewBox as { x?: number; y?: number; width?: number } | undefined;
  if (box?.x === undefined || box.y === undefined || box.width === undefined) return null;
  const x = box.x + box.width + 8;
  return (
    <text x={x} y={box.y + dy} fill={fill} fontSize={12} className="benchmark-label">
      {/* The space keeps the words apart in the text a test or a copy reads: "Pain benchmark ≤ 3". */}
      <tspan x={x} dy="-0.25em">
        {name}{' '}
      </tspan>
      <tspan x={x} dy="1.2em">
        {target}
      </tspan>
    </text>
  );
}

/** How far (px) each of two benchmark labels moves apart so they do not cover each other. */
function labelSpread(a: number, b: number): number {
  const gap = Math.abs(a - b) * UNIT_PX;
  return gap >= LABEL_HEIGHT_PX ? 0 : (LABEL_HEIGHT_PX - gap) / 2;
}

const day = (ms: number) => formatDay(new Date(ms).toISOString(), { weekday: false });
const dayTime = (ms: number) => formatDateTime(new Date(ms).toISOString());

/**
 * Pain (0–10) and function (PSFS, 0–10) over time, with the plan's benchmarks as dashed
 * lines: where the client should be by each re-assessment. The same figures follow as a
 * table, for anyone who cannot see the chart.
 */
export function TrajectoryChart({ points, benchmarks }: { points: readonly Point[]; benchmarks: readonly BenchmarkLine[] }) {
  const data = points.map((p) => ({ t: new Date(p.at).getTime(), pain: p.painNrs ?? null, psfs: p.psfs ?? null, source: SOURCE[p.source] ?? p.source }));
  const hasPsfs = data.some((d) => d.psfs !== null);
  // Measurements within two days of each other (an intake and the first session) need the time too.
  const span = data.length ? data[data.length - 1].t - data[0].t : 0;
  const tick = span < 2 * 86_400_000 ? dayTime : day;
  const pain = benchmarks.find((b) => b.measure === 'pain-nrs');
  const psfs = benchmarks.find((b) => b.measure === 'psfs');
  const showPsfs = Boolean(psfs && hasPsfs);
  // Both labels near one height: the higher target's goes up, the other's down (the y axis grows upwards).
  const spread = pain && psfs && showPsfs ? labelSpread(pain.target, psfs.target) : 0;
  const painDy = pain && psfs && spread ? (pain.target >= psfs.target ? -spread : spread) : 0;
  const right = showPsfs ? LABEL_ROOM.function : pain ? LABEL_ROOM.pain : 24;
  const summary = `Pain and function over ${data.length} measurements${pain ? `; the benchmark is pain ${pain.direction === 'decrease' ? 'at most' : 'at least'} ${pain.target}` : ''}.`;
  return (
    <figure className="trajectory">
      <div className="trajectory-chart" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={300}>
          <LineChart data={data} margin={{ top: 16, right, bottom: 8, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ec" />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} minTickGap={24} stroke="#4a5563" />
            <YAxis domain={[0, 10]} ticks={[0, 2, 4, 6, 8, 10]} stroke="#4a5563" />
            <Tooltip labelFormatter={(v) => dayTime(Number(v))} />
            <Legend />
            <Line type="monotone" dataKey="pain" name="Pain (0–10)" stroke="#b42318" strokeWidth={2} connectNulls dot={{ r: 4 }} isAnimationActive={false} />
            {hasPsfs ? <Line type="monotone" dataKey="psfs" name="Function, PSFS (0–10)" stroke="#1d4ed8" strokeWidth={2} connectNulls dot={{ r: 4 }} isAnimationActive={false} /> : null}
            {pain ? (
              <ReferenceLine
                y={pain.target}
                stroke="#b42318"
                strokeDasharray="6 4"
                className="benchmark-line benchmark-line--pain"
                label={<BenchmarkLabel name="Pain benchmark" target={`${pain.direction === 'decrease' ? '≤' : '≥'} ${pain.target}`} fill="#7a1a12" dy={painDy} />}
              />
            ) : null}
            {psfs && showPsfs ? (
              <ReferenceLine
                y={psfs.target}
                stroke="#1d4ed8"
                strokeDasharray="6 4"
                className="benchmark-line benchmark-line--psfs"
                label={<BenchmarkLabel name="Function benchmark" target={`≥ ${psfs.target}`} fill="#1e3a8a" dy={-painDy} />}
              />
            ) : null}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="small muted">{summary} Dashed lines: the plan&apos;s benchmarks.</figcaption>
      <details className="trajectory-table">
        <summary>The figures as a table</summary>
        <TableScroll label="Pain and function measurements">
          <table className="table table--compact" aria-label="Pain and function measurements">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">From</th>
                <th scope="col">Pain (0–10)</th>
                <th scope="col">PSFS (0–10)</th>
                <th scope="col">ODI</th>
                <th scope="col">NDI</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p, i) => (
                <tr key={i}>
                  <th scope="row">{formatDateTime(p.at)}</th>
                  <td>{SOURCE[p.source] ?? p.source}</td>
                  <td>{p.painNrs ?? '—'}</td>
                  <td>{p.psfs ?? '—'}</td>
                  <td>{p.odi ?? '—'}</td>
                  <td>{p.ndi ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </figure>
  );
}
