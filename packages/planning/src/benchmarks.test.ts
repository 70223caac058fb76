import { buildBenchmarks, evaluateBenchmarks } from './index';
import type { Measures } from './index';

const baseline: Measures = { pain: [{ complaintId: 'a', score: 8 }], psfs: [{ activity: 'run', score: 3 }, { activity: 'sit', score: 5 }], odi: 40, ndi: 30 };
const bms = buildBenchmarks(baseline);

describe('benchmarks (one row per threshold)', () => {
  it.each([
    { id: 'pain-nrs:a', source: 'Farrar 2001: 2 points or 30 %', target: 6 },
    { id: 'psfs', source: 'Stratford 1995: +2 points', target: 6 },
    { id: 'odi', source: 'Ostelo 2008: 10 points or 30 %', target: 30 },
    { id: 'ndi', source: 'clinical practice: 10 of 50', target: 20 },
  ])('$id → target $target ($source)', ({ id, target }) => {
    expect(bms.find((b) => b.id === id)!.target).toBe(target);
  });

  it.each([
    { name: 'all met', current: { pain: [{ complaintId: 'a', score: 5 }], psfs: [{ activity: 'run', score: 6 }, { activity: 'sit', score: 7 }], odi: 25, ndi: 18 }, overall: 'all-met' },
    { name: '30 % is enough when 2 points is not reached (baseline 3 → 2)', current: { pain: [{ complaintId: 'a', score: 2 }] }, overall: 'all-met', base: { pain: [{ complaintId: 'a', score: 3 }] } },
    { name: 'improving: pain −1 (half the threshold)', current: { pain: [{ complaintId: 'a', score: 7 }] }, overall: 'improving' },
    { name: 'stalled: nothing moved', current: { pain: [{ complaintId: 'a', score: 8 }], odi: 40 }, overall: 'stalled' },
    { name: 'worse: pain +2', current: { pain: [{ complaintId: 'a', score: 10 }] }, overall: 'worse' },
    { name: 'worse: ODI +12', current: { pain: [{ complaintId: 'a', score: 6 }], odi: 52 }, overall: 'worse' },
  ])('$name → $overall', ({ current, overall, base }) => {
    const b = base ?? baseline;
    const e = evaluateBenchmarks(b, current as Measures, buildBenchmarks(b));
    expect(e.overall).toBe(overall);
    expect(e.summary.length).toBeGreaterThan(5);
  });

  it('unmeasured benchmarks are reported as not-measured and ignored in the overall result', () => {
    const e = evaluateBenchmarks(baseline, { pain: [{ complaintId: 'a', score: 5 }] }, bms);
    expect(e.results.filter((r) => r.status === 'not-measured').map((r) => r.benchmarkId)).toEqual(['psfs', 'odi', 'ndi']);
    expect(e.overall).toBe('all-met');
  });

  it('a different baseline (an earlier re-assessment) recomputes targets with the same thresholds', () => {
    const e = evaluateBenchmarks({ pain: [{ complaintId: 'a', score: 5 }] }, { pain: [{ complaintId: 'a', score: 5 }] }, bms);
    expect(e.results[0]).toMatchObject({ baseline: 5, improvement: 0, status: 'unchanged' });
  });
});
