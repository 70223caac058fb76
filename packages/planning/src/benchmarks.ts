import { IssueCollector } from './errors';
import { practice, Reasoned, reasoned, study } from './evidence';
import { Intake, PsfsItem } from './intake';

export type Measure = 'pain-nrs' | 'psfs' | 'odi' | 'ndi';

/** The measures taken at intake and at each re-assessment. */
export interface Measures {
  /** Pain now (0–10) per complaint id. */
  pain: { complaintId: string; score: number }[];
  psfs?: PsfsItem[];
  odi?: number;
  ndi?: number;
}

export interface Threshold {
  /** Minimal change in points. */
  points: number;
  /** Or minimal change in percent of baseline (either is enough), when the measure has one. */
  percent?: number;
}

export interface Benchmark {
  id: string;
  measure: Measure;
  complaintId?: string;
  direction: 'decrease' | 'increase';
  baseline: number;
  /** The value that meets the benchmark (the easier of the points and percent targets). */
  target: number;
  threshold: Reasoned<Threshold>;
}

export function baselineFromIntake(intake: Intake): Measures {
  return {
    pain: intake.complaints.map((c) => ({ complaintId: c.id, score: c.painNow })),
    ...(intake.function.psfs && intake.function.psfs.length > 0 ? { psfs: intake.function.psfs } : {}),
    ...(intake.function.odi !== undefined ? { odi: intake.function.odi } : {}),
    ...(intake.function.ndi !== undefined ? { ndi: intake.function.ndi } : {}),
  };
}

export const PAIN_MCID: Threshold = { points: 2, percent: 30 };
export const PSFS_MCID: Threshold = { points: 2 };
export const ODI_MCID: Threshold = { points: 10, percent: 30 };
export const NDI_MCID: Threshold = { points: 10 };

const round1 = (x: number): number => Math.round(x * 10) / 10;
export const psfsMean = (items: readonly PsfsItem[]): number =>
  round1(items.reduce((s, i) => s + i.score, 0) / items.length);

const CEILING: Record<Measure, number> = { 'pain-nrs': 10, psfs: 10, odi: 100, ndi: 50 };

function target(baseline: number, t: Threshold, direction: 'decrease' | 'increase', ceiling: number): number {
  if (direction === 'increase') return Math.min(ceiling, round1(baseline + t.points));
  const byPoints = baseline - t.points;
  const byPercent = t.percent === undefined ? -Infinity : baseline * (1 - t.percent / 100);
  return Math.max(0, round1(Math.max(byPoints, byPercent)));
}

/** The benchmarks to meet by each re-assessment, one per measure taken at baseline. */
export function buildBenchmarks(baseline: Measures): Benchmark[] {
  const out: Benchmark[] = [];
  for (const p of baseline.pain) {
    if (p.score === 0) continue;
    out.push({
      id: `pain-nrs:${p.complaintId}`,
      measure: 'pain-nrs',
      complaintId: p.complaintId,
      direction: 'decrease',
      baseline: p.score,
      target: target(p.score, PAIN_MCID, 'decrease', 10),
      threshold: reasoned(
        PAIN_MCID,
        'Pain down by at least 2 points or 30 % on the 0–10 scale: the smallest change people notice as real relief.',
        study('farrar2001'),
      ),
    });
  }
  if (baseline.psfs && baseline.psfs.length > 0) {
    const m = psfsMean(baseline.psfs);
    if (m < 10) {
      out.push({
        id: 'psfs',
        measure: 'psfs',
        direction: 'increase',
        baseline: m,
        target: target(m, PSFS_MCID, 'increase', 10),
        threshold: reasoned(PSFS_MCID, 'Your own chosen activities rated at least 2 points easier on average (0–10).', study('stratford1995')),
      });
    }
  }
  if (baseline.odi !== undefined && baseline.odi > 0) {
    out.push({
      id: 'odi',
      measure: 'odi',
      direction: 'decrease',
      baseline: baseline.odi,
      target: target(baseline.odi, ODI_MCID, 'decrease', 100),
      threshold: reasoned(ODI_MCID, 'Back-related disability (Oswestry, 0–100) down by 10 points or 30 %.', study('ostelo2008')),
    });
  }
  if (baseline.ndi !== undefined && baseline.ndi > 0) {
    out.push({
      id: 'ndi',
      measure: 'ndi',
      direction: 'decrease',
      baseline: baseline.ndi,
      target: target(baseline.ndi, NDI_MCID, 'decrease', 50),
      threshold: reasoned(
        NDI_MCID,
        'Neck-related disability (Neck Disability Index, 0–50) down by 10 points.',
        practice(
          'Published minimal important changes for the NDI vary between studies (roughly 5 to 10 of 50; see MacDermid et al., J Orthop Sports Phys Ther 2009 review); 10 of 50 is a conservative clinical choice. No trial fixes this number.',
        ),
      ),
    });
  }
  return out;
}

