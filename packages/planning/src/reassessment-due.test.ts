import { reassessmentDue } from './reassessment-due';

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
