import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { csvFileName, csvUrl } from './csv';
import { layoutOrder, REPORTS } from './catalogue';
import { defaultGrouping, presetRange, previousRange, rangeDays, rangeLabel, rangeProblem } from './range';
import { axisTick, describeChange, formatValue, hoursMinutes } from './values';

const today = DateTime.fromISO('2026-11-29', { zone: 'Europe/London' });

describe('the date-range presets', () => {
  it.each([
    ['this-month', { from: '2026-11-01', to: '2026-11-29' }],
    ['last-month', { from: '2026-10-01', to: '2026-10-31' }],
    ['last-3-months', { from: '2026-09-01', to: '2026-11-29' }],
    ['this-year', { from: '2026-01-01', to: '2026-11-29' }],
  ] as const)('%s', (preset, range) => {
    expect(presetRange(preset, today)).toEqual(range);
  });

  it('last month of January is December of the year before', () => {
    expect(presetRange('last-month', DateTime.fromISO('2027-01-10'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('compares with the same number of days just before', () => {
    expect(previousRange({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ from: '2026-10-02', to: '2026-10-31' });
    expect(rangeDays({ from: '2026-01-01', to: '2026-12-31' })).toBe(365);
  });

  it('groups a month by day, a quarter by week, a year by month', () => {
    expect(defaultGrouping({ from: '2026-11-01', to: '2026-11-30' })).toBe('DAY');
    expect(defaultGrouping({ from: '2026-09-01', to: '2026-11-29' })).toBe('WEEK');
    expect(defaultGrouping({ from: '2026-01-01', to: '2026-11-29' })).toBe('MONTH');
  });

  it('labels a range with its year once', () => {
    expect(rangeLabel({ from: '2026-11-01', to: '2026-11-29' })).toBe('1 Nov – 29 Nov 2026');
    expect(rangeLabel({ from: '2025-12-01', to: '2026-01-31' })).toBe('1 Dec 2025 – 31 Jan 2026');
  });
});

describe('a custom range', () => {
  it.each([
    [{ from: '', to: '2026-11-01' }, 'from'],
    [{ from: '2026-11-01', to: '' }, 'to'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
    [{ from: '2026-11-02', to: '2026-11-01' }, 'to'],
    [{ from: '2023-01-01', to: '2026-01-02' }, 'to'],
  ])('refuses %j naming %s', (range, field) => {
    expect(rangeProblem(range)?.field).toBe(field);
  });

  it('accepts a single day and exactly three years', () => {
    expect(rangeProblem({ from: '2026-11-01', to: '2026-11-01' })).toBeNull();
    expect(rangeProblem({ from: '2023-01-01', to: '2026-01-01' })).toBeNull();
  });
});

describe('report values as people read them', () => {
  it.each([
    [0.7234, 'RATE', '72.3%'],
    [0, 'RATE', '0.0%'],
    [754, 'MINUTES', '12h 34m'],
    [45, 'MINUTES', '45m'],
    [120, 'MINUTES', '2h'],
    [90000, 'MINUTES', '1,500h'],
    [3.25, 'HOURS', '3.3 h'],
    [-2.14, 'PAIN_CHANGE', '−2.1'],
    [1.5, 'PAIN_CHANGE', '+1.5'],
    [12345, 'COUNT', '12,345'],
    [2.456, 'COUNT', '2.5'],
    [null, 'RATE', '—'],
  ] as const)('%p as %s reads %s', (value, kind, text) => {
    expect(formatValue(value, kind)).toBe(text);
  });

  it('writes minutes as hours and minutes, negative too', () => {
    expect(hoursMinutes(-61)).toBe('−1h 1m');
  });
});

describe('chart axis ticks', () => {
  it('label a rate tick where it sits: 2.5 % and 7.5 % on a 0–10 % axis, whole percents as such', () => {
    expect([0, 0.025, 0.05, 0.075, 0.1].map((v) => axisTick(v, 'RATE'))).toEqual(['0%', '2.5%', '5%', '7.5%', '10%']);
    expect(axisTick(0.2, 'RATE')).toBe('20%');
    expect(axisTick(0.1 + 0.2, 'RATE')).toBe('30%');
  });
});

describe('the change against the previous period', () => {
  it('says rates in points and whether that is better, in words and an arrow', () => {
    expect(describeChange(0.75, 0.7, 'RATE', 'higher')).toEqual({ arrow: '↑', words: 'Up 5 points', verdict: 'better' });
    expect(describeChange(0.12, 0.1, 'RATE', 'lower')).toEqual({ arrow: '↑', words: 'Up 2 points', verdict: 'worse' });
    expect(describeChange(0.1, 0.11, 'RATE', 'lower')).toEqual({ arrow: '↓', words: 'Down 1 point', verdict: 'better' });
  });

  it('says counts in percent, from none when the previous period had none', () => {
    expect(describeChange(110, 100, 'COUNT', 'higher')).toMatchObject({ arrow: '↑', words: 'Up 10%' });
    expect(describeChange(5, 0, 'COUNT', 'higher')).toMatchObject({ arrow: '↑', words: 'Up from none to 5' });
  });

  it('says when nothing changed, or there is nothing to compare', () => {
    expect(describeChange(0.5, 0.5, 'RATE', 'higher')).toEqual({ arrow: '→', words: 'No change', verdict: 'same' });
    expect(describeChange(0.5, null, 'RATE', 'higher')).toEqual({ arrow: '', words: 'No figure to compare with', verdict: 'unknown' });
    expect(describeChange(3, 2, 'COUNT', 'neither').verdict).toBe('unknown');
  });
});

describe('the CSV export', () => {
  const scope = { clinicId: 'c1', from: '2026-11-01', to: '2026-11-29', groupBy: 'WEEK' as const };
  it('asks the API for the scope', () => {
    expect(csvUrl('plan-sessions', scope)).toBe('/reports/plan-sessions.csv?clinicId=c1&from=2026-11-01&to=2026-11-29&groupBy=WEEK');
    expect(csvUrl('utilisation', { ...scope, clinicId: null })).toBe('/reports/utilisation.csv?from=2026-11-01&to=2026-11-29&groupBy=WEEK');
  });

  it('names the file by report, scope and range', () => {
    expect(csvFileName('utilisation', 'Harbour Physio & Massage — Zürich', scope)).toBe('utilisation_harbour-physio-massage-zurich_2026-11-01_to_2026-11-29_by-week.csv');
    expect(csvFileName('clients', '!!!', scope)).toBe('clients_organization_2026-11-01_to_2026-11-29_by-week.csv');
  });
});

describe('the order of the report cards, two to a row', () => {
  const spec = (csvName: string, wide = false) => ({ ...REPORTS[0], csvName, wide });
  const names = (specs: { csvName: string }[]) => specs.map((s) => s.csvName);

  it('moves a wide card after the narrow one that completes the row before it', () => {
    expect(names(layoutOrder([spec('a'), spec('W', true), spec('b'), spec('c')]))).toEqual(['a', 'b', 'W', 'c']);
  });

  it('keeps the order when every row is full, and puts a wide card left waiting last', () => {
    expect(names(layoutOrder([spec('W', true), spec('a'), spec('b'), spec('V', true)]))).toEqual(['W', 'a', 'b', 'V']);
    expect(names(layoutOrder([spec('a'), spec('W', true)]))).toEqual(['a', 'W']);
  });

  it('lays out the dashboard with no half-empty row before a wide card', () => {
    const ordered = layoutOrder(REPORTS);
    expect(new Set(names(ordered))).toEqual(new Set(names(REPORTS)));
    let half = false;
    for (const s of ordered) {
      if (s.wide) expect(half).toBe(false);
      else half = !half;
    }
  });
});
