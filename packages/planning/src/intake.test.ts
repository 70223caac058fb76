import { PlanningInputError, validateIntake } from './index';
import { baseIntake, NOW } from './testing/fixtures';

function issuesOf(input: unknown): { field: string; problem: string }[] {
  try {
    validateIntake(input, { now: NOW });
  } catch (e) {
    expect(e).toBeInstanceOf(PlanningInputError);
    return (e as PlanningInputError).issues;
  }
  throw new Error('expected a PlanningInputError');
}

const complaint = baseIntake().complaints[0];

describe('validateIntake: bad input is a typed error naming the field, never a clamped value', () => {
  const rows: { name: string; input: unknown; field: string; problem: RegExp }[] = [
    { name: 'pain score of 11', input: baseIntake({ complaints: [{ ...complaint, painNow: 11, painWorst: 11 }] }), field: 'complaints[0].painNow', problem: /from 0 to 10; got 11/ },
    { name: 'negative pain', input: baseIntake({ complaints: [{ ...complaint, painWorst: -1 }] }), field: 'complaints[0].painWorst', problem: /from 0 to 10/ },
    { name: 'fractional NRS', input: baseIntake({ complaints: [{ ...complaint, painNow: 4.5 }] }), field: 'complaints[0].painNow', problem: /whole number/ },
    { name: 'onset in the future', input: baseIntake({ complaints: [{ ...complaint, onsetDate: '2026-04-01' }] }), field: 'complaints[0].onsetDate', problem: /in the future/ },
    { name: 'onset not a date', input: baseIntake({ complaints: [{ ...complaint, onsetDate: '2026-02-30' }] }), field: 'complaints[0].onsetDate', problem: /YYYY-MM-DD/ },
    { name: 'pain now above worst pain (contradiction)', input: baseIntake({ complaints: [{ ...complaint, painNow: 8, painWorst: 6 }] }), field: 'complaints[0].painNow', problem: /contradicts painWorst/ },
    { name: 'acute stated for a pain of 9 months (contradiction)', input: baseIntake({ complaints: [{ ...complaint, chronicity: 'acute' }] }), field: 'complaints[0].chronicity', problem: /contradicts onsetDate/ },
    { name: 'chronic stated for a pain of 5 days (contradiction)', input: baseIntake({ complaints: [{ ...complaint, onsetDate: '2026-02-25', chronicity: 'chronic' }] }), field: 'complaints[0].chronicity', problem: /contradicts onsetDate/ },
    { name: 'NDI without a neck complaint (contradiction)', input: baseIntake({ function: { ndi: 20 } }), field: 'function.ndi', problem: /Neck Disability Index applies to neck/ },
    { name: 'ODI without a back complaint (contradiction)', input: baseIntake({ complaints: [{ ...complaint, region: 'knee' }], function: { odi: 20 } }), field: 'function.odi', problem: /Oswestry/ },
    { name: 'pain relief the only goal with no pain (contradiction)', input: baseIntake({ complaints: [{ ...complaint, painNow: 0, painWorst: 0 }], goals: ['pain-relief'] }), field: 'goals', problem: /every pain score is 0/ },
    { name: 'cancer treatment but no cancer history (contradiction)', input: baseIntake({ health: { activeCancerTreatment: true, historyOfCancer: false } }), field: 'health.historyOfCancer', problem: /contradicts/ },
    { name: 'ODI above 100', input: baseIntake({ function: { odi: 120 } }), field: 'function.odi', problem: /0 to 100/ },
    { name: 'NDI above 50', input: baseIntake({ complaints: [{ ...complaint, region: 'neck' }], function: { ndi: 51 } }), field: 'function.ndi', problem: /0 to 50/ },
    { name: 'PSFS item above 10', input: baseIntake({ function: { psfs: [{ activity: 'run', score: 12 }] } }), field: 'function.psfs[0].score', problem: /0 to 10/ },
    { name: 'unknown body region', input: baseIntake({ complaints: [{ ...complaint, region: 'tail' as never }] }), field: 'complaints[0].region', problem: /must be one of/ },
    { name: 'no complaints', input: baseIntake({ complaints: [] }), field: 'complaints', problem: /at least one/ },
    { name: 'duplicate complaint id', input: baseIntake({ complaints: [complaint, { ...complaint, region: 'neck' }] }), field: 'complaints[1].id', problem: /duplicates/ },
    { name: 'no goals', input: baseIntake({ goals: [] }), field: 'goals', problem: /at least one/ },
    { name: 'zero sessions a week', input: baseIntake({ commitment: { sessionsPerWeek: 0 } }), field: 'commitment.sessionsPerWeek', problem: /at least one session a month/ },
    { name: 'budget of 0 sessions', input: baseIntake({ commitment: { sessionsPerWeek: 1, budgetSessions: 0 } }), field: 'commitment.budgetSessions', problem: /from 1/ },
    { name: 'age 150', input: baseIntake({ age: 150 }), field: 'age', problem: /0 to 120/ },
    { name: 'stress 11', input: baseIntake({ lifestyle: { activity: 'high', workPosture: 'desk', stress: 11, sleep: 'good' } }), field: 'lifestyle.stress', problem: /0 to 10/ },
    { name: 'pregnancy of 50 weeks', input: baseIntake({ health: { pregnancyWeeks: 50 } }), field: 'health.pregnancyWeeks', problem: /1 to 42/ },
    { name: 'surgery dated in the future', input: baseIntake({ health: { recentSurgery: [{ region: 'knee', side: 'left', date: '2026-05-01' }] } }), field: 'health.recentSurgery[0].date', problem: /in the future/ },
    { name: 'unknown medication class', input: baseIntake({ medications: [{ name: 'x', class: 'magic' as never }] }), field: 'medications[0].class', problem: /must be one of/ },
    { name: 'not an object', input: 42, field: 'intake', problem: /object/ },
  ];
  it.each(rows)('$name → $field', ({ input, field, problem }) => {
    const issues = issuesOf(input);
    const issue = issues.find((i) => i.field === field);
    expect(issue).toBeDefined();
    expect(issue!.problem).toMatch(problem);
  });

  it('reports every issue at once', () => {
    const issues = issuesOf(baseIntake({ age: -1, complaints: [{ ...complaint, painNow: 11 }], goals: [] }));
    expect(issues.map((i) => i.field)).toEqual(expect.arrayContaining(['age', 'complaints[0].painNow', 'goals']));
  });

  it('rejects an invalid now', () => {
    expect(() => validateIntake(baseIntake(), { now: 'yesterday' })).toThrow(PlanningInputError);
  });
});

describe('validateIntake: valid input', () => {
  it('derives ids and chronicity from the onset (acute < 6 weeks, sub-acute 6–12, chronic ≥ 12)', () => {
    const intake = validateIntake(
      baseIntake({
        complaints: [
          { ...complaint, id: undefined, onsetDate: '2026-02-20' },
          { ...complaint, id: undefined, region: 'neck', onsetDate: '2026-01-05' },
          { ...complaint, id: undefined, region: 'knee', onsetDate: '2025-10-01' },
        ],
      }),
      { now: NOW },
    );
    expect(intake.complaints.map((c) => [c.id, c.chronicity])).toEqual([
      ['c1', 'acute'],
      ['c2', 'sub-acute'],
      ['c3', 'chronic'],
    ]);
    expect(intake.assessedAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('accepts a Date for now and a stated chronicity within the 2-week slack', () => {
    const intake = validateIntake(baseIntake({ complaints: [{ ...complaint, onsetDate: '2026-01-10', chronicity: 'acute' }] }), {
      now: new Date(Date.UTC(2026, 2, 2)),
    });
    expect(intake.complaints[0].chronicity).toBe('acute');
  });
});
