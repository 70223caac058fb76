import { bucketKey, bucketLabel, bucketsOf, checkRange, dayCount, localDay, minutesBetween, previousPeriod } from './dates';
import { REPORTS, disciplinePairKey, disciplinePairLabel, painBucket, rangePosition, rate, sumCounters, timeliness } from './metrics';

/** A report's figures from some of its counters (the rest are irrelevant to it). */
const figures = (name: keyof typeof REPORTS, c: Record<string, number>): unknown[] => (REPORTS[name].values as (c: Record<string, number>) => unknown[])(c);

describe('clinic-local days', () => {
  it.each([
    // Europe/London springs forward on 2026-03-29 at 01:00 UTC.
    ['2026-03-28T23:30:00Z', 'Europe/London', '2026-03-28'],
    ['2026-03-29T00:30:00Z', 'Europe/London', '2026-03-29'],
    ['2026-03-29T23:30:00Z', 'Europe/London', '2026-03-30'],
    // New York falls back on 2026-11-01 at 06:00 UTC; 03:30 UTC is still the 31st there.
    ['2026-11-01T03:30:00Z', 'America/New_York', '2026-10-31'],
    ['2026-11-01T04:30:00Z', 'America/New_York', '2026-11-01'],
    ['2026-11-02T04:30:00Z', 'America/New_York', '2026-11-01'],
    ['2026-11-02T05:30:00Z', 'America/New_York', '2026-11-02'],
    ['2026-06-30T22:00:00Z', 'Australia/Sydney', '2026-07-01'],
  ])('%s in %s is %s', (instant, zone, day) => {
    expect(localDay(new Date(instant), zone)).toBe(day);
  });

  it('measures a booking across the DST night on the clock', () => {
    // 00:30–03:30 local in London on the spring-forward night is two real hours.
    expect(minutesBetween(new Date('2026-03-29T00:30:00Z'), new Date('2026-03-29T02:30:00Z'))).toBe(120);
  });

  it('sums clinics each in its own zone: one instant, two local days', () => {
    const instant = new Date('2026-03-02T03:00:00Z');
    const rows = [
      { day: localDay(instant, 'America/Los_Angeles'), booked: 1 },
      { day: localDay(instant, 'Europe/Berlin'), booked: 1 },
    ];
    expect(rows.map((r) => r.day)).toEqual(['2026-03-01', '2026-03-02']);
    const byDay = new Map<string, number>();
    for (const r of rows) byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.booked);
    expect([...byDay]).toEqual([['2026-03-01', 1], ['2026-03-02', 1]]);
    expect(sumCounters(['booked'], rows)).toEqual({ booked: 2 });
  });
});