export type BenchmarkStatus = 'met' | 'improving' | 'unchanged' | 'worse' | 'not-measured';

export interface BenchmarkResult {
  benchmarkId: string;
  measure: Measure;
  complaintId?: string;
  baseline: number;
  current?: number;
  /** Improvement in points (positive = better), when measured. */
  improvement?: number;
  /** Improvement in percent of baseline, when measured. */
  improvementPercent?: number;
  status: BenchmarkStatus;
}

export type OverallProgress = 'all-met' | 'improving' | 'stalled' | 'worse';

export interface BenchmarkEvaluation {
  results: BenchmarkResult[];
  overall: OverallProgress;
  /** A sentence a client can read. */
  summary: string;
}

function currentValue(b: Benchmark, m: Measures): number | undefined {
  switch (b.measure) {
    case 'pain-nrs':
      return m.pain.find((p) => p.complaintId === b.complaintId)?.score;
    case 'psfs':
      return m.psfs && m.psfs.length > 0 ? psfsMean(m.psfs) : undefined;
    case 'odi':
      return m.odi;
    case 'ndi':
      return m.ndi;
  }
}

/**
 * Compares current measures with a baseline (normally the intake's; any earlier measures work)
 * against the benchmarks' thresholds.
 * `met`: the threshold is reached; `worse`: the measure moved the wrong way by at least the same
 * threshold; `improving`: better by at least half the threshold; otherwise `unchanged`.
 * Overall: worse if any is worse; all-met if every measured benchmark is met; improving if any
 * is met or improving; else stalled.
 */
