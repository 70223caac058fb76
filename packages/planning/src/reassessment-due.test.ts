import { reassessmentAnchor, reassessmentDue } from './reassessment-due';

// Re-assess "after everySessions sessions or everyWeeks weeks, whichever comes first":
// seed 003 ("Periodic assessments and benchmarks allow the client and therapist to track
// the progress") and the plan's cadence (docs/planning-rules.md, re-assessment cadence).
const anchorAt = new Date('2026-03-02T10:00:00Z');
const cadence = { everySessions: 4, everyWeeks: 4 };

describe('reassessmentDue: sessions or weeks, whichever comes first', () => {
  it.each([
    ['not yet: 2 sessions, 1 week', 2, '2026-03-09T10:00:00Z', { isDue: false, sessionsUntilDue: 2, dueAtSession: 4 }],
    ['due by sessions: 4 sessions in 2 weeks', 4, '2026-03-16T10:00:00Z', { isDue: true, by: 'SESSIONS', sessionsUntilDue: 0 }],
    ['due by weeks: 4 weeks with only 2 sessions (missed visits)', 2, '2026-03-30T10:00:00Z', { isDue: true, by: 'WEEKS', sessionsUntilDue: 2 }],
    ['one minute before the weeks limit', 1, '2026-03-30T09:59:00Z', { isDue: false }],
  ])('%s', (_label, sessionsCompleted, now, expected) => {
    const due = reassessmentDue({ cadence, sessionsCompleted, anchorSession: 0, anchorAt, now: new Date(now) });
    expect(due).toMatchObject(expected);
    expect(due.dueBy.toISOString()).toBe('2026-03-30T10:00:00.000Z');
  });

  it('counts from the anchor (the last re-assessment), not from the start of the plan', () => {
    const due = reassessmentDue({ cadence, sessionsCompleted: 6, anchorSession: 4, anchorAt: new Date('2026-03-30T10:00:00Z'), now: new Date('2026-04-06T10:00:00Z') });
    expect(due).toMatchObject({ isDue: false, dueAtSession: 8, sessionsUntilDue: 2 });
  });
});

describe('reassessmentAnchor: where the count starts', () => {
  const v = (changeKind: string, at: string) => ({ changeKind, changedAt: new Date(at) });
  const r = (status: string, at: string, sessionsCompleted: number) => ({ status, assessedAt: new Date(at), sessionsCompleted });
  it.each([
    ['the acceptance, with no re-assessment yet', [], [v('EDITED', '2026-03-10T10:00:00Z'), v('ACCEPTED', '2026-03-02T10:00:00Z'), v('PROPOSED', '2026-03-01T10:00:00Z')], 0, { anchorSession: 0, anchorAt: '2026-03-02T10:00:00Z' }],
    ['an edit of the plan’s details does not restart the count', [], [v('EDITED', '2026-03-20T10:00:00Z'), v('ACCEPTED', '2026-03-02T10:00:00Z')], 0, { anchorSession: 0, anchorAt: '2026-03-02T10:00:00Z' }],
    ['the last re-assessment, its sessions', [r('ACCEPTED', '2026-03-30T10:00:00Z', 4)], [v('ACCEPTED', '2026-03-02T10:00:00Z')], 0, { anchorSession: 4, anchorAt: '2026-03-30T10:00:00Z' }],
    ['a dismissed re-assessment does not count', [r('DISMISSED', '2026-04-06T10:00:00Z', 5), r('ACCEPTED', '2026-03-30T10:00:00Z', 4)], [v('ACCEPTED', '2026-03-02T10:00:00Z')], 0, { anchorSession: 4, anchorAt: '2026-03-30T10:00:00Z' }],
    ['a later change of course (a re-assessment’s decision) moves it; sessions from the phase start', [r('ACCEPTED', '2026-03-30T10:00:00Z', 4)], [v('STEP_DOWN', '2026-03-31T10:00:00Z')], 6, { anchorSession: 6, anchorAt: '2026-03-31T10:00:00Z' }],
  ])('%s', (_label, reassessments, versions, phaseStartedAtSession, expected) => {
    const a = reassessmentAnchor({ reassessments, versions, phaseStartedAtSession });
    expect(a && { anchorSession: a.anchorSession, anchorAt: a.anchorAt.toISOString().replace('.000', '') }).toEqual(expected);
  });

  it('has nothing to anchor on without versions or re-assessments', () => {
    expect(reassessmentAnchor({ reassessments: [], versions: [], phaseStartedAtSession: 0 })).toBeNull();
  });
});
