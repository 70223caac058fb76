/**
 * When the next re-assessment falls due: after `everySessions` sessions or `everyWeeks` weeks
 * since the anchor (the last re-assessment, or the start of the current phase), whichever comes
 * first. Pure: the API (plan.nextReassessment) and the worker (the re-assessment sweep) share it.
 */
export interface DueInput {
  cadence: { everySessions: number; everyWeeks: number };
  sessionsCompleted: number;
  /** Sessions completed at the anchor. */
  anchorSession: number;
  /** When the anchor happened. */
  anchorAt: Date;
  now: Date;
}

export interface Due {
  dueAtSession: number;
  dueBy: Date;
  sessionsUntilDue: number;
  isDue: boolean;
  /** Which limit makes it due first (or made it due). */
  by: 'SESSIONS' | 'WEEKS';
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

export function reassessmentDue(i: DueInput): Due {
  const dueAtSession = i.anchorSession + i.cadence.everySessions;
  const dueBy = new Date(i.anchorAt.getTime() + i.cadence.everyWeeks * WEEK_MS);
  const bySessions = i.sessionsCompleted >= dueAtSession;
  const byWeeks = i.now.getTime() >= dueBy.getTime();
  return {
    dueAtSession,
    dueBy,
    sessionsUntilDue: Math.max(0, dueAtSession - i.sessionsCompleted),
    isDue: bySessions || byWeeks,
    by: bySessions || !byWeeks ? 'SESSIONS' : 'WEEKS',
  };
}