export function evaluateBenchmarks(baseline: Measures, current: Measures, benchmarks: readonly Benchmark[]): BenchmarkEvaluation {
  const results: BenchmarkResult[] = benchmarks.map((bm) => {
    // The baseline passed in wins over the one stored in the benchmark (e.g. to compare with an
    // earlier re-assessment); the threshold stays the benchmark's.
    const base = currentValue(bm, baseline);
    const b: Benchmark =
      base === undefined || base === bm.baseline
        ? bm
        : { ...bm, baseline: base, target: target(base, bm.threshold.value, bm.direction, CEILING[bm.measure]) };
    const cur = currentValue(b, current);
    if (cur === undefined) return { benchmarkId: b.id, measure: b.measure, ...(b.complaintId ? { complaintId: b.complaintId } : {}), baseline: b.baseline, status: 'not-measured' };
    const improvement = round1(b.direction === 'decrease' ? b.baseline - cur : cur - b.baseline);
    const improvementPercent = b.baseline === 0 ? 0 : round1((improvement / b.baseline) * 100);
    const t = b.threshold.value;
    const reached = (x: number, pct: number): boolean => x >= t.points || (t.percent !== undefined && pct >= t.percent);
    let status: BenchmarkStatus;
    if (b.direction === 'decrease' ? cur <= b.target : cur >= b.target) status = 'met';
    else if (improvement < 0 && reached(-improvement, -improvementPercent)) status = 'worse';
    else if (improvement > 0 && reached(improvement * 2, improvementPercent * 2)) status = 'improving';
    else status = 'unchanged';
    return {
      benchmarkId: b.id,
      measure: b.measure,
      ...(b.complaintId ? { complaintId: b.complaintId } : {}),
      baseline: b.baseline,
      current: cur,
      improvement,
      improvementPercent,
      status,
    };
  });
  const measured = results.filter((r) => r.status !== 'not-measured');
  let overall: OverallProgress;
  if (measured.some((r) => r.status === 'worse')) overall = 'worse';
  else if (measured.length > 0 && measured.every((r) => r.status === 'met')) overall = 'all-met';
  else if (measured.some((r) => r.status === 'met' || r.status === 'improving')) overall = 'improving';
  else overall = 'stalled';
  const summary =
    overall === 'all-met'
      ? measured.length === 1
        ? 'The benchmark is met.'
        : `All ${measured.length} benchmarks met.`
      : overall === 'worse'
        ? `Worse on ${measured.filter((r) => r.status === 'worse').map((r) => r.benchmarkId).join(', ')}.`
        : overall === 'improving'
          ? `Improving: ${measured.filter((r) => r.status === 'met').length} of ${measured.length} ${measured.length === 1 ? 'benchmark' : 'benchmarks'} met so far.`
          : 'No meaningful change since the start.';
  return { results, overall, summary };
}

/** Validates measures from a re-assessment; throws PlanningInputError naming each bad field. */
export function validateMeasures(value: unknown, field: string, complaintIds: readonly string[]): Measures {
  const c = new IssueCollector();
  if (typeof value !== 'object' || value === null) {
    c.add(field, 'must be an object with pain scores');
    c.throwIfAny();
  }
  const m = value as Record<string, unknown>;
  const pain: Measures['pain'] = [];
  if (!Array.isArray(m.pain)) c.add(`${field}.pain`, 'must be a list of { complaintId, score }');
  else
    m.pain.forEach((p: unknown, k) => {
      const f = `${field}.pain[${k}]`;
      const o = p as Record<string, unknown>;
      if (typeof p !== 'object' || p === null) return c.add(f, 'must be an object');
      if (typeof o.complaintId !== 'string' || !complaintIds.includes(o.complaintId)) {
        return c.add(`${f}.complaintId`, `must be one of the plan's complaints (${complaintIds.join(', ')}); got ${JSON.stringify(o.complaintId)}`);
      }
      if (typeof o.score !== 'number' || !Number.isInteger(o.score) || o.score < 0 || o.score > 10) {
        return c.add(`${f}.score`, `must be a whole number from 0 to 10; got ${JSON.stringify(o.score)}`);
      }
      pain.push({ complaintId: o.complaintId, score: o.score });
    });
  const out: Measures = { pain };
  if (m.psfs !== undefined) {
    if (!Array.isArray(m.psfs)) c.add(`${field}.psfs`, 'must be a list');
    else {
      out.psfs = [];
      m.psfs.forEach((p: unknown, k) => {
        const o = (p ?? {}) as Record<string, unknown>;
        if (typeof o.activity !== 'string' || typeof o.score !== 'number' || !Number.isFinite(o.score) || o.score < 0 || o.score > 10) {
          c.add(`${field}.psfs[${k}]`, 'must be { activity, score 0–10 }');
        } else out.psfs!.push({ activity: o.activity, score: o.score });
      });
    }
  }
  const range = (name: 'odi' | 'ndi', max: number): void => {
    const v = m[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) c.add(`${field}.${name}`, `must be a number from 0 to ${max}; got ${JSON.stringify(v)}`);
    else out[name] = v;
  };
  range('odi', 100);
  range('ndi', 50);
  c.throwIfAny();
  return out;
}
