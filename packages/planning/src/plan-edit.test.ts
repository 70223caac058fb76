import { applyEdit, PlanEditError, pressureCap, type PlanEdit } from './plan-edit';
import { proposePlan, type TreatmentPlan } from './plan';
import type { IntakeInput } from './intake';
import { baseIntake, NOW } from './testing/fixtures';

function plan(o: Partial<IntakeInput> = {}): TreatmentPlan {
  const p = proposePlan(baseIntake(o), { now: NOW });
  if (p.blocked) throw new Error('unexpectedly blocked');
  return p;
}
const edit = (e: Omit<PlanEdit, 'reason'>): PlanEdit => ({ reason: 'Adjusted with the client.', ...e });
const anticoagulated = { medications: [{ name: 'apixaban', class: 'anticoagulant' as const }] };

describe('plan edits: what a practitioner may change (one row per rule, each naming its source)', () => {
  const refused: { rule: string; source: string; intake?: Partial<IntakeInput>; edit: PlanEdit; field: string; problem: RegExp; detail?: Record<string, unknown> }[] = [
    {
      rule: 'a technique screening ruled out stays out',
      source: 'screening modify.anticoagulants: "Blood thinners … firm pressure, cupping and scraping are avoided."',
      intake: anticoagulated,
      edit: edit({ addTechniques: [{ complaintId: 'lb', technique: 'deep-tissue' }] }),
      field: 'addTechniques[0].technique',
      problem: /ruled out by screening rule modify\.anticoagulants/,
      detail: { rule: 'modify.anticoagulants' },
    },
    {
      rule: 'a technique needing more pressure than the client’s cap is refused',
      source: 'TECHNIQUE_MIN_PRESSURE: trigger-point work needs at least moderate tolerance (clinical practice)',
      intake: { pressureTolerance: 'light' },
      edit: edit({ addTechniques: [{ complaintId: 'lb', technique: 'trigger-point' }] }),
      field: 'addTechniques[0].technique',
      problem: /needs at least moderate pressure; this client's limit is light/,
    },
    {
      rule: 'an added technique’s pressure is capped by the lower of tolerance and screening',
      source: 'seed 002 (pressure tolerance at intake) and screening modify.osteoporosis: maxPressure moderate',
      intake: { pressureTolerance: 'deep', health: { osteoporosis: true } },
      edit: edit({ addTechniques: [{ complaintId: 'lb', technique: 'swedish', pressure: 'firm' }] }),
      field: 'addTechniques[0].pressure',
      problem: /firm is above this client's limit of moderate/,
    },
    {
      rule: 'a technique must be a known one',
      source: 'the plan’s technique list (seed 000: Swedish, deep tissue, trigger point, myofascial release …)',
      edit: edit({ addTechniques: [{ complaintId: 'lb', technique: 'reiki' }] }),
      field: 'addTechniques[0].technique',
      problem: /must be one of swedish/,
    },
    {
      rule: 'a technique treats one of the intake’s complaints',
      source: 'a plan treats the complaints assessed at intake (SPEC, the clinical flow: Plan)',
      edit: edit({ addTechniques: [{ complaintId: 'zz', technique: 'swedish' }] }),
      field: 'addTechniques[0].complaintId',
      problem: /intake's complaints \(lb\)/,
    },
    {
      rule: 'a removed technique must be in the plan',
      source: 'plans are versioned: each change names what changed (SPEC)',
      edit: edit({ removeTechniques: [{ complaintId: 'lb', technique: 'cupping' }] }),
      field: 'removeTechniques[0]',
      problem: /does not use: cupping/,
    },
    {
      rule: 'a phase must exist',
      source: 'the plan’s phases (seed 001: initial, tapering, maintenance)',
      edit: edit({ phases: [{ index: 7, sessionLengthMinutes: 30 }] }),
      field: 'phases[0].index',
      problem: /there is no phase 7/,
    },
    {
      rule: 'sessions: min ≤ likely',
      source: 'every count is a range min ≤ likely ≤ max (docs/planning-rules.md)',
      edit: edit({ phases: [{ index: 0, sessionsMin: 9, sessionsLikely: 5, sessionsMax: 10 }] }),
      field: 'phases[0].sessionsMin',
      problem: /must not exceed the likely number of sessions \(5\)/,
    },
    {
      rule: 'sessions: likely ≤ max',
      source: 'every count is a range min ≤ likely ≤ max (docs/planning-rules.md)',
      edit: edit({ phases: [{ index: 0, sessionsMin: 2, sessionsLikely: 5, sessionsMax: 3 }] }),
      field: 'phases[0].sessionsMax',
      problem: /must not be below the likely number of sessions \(5\)/,
    },
    {
      rule: 'home care names only the intake’s complaints',
      source: 'home care is part of the plan for the assessed complaints (seed 000: stretches, exercises, self-massage)',
      edit: edit({ homeCare: [{ complaintId: 'zz', kind: 'stretch', description: 'Hamstring stretch', daysPerWeek: 5 }] }),
      field: 'homeCare[0].complaintId',
      problem: /intake's complaints/,
    },
  ];

  it.each(refused)('refuses: $rule', ({ intake, edit: e, field, problem, detail }) => {
    const body = plan(intake);
    const before = JSON.stringify(body);
    let err: unknown;
    try {
      applyEdit(body, e, 3);
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(PlanEditError);
    const issue = (err as PlanEditError).issues[0];
    expect(issue.field).toBe(field);
    expect(issue.problem).toMatch(problem);
    if (detail) expect(issue.detail).toEqual(detail);
    // Refused before anything changed, or at least the caller stores nothing (it throws).
    if (field.startsWith('addTechniques') || field.startsWith('phases[0].index')) expect(JSON.stringify(body)).toBe(before);
  });

  const applied: { rule: string; source: string; intake?: Partial<IntakeInput>; edit: PlanEdit; check: (p: TreatmentPlan, changes: string[]) => void }[] = [
    {
      rule: 'frequency and sessions set by the practitioner carry their reason, and the duration follows',
      source: 'SPEC: "Every number in a plan carries its reason"; duration = sessions ÷ frequency',
      edit: edit({ phases: [{ index: 0, frequencySessions: 1, frequencyPerWeeks: 1, sessionsMin: 4, sessionsLikely: 6, sessionsMax: 8 }] }),
      check: (p, changes) => {
        expect(p.phases[0].frequency.value).toEqual({ sessions: 1, perWeeks: 1 });
        expect(p.phases[0].frequency.reason).toMatch(/changed by the practitioner: Adjusted with the client\./);
        expect(p.phases[0].frequency.evidence.kind).toBe('clinical-practice');
        expect(p.phases[0].sessions.value).toEqual({ min: 4, likely: 6, max: 8 });
        expect(p.phases[0].durationWeeks?.value).toEqual({ min: 4, likely: 6, max: 8 });
        expect(changes).toEqual([`${p.phases[0].label}: 1 session(s) every 1 week(s).`, `${p.phases[0].label}: 4–8 sessions, most likely 6.`]);
      },
    },
    {
      rule: 'an added technique defaults to the client’s pressure cap',
      source: 'seed 002 (pressure tolerance); screening modify.osteoporosis: maxPressure moderate',
      intake: { pressureTolerance: 'deep', health: { osteoporosis: true } },
      edit: edit({ addTechniques: [{ complaintId: 'lb', technique: 'assisted-stretching' }] }),
      check: (p, changes) => {
        expect(pressureCap(p)).toBe('moderate');
        expect(p.techniques.find((t) => t.technique === 'assisted-stretching')).toMatchObject({ pressure: 'moderate', reason: 'Added by the practitioner: Adjusted with the client.' });
        expect(changes).toEqual(['Technique added: assisted-stretching at up to moderate pressure (lb).']);
      },
    },
    {
      rule: 'a removed technique is kept as excluded, with the practitioner’s reason',
      source: 'plans are versioned: each change keeps who, when and why (SPEC)',
      edit: edit({ removeTechniques: [{ complaintId: 'lb', technique: 'swedish' }] }),
      check: (p) => {
        expect(p.techniques.some((t) => t.technique === 'swedish')).toBe(false);
        expect(p.excludedTechniques).toContainEqual({ complaintId: 'lb', technique: 'swedish', reason: 'Removed by the practitioner: Adjusted with the client.' });
      },
    },
    {
      rule: 'home care is replaced as a whole',
      source: 'seed 000: home care (stretches, exercises, self-massage)',
      edit: edit({ homeCare: [{ kind: 'exercise', description: 'Bird-dog, 2 × 10', daysPerWeek: 4 }] }),
      check: (p, changes) => {
        expect(p.homeCare).toEqual([expect.objectContaining({ kind: 'exercise', description: 'Bird-dog, 2 × 10', daysPerWeek: expect.objectContaining({ value: 4 }) })]);
        expect(changes).toEqual(['Home care replaced (1 item(s)).']);
      },
    },
    {
      rule: 'an edit that names nothing changes nothing',
      source: 'the API refuses an empty edit (it would be a version without a change)',
      edit: edit({}),
      check: (_p, changes) => expect(changes).toEqual([]),
    },
  ];

  it.each(applied)('applies: $rule', ({ intake, edit: e, check }) => {
    const body = plan(intake);
    check(body, applyEdit(body, e, 3));
  });
});
