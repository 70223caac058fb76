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

/** What the anchor is chosen from: the plan's re-assessments and versions, as stored. */
export interface AnchorInput {
  /** The plan's re-assessments (newest first, as listed); DISMISSED ones do not count. */
  reassessments: readonly { status: string; assessedAt: Date; sessionsCompleted: number }[];
  /** The plan's versions; an EDITED version (a change of details) does not restart the count. */
  versions: readonly { changeKind: string; changedAt: Date }[];
  /** Sessions completed when the current phase began (the plan body's `phaseStartedAtSession`). */
  phaseStartedAtSession: number;
}

/**
 * Where the re-assessment count starts: the later of the last re-assessment that was not
 * dismissed and the last time the plan changed course (acceptance, a re-assessment's decision,
 * a status) — an edit of the plan's details neither postpones nor repeats a re-assessment.
 * The session count starts at that re-assessment's sessions or at the start of the current
 * phase, whichever is later. Null when there is nothing to anchor on (a plan has at least its
 * first version, so only for incomplete input). The worker's sweep anchors the same way.
 */
export function reassessmentAnchor(i: AnchorInput): Pick<DueInput, 'anchorSession' | 'anchorAt'> | null {
  const latest = <T>(rows: readonly T[], at: (r: T) => Date): T | undefined =>
    rows.reduce<T | undefined>((best, r) => (!best || at(r).getTime() > at(best).getTime() ? r : best), undefined);
  const last = latest(i.reassessments.filter((r) => r.status !== 'DISMISSED'), (r) => r.assessedAt);
  const course = latest(i.versions.filter((v) => v.changeKind !== 'EDITED'), (v) => v.changedAt);
  const times = [last?.assessedAt, course?.changedAt].filter((d): d is Date => !!d).map((d) => new Date(d).getTime());
  if (times.length === 0) return null;
  return { anchorSession: Math.max(last?.sessionsCompleted ?? 0, i.phaseStartedAtSession), anchorAt: new Date(Math.max(...times)) };
}