describe('ranges and buckets', () => {
  it.each([
    ['2026-03-01', '2026-03-31', null],
    ['2026-3-1', '2026-03-31', 'from'],
    ['2026-02-30', '2026-03-31', 'from'],
    ['2026-03-01', 'soon', 'to'],
    ['2026-03-31', '2026-03-01', 'to'],
    ['2026-01-01', '2029-01-01', null],
    ['2026-01-01', '2029-01-02', 'to'],
  ])('%s..%s: problem with %s', (from, to, field) => {
    expect(checkRange(from, to)?.field ?? null).toBe(field);
  });

  it.each([
    ['2026-03-01', '2026-03-31', '2026-01-29', '2026-02-28', 31],
    ['2026-03-10', '2026-03-10', '2026-03-09', '2026-03-09', 1],
    // Equal length, not the calendar year before: 2024 has 366 days.
    ['2024-01-01', '2024-12-31', '2022-12-31', '2023-12-31', 366],
    // A range over a DST change is still whole days.
    ['2026-03-23', '2026-04-05', '2026-03-09', '2026-03-22', 14],
  ])('the period before %s..%s is %s..%s', (from, to, pf, pt, days) => {
    expect(dayCount(from, to)).toBe(days);
    expect(previousPeriod(from, to)).toEqual({ from: pf, to: pt });
    expect(dayCount(pf, pt)).toBe(days);
  });

  it.each([
    ['2026-03-04', 'DAY', '2026-03-04'],
    ['2026-03-04', 'WEEK', '2026-W10'],
    ['2026-03-04', 'MONTH', '2026-03'],
    ['2027-01-01', 'WEEK', '2026-W53'],
    ['2024-12-30', 'WEEK', '2025-W01'],
  ] as const)('%s by %s is %s', (day, g, key) => {
    expect(bucketKey(day, g)).toBe(key);
  });

  it('lists every bucket of a range in time order', () => {
    expect(bucketsOf('2026-02-27', '2026-03-02', 'DAY')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(bucketsOf('2026-01-15', '2026-03-02', 'MONTH')).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(bucketsOf('2026-03-01', '2026-03-16', 'WEEK')).toEqual(['2026-W09', '2026-W10', '2026-W11', '2026-W12']);
    expect(bucketLabel('2026-W10', 'WEEK')).toBe('Week 10, 2026');
    expect(bucketLabel('2026-03', 'MONTH')).toBe('March 2026');
  });
});

describe('metrics', () => {
  it.each([
    [{ bookedMinutes: 90, availableMinutes: 360 }, [90, 360, 0.25]],
    [{ bookedMinutes: 0, availableMinutes: 0 }, [0, 0, null]],
    // Booked beyond the hours (an extra slot): over 100 %.
    [{ bookedMinutes: 120, availableMinutes: 60 }, [120, 60, 2]],
  ])('utilisation of %o', (c, values) => {
    expect(figures('utilisation', c)).toEqual(values);
  });

  it.each([
    [{ booked: 10, completed: 6, noShows: 2, lateCancels: 1, cancels: 1 }, [10, 6, 2, 1, 1, 0.2, 0.1, 0.1]],
    [{ booked: 0, completed: 0, noShows: 0, lateCancels: 0, cancels: 0 }, [0, 0, 0, 0, 0, null, null, null]],
  ])('attendance of %o', (c, values) => {
    expect(figures('attendance', c)).toEqual(values);
  });

  it('outcomes: the mean pain change is over plans with a measurement; the share over all plans', () => {
    expect(figures('outcomes', { plans: 4, painMeasured: 2, painChange: -6, reachedBenchmark: 1 })).toEqual([4, -3, 1, 0.25]);
    expect(figures('outcomes', { plans: 1, painMeasured: 0, painChange: 0, reachedBenchmark: 0 })).toEqual([1, null, 0, 0]);
  });

  it('plan sessions: means and positions against the range', () => {
    expect(figures('plan-sessions', { plans: 2, sessions: 9, expectedMin: 8, expectedMax: 12, withinRange: 1, belowRange: 1, aboveRange: 0 })).toEqual([2, 4.5, 4, 6, 1, 1, 0]);
    expect([rangePosition(3, 4, 6), rangePosition(4, 4, 6), rangePosition(6, 4, 6), rangePosition(7, 4, 6)]).toEqual(['below', 'within', 'within', 'above']);
  });

  it.each([
    [28, 4, 'onTime'],
    [29, 4, 'late'],
    [56, 4, 'late'],
    [57, 4, 'missed'],
    [0, 2, 'onTime'],
  ] as const)('a re-assessment %i days after the previous, cadence %i weeks: %s', (days, weeks, verdict) => {
    expect(timeliness(days, weeks)).toBe(verdict);
  });

  it('re-assessment and retention rates', () => {
    expect(figures('reassessment-timeliness', { onTime: 3, late: 1, missed: 0 })).toEqual([3, 1, 0, 0.75]);
    expect(figures('retention', { inMaintenance: 0, bookedWithinInterval: 0 })).toEqual([0, 0, null]);
  });

  it('referral flows: each side counts once; the rate is over sent + received, the mean over the accepted', () => {
    expect(figures('referral-flow', { sent: 3, received: 1, accepted: 2, hoursToAccept: 5 })).toEqual([3, 1, 2, 0.5, 2.5]);
    expect(figures('referral-flow', { sent: 0, received: 0, accepted: 0, hoursToAccept: 0 })).toEqual([0, 0, 0, null, null]);
    expect(figures('referral-flow', { sent: 2, received: 0, accepted: 0, hoursToAccept: 0 })).toEqual([2, 0, 0, 0, null]);
  });

  it.each([
    ['MASSAGE_THERAPIST', 'PHYSIOTHERAPIST', 'Massage therapist → Physiotherapist'],
    ['UNKNOWN', 'PAIN_SPECIALIST', 'Unknown → Pain specialist'],
  ])('the discipline pair %s→%s reads "%s"', (from, to, label) => {
    expect(disciplinePairKey(from, to)).toBe(`${from}→${to}`);
    expect(disciplinePairLabel(disciplinePairKey(from, to))).toBe(label);
  });

  it.each([
    [-3.4, '-3'],
    [-3.5, '-3'],
    [-12, '-10'],
    [0.2, '0'],
    [-0.2, '0'],
    [11, '10'],
  ])('pain change %d falls in bucket %s', (change, bucket) => {
    expect(painBucket(change)).toBe(bucket);
  });

  it('rates refuse nothing to divide by', () => {
    expect(rate(1, 0)).toBeNull();
    expect(rate(0, 3)).toBe(0);
  });

  it('every column key of a report is unique and its headline is one of them', () => {
    for (const r of Object.values(REPORTS)) {
      const keys = r.columns.map((c) => c.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toContain(r.headline);
      const zero = Object.fromEntries(r.counters.map((k) => [k, 0]));
      expect((r.values as (c: Record<string, number>) => unknown[])(zero)).toHaveLength(keys.length);
    }
  });
});
