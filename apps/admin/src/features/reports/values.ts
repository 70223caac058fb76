import type { ReportValueKind } from '../../gql/graphql';

/** How a report value reads in a table, a headline or a chart's axis. `null`: not defined (e.g. a rate of nothing). */
export function formatValue(value: number | null | undefined, kind: ReportValueKind): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (kind) {
    case 'RATE':
      return `${(value * 100).toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`;
    case 'MINUTES':
      return hoursMinutes(value);
    case 'HOURS':
      return `${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })} h`;
    case 'PAIN_CHANGE':
      return `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}`;
    case 'COUNT':
      return Number.isInteger(value) ? value.toLocaleString('en-GB') : value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  }
}

/** 754 → "12h 34m"; 45 → "45m"; 120 → "2h". */
export function hoursMinutes(minutes: number): string {
  const sign = minutes < 0 ? '−' : '';
  const m = Math.round(Math.abs(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${sign}${rest}m`;
  return `${sign}${h.toLocaleString('en-GB')}h${rest ? ` ${rest}m` : ''}`;
}

/** A short axis tick: rates as whole percents, minutes as hours. */
export function axisTick(value: number, kind: ReportValueKind): string {
  // A rate axis up to 10 % ticks at 2.5 %: say 2.5 %, not a rounded 3 % that sits in the wrong place.
  if (kind === 'RATE') return `${Number((value * 100).toFixed(1))}%`;
  if (kind === 'MINUTES') return `${Math.round(value / 60).toLocaleString('en-GB')}h`;
  return value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}

export type Better = 'higher' | 'lower' | 'neither';

export interface Change {
  /** The arrow, never the only sign: the words say it too. */
  arrow: '↑' | '↓' | '→' | '';
  /** "Up 3.2 points", "Down 12%", "No change", "No figure for the previous period". */
  words: string;
  /** Whether the change is for the better, by the metric's own sense (more no-shows is worse). */
  verdict: 'better' | 'worse' | 'same' | 'unknown';
}

/**
 * The change from the previous period to this one, as a person says it: rates in percentage
 * points, counts and durations in percent, pain change in points of the 0–10 scale.
 */
export function describeChange(current: number | null | undefined, previous: number | null | undefined, kind: ReportValueKind, better: Better): Change {
  if (current === null || current === undefined || previous === null || previous === undefined) {
    return { arrow: '', words: 'No figure to compare with', verdict: 'unknown' };
  }
  const diff = current - previous;
  const epsilon = kind === 'RATE' ? 0.0005 : 0.05;
  if (Math.abs(diff) < epsilon) return { arrow: '→', words: 'No change', verdict: 'same' };
  const up = diff > 0;
  let amount: string;
  if (kind === 'RATE') {
    const pts = Math.abs(diff * 100).toLocaleString('en-GB', { maximumFractionDigits: 1 });
    amount = `${pts} ${pts === '1' ? 'point' : 'points'}`;
  } else if (kind === 'PAIN_CHANGE') {
    amount = `${Math.abs(diff).toLocaleString('en-GB', { maximumFractionDigits: 1 })} on the 0–10 scale`;
  } else if (previous === 0) {
    amount = `from none to ${formatValue(current, kind)}`;
  } else {
    amount = `${Math.abs((diff / previous) * 100).toLocaleString('en-GB', { maximumFractionDigits: 0 })}%`;
  }
  const verdict = better === 'neither' ? 'same' : (better === 'higher') === up ? 'better' : 'worse';
  return { arrow: up ? '↑' : '↓', words: `${up ? 'Up' : 'Down'} ${amount}`, verdict: better === 'neither' ? 'unknown' : verdict };
}

/** "2 min ago", "3 hours ago", "just now". */
export function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto', style: 'short' });
  if (seconds < 3600) return rtf.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 86_400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  return rtf.format(-Math.round(seconds / 86_400), 'day');
}
