import { proposePlan, sessionsPerWeek, TreatmentPlan } from './index';
import type { ComplaintInput, IntakeInput } from './index';
import { baseIntake, NOW } from './testing/fixtures';

function plan(o: Partial<IntakeInput>): TreatmentPlan {
  const p = proposePlan(baseIntake(o), { now: NOW });
  if (p.blocked) throw new Error('unexpectedly blocked');
  return p;
}
const c = (x: Partial<ComplaintInput>): ComplaintInput => ({
  id: 'x', region: 'lower-back', side: 'central', onsetDate: '2025-06-01', cause: 'posture', painNow: 5, painWorst: 7, ...x,
});
const acute = c({ id: 'a', region: 'calf', side: 'left', onsetDate: '2026-02-20', cause: 'strain', painNow: 4, painWorst: 6 });
const noFn = { function: {} };

describe('plan proposal rules (one row per rule, each naming its source)', () => {
  const rows: { rule: string; source: string; intake: Partial<IntakeInput>; check: (p: TreatmentPlan) => void }[] = [
    {
      rule: 'acute pain: a few weekly sessions, no tapering',
      source: 'seed 000: "In just a few sessions, you may find relief for acute pain from recent injuries or muscle strain."',
      intake: { complaints: [acute], ...noFn },
      check: (p) => {
        expect(p.protocol.id).toBe('acute');
        expect(p.phases[0].sessions.value).toEqual({ min: 2, likely: 3, max: 5 });
        expect(p.phases[0].frequency.value).toEqual({ sessions: 1, perWeeks: 1 });
        expect(p.phases.map((x) => x.kind)).toEqual(['initial']);
      },
    },
    {
      rule: 'acute severe pain: twice weekly',
      source: 'seed 000: "Initially, more frequent sessions, such as weekly or bi-weekly, may be required…"; seed 001: "The frequency is guided by … how severe your condition is."',
      intake: { complaints: [{ ...acute, painNow: 8, painWorst: 9 }], ...noFn },
      check: (p) => {
        expect(p.severity.value).toBe('severe');
        expect(p.phases[0].frequency.value).toEqual({ sessions: 2, perWeeks: 1 });
      },
    },
    {
      rule: 'chronic pain: weekly for about 2–4 weeks, then taper, then maintenance every 1–3 months',
      source: 'seed 001: "For chronic pain, initial treatments might involve sessions once a week for about 2 to 4 weeks." / "…maintenance visits could be scheduled anywhere from once every 1 to 3 months."',
      intake: { complaints: [c({ region: 'shoulder', side: 'right' })], ...noFn },
      check: (p) => {
        expect(p.protocol.id).toBe('chronic-general');
        expect(p.phases.map((x) => x.kind)).toEqual(['initial', 'tapering', 'maintenance']);
        expect(p.phases[0].frequency.value).toEqual({ sessions: 1, perWeeks: 1 });
        expect(p.phases[0].durationWeeks!.value).toEqual({ min: 2, likely: 4, max: 6 });
        const m = p.phases[2];
        expect(m.frequency.value.perWeeks).toBeGreaterThanOrEqual(4);
        expect(m.frequency.value.perWeeks).toBeLessThanOrEqual(13);
      },
    },
    {
      rule: 'maintenance is tagged clinical practice, not trial evidence',
      source: 'issue 3: "maintenance every 1–3 months is clinical practice, not trial evidence — say so"; seed 001',
      intake: { complaints: [c({ region: 'shoulder', side: 'right' })], ...noFn },
      check: (p) => {
        const ev = p.phases[2].frequency.evidence;
        expect(ev.kind).toBe('clinical-practice');
        if (ev.kind === 'clinical-practice') {
          expect(ev.statement).toMatch(/no trial/);
          expect(ev.seed?.file).toBe('001_1a27680e51b9f122.txt');
        }
      },
    },
    {
      rule: 'chronic neck pain: 60 minutes twice weekly for 4 weeks',
      source: 'Sherman KJ et al. 2014 (Ann Fam Med): 60-min sessions 2–3×/week for 4 weeks beat 30-min ones',
      intake: { complaints: [c({ region: 'neck' })], ...noFn },
      check: (p) => {
        expect(p.protocol.id).toBe('chronic-neck');
        expect(p.phases[0].frequency.value).toEqual({ sessions: 2, perWeeks: 1 });
        expect(p.phases[0].sessionLengthMinutes.value).toBe(60);
        expect(p.phases[0].sessionLengthMinutes.evidence.kind).toBe('trial');
        expect(p.phases[0].durationWeeks!.value.likely).toBe(4);
      },
    },
    {
      rule: 'chronic neck pain, severe: three times weekly when the client can come',
      source: 'Sherman KJ et al. 2014: the three-times-weekly 60-minute arm',
      intake: { complaints: [c({ region: 'neck', painNow: 8, painWorst: 9 })], commitment: { sessionsPerWeek: 3 }, ...noFn },
      check: (p) => expect(p.phases[0].frequency.value).toEqual({ sessions: 3, perWeeks: 1 }),
    },
    {
      rule: 'chronic low back pain: up to 10 weekly sessions',
      source: 'Cherkin DC et al. 2011 (Ann Intern Med): 10 weekly sessions',
      intake: {},
      check: (p) => {
        expect(p.protocol.id).toBe('chronic-low-back');
        expect(p.phases[0].sessions.value.likely).toBe(10);
        expect(p.phases[0].frequency.value).toEqual({ sessions: 1, perWeeks: 1 });
        expect(p.phases[0].sessions.evidence).toMatchObject({ kind: 'trial', citation: expect.stringMatching(/^Cherkin DC/) });
      },
    },
    {
      rule: 'knee osteoarthritis: 60 minutes weekly for 8 weeks',
      source: 'Perlman AI et al. 2012 (PLoS One) dose-finding trial',
      intake: { complaints: [c({ region: 'knee', side: 'left', cause: 'unknown' })], conditions: ['osteoarthritis'], ...noFn },
      check: (p) => {
        expect(p.protocol.id).toBe('knee-osteoarthritis');
        expect(p.phases[0].sessions.value.likely).toBe(8);
      },
    },
    {
      rule: 'fibromyalgia: weekly for at least 5 weeks, pressure capped at moderate, weekly even when severe',
      source: 'Li YH et al. 2014 (PLoS One) meta-analysis; seed 000: chronic conditions "may benefit from an extended treatment plan"',
      intake: { complaints: [c({ region: 'upper-back', painNow: 8, painWorst: 9 })], conditions: ['fibromyalgia'], pressureTolerance: 'deep', ...noFn },
      check: (p) => {
        expect(p.protocol.id).toBe('fibromyalgia');
        expect(p.phases[0].frequency.value).toEqual({ sessions: 1, perWeeks: 1 });
        expect(p.phases[0].sessions.value.min).toBeGreaterThanOrEqual(5);
        expect(p.techniques.every((t) => t.pressure === 'moderate')).toBe(true);
      },
    },
    {
      rule: 'age over 65 adds a likely session',
      source: 'seed 000: "Age, general health, and forbearance to massage pressure can impact the number of therapeutic massage sessions needed."',
      intake: { age: 70, complaints: [c({ region: 'shoulder', side: 'right' })], ...noFn },
      check: (p) => {
        expect(p.adjustments.map((a) => a.factor)).toContain('age');
        expect(p.phases[0].sessions.value.likely).toBe(5);
      },
    },
    {
      rule: 'poor general health adds sessions and shortens them to 45 minutes',
      source: 'seed 000: "Age, general health, and forbearance to massage pressure…"',
      intake: { generalHealth: 'poor', complaints: [c({ region: 'shoulder', side: 'right' })], ...noFn },
      check: (p) => {
        expect(p.phases[0].sessions.value).toEqual({ min: 2, likely: 5, max: 8 });
        expect(p.phases[0].sessionLengthMinutes.value).toBe(45);
      },
    },
    {
      rule: 'light pressure tolerance: one more session, no deep tissue or trigger point',
      source: 'seed 000 (forbearance to massage pressure); seed 002: "…how much pressure you can tolerate…"',
      intake: { pressureTolerance: 'light', complaints: [c({ region: 'shoulder', side: 'right' })], ...noFn },
      check: (p) => {
        expect(p.phases[0].sessions.value.likely).toBe(5);
        const t = p.techniques.map((x) => x.technique);
        expect(t).not.toContain('deep-tissue');
        expect(t).not.toContain('trigger-point');
        expect(t).toContain('swedish');
      },
    },
    {
      rule: 'high self-care willingness saves a session',
      source: 'seed 000: "Following your therapist\'s recommendations for stretches, exercises, and self-massage techniques can … reduce the number of sessions required."',
      intake: { selfCareWillingness: 'high', complaints: [c({ region: 'shoulder', side: 'right' })], ...noFn },
      check: (p) => expect(p.phases[0].sessions.value.likely).toBe(3),
    },
    {
      rule: 'no self-care: one more session and a minimal home programme',
      source: 'seed 000 (self-care reduces sessions)',
      intake: { selfCareWillingness: 'none', complaints: [c({ region: 'shoulder', side: 'right' })], ...noFn },
      check: (p) => {
        expect(p.phases[0].sessions.value.likely).toBe(5);
        expect(p.homeCare.filter((h) => h.complaintId).length).toBe(1);
        expect(p.homeCare[0].daysPerWeek.value).toBe(2);
      },
    },
    {
      rule: 'stress, poor sleep or sitting widens the range',
      source: 'seed 000: "Your daily activities, stance, and self-care practices … can either complement or inhibit the efficacy of the therapy."',
      intake: { lifestyle: { activity: 'sedentary', workPosture: 'desk', stress: 8, sleep: 'poor' }, complaints: [c({ region: 'shoulder', side: 'right' })], ...noFn },
      check: (p) => {
        expect(p.phases[0].sessions.value.max).toBe(7);
        expect(p.homeCare.map((h) => h.kind)).toEqual(expect.arrayContaining(['posture', 'relaxation']));
      },
    },
    {
      rule: 'several areas add a likely session',
      source: 'seed 003: "…depending on the client and the area or areas being addressed."',
      intake: { complaints: [c({ id: 'a', region: 'shoulder', side: 'right' }), c({ id: 'b', region: 'hip', side: 'left' })], ...noFn },
      check: (p) => expect(p.adjustments.map((a) => a.factor)).toContain('several-areas'),
    },
    {
      rule: 'commitment below the recommended rhythm lowers frequency, keeps the count, warns',
      source: 'seed 001: "Consider if you are able to commit to initial weekly sessions for a few weeks…"; "Your ability to adhere to the recommended frequency…"',
      intake: { complaints: [c({ region: 'neck' })], commitment: { sessionsPerWeek: 1 }, ...noFn },
      check: (p) => {
        expect(p.phases[0].frequency.value).toEqual({ sessions: 1, perWeeks: 1 });
        expect(p.phases[0].sessions.value.likely).toBe(8);
        expect(p.phases[0].durationWeeks!.value.likely).toBe(8);
        expect(p.warnings.map((w) => w.code)).toContain('COMMITMENT_BELOW_RECOMMENDED');
      },
    },
    {
      rule: 'budget below the likely count is a warning, not a clamp',
      source: 'issue 3: never a silently clamped value',
      intake: { commitment: { sessionsPerWeek: 1, budgetSessions: 8 } },
      check: (p) => {
        expect(p.expectedSessions.value.likely).toBeGreaterThan(8);
        expect(p.warnings.map((w) => w.code)).toContain('BUDGET_BELOW_LIKELY');
      },
    },
    {
      rule: 'benchmarks: pain −2 points or −30 %, PSFS +2, ODI −10 points or −30 %',
      source: 'Farrar 2001; Stratford 1995; Ostelo 2008',
      intake: {},
      check: (p) => {
        const b = Object.fromEntries(p.benchmarks.map((x) => [x.id, x]));
        expect(b['pain-nrs:lb'].threshold.value).toEqual({ points: 2, percent: 30 });
        expect(b['pain-nrs:lb'].target).toBe(3.5);
        expect(b.psfs.target).toBe(6);
        expect(b.odi.target).toBe(21);
      },
    },
    {
      rule: 'NDI benchmark −10 of 50, tagged clinical practice',
      source: 'MacDermid 2009 review (published MCIDs vary) — clinical practice',
      intake: { complaints: [c({ region: 'neck' })], function: { ndi: 24 } },
      check: (p) => {
        const ndi = p.benchmarks.find((x) => x.id === 'ndi')!;
        expect(ndi.target).toBe(14);
        expect(ndi.threshold.evidence.kind).toBe('clinical-practice');
      },
    },
    {
      rule: 'acute sprain: no deep tissue, cold packs',
      source: 'seed 000: "Heat or cold packs can be combined with massage to reduce inflammation…"; clinical practice',
      intake: { complaints: [{ ...acute, cause: 'sprain', region: 'ankle-foot' }], ...noFn },
      check: (p) => {
        const t = p.techniques.map((x) => x.technique);
        expect(t).toContain('hot-cold');
        expect(t).not.toContain('deep-tissue');
      },
    },
    {
      rule: 'chronic overuse with firm tolerance: cupping and scraping offered',
      source: 'seed 003: "Advanced techniques such as myofascial release, deep tissue massage, trigger point therapy, scraping massage, and cupping…"',
      intake: { complaints: [c({ region: 'forearm', side: 'right', cause: 'overuse' })], ...noFn },
      check: (p) => expect(p.techniques.map((x) => x.technique)).toEqual(expect.arrayContaining(['cupping', 'scraping', 'deep-tissue', 'trigger-point'])),
    },
    {
      rule: 're-assessment every 4 sessions or 4 weeks in the initial phase',
      source: 'seed 001: "Regular re-assessments by your therapist are key." — cadence is clinical practice',
      intake: {},
      check: (p) => expect(p.phases[0].reassessment.value).toEqual({ everySessions: 4, everyWeeks: 4 }),
    },
  ];

  it.each(rows)('$rule ($source)', ({ intake, check }) => check(plan(intake)));
});

describe('every number carries a reason and evidence', () => {
  it('phases, counts, benchmarks and home care', () => {
    const p = plan({ complaints: [c({ region: 'neck' }), c({ id: 'y', region: 'lower-back' })], function: { odi: 20, ndi: 20, psfs: [{ activity: 'desk work', score: 3 }] } });
    const reasoned = [
      p.expectedSessions,
      p.severity,
      ...p.phases.flatMap((ph) => [ph.frequency, ph.sessionLengthMinutes, ph.sessions, ph.reassessment, ...(ph.durationWeeks ? [ph.durationWeeks] : [])]),
      ...p.benchmarks.map((b) => b.threshold),
      ...p.homeCare.map((h) => h.daysPerWeek),
    ];
    for (const r of reasoned) {
      expect(r.reason.length).toBeGreaterThan(10);
      expect(['seed', 'trial', 'clinical-practice']).toContain(r.evidence.kind);
      if (r.evidence.kind === 'clinical-practice') expect(r.evidence.statement).toMatch(/no trial/i);
    }
  });
  it('frequency never rises from one phase to the next', () => {
    const p = plan({ complaints: [c({ region: 'neck', painNow: 9, painWorst: 10 })], commitment: { sessionsPerWeek: 3 }, function: {} });
    const spw = p.phases.map((ph) => sessionsPerWeek(ph.frequency.value));
    for (let k = 1; k < spw.length; k++) expect(spw[k]).toBeLessThanOrEqual(spw[k - 1]);
  });
  it('is deterministic', () => {
    expect(proposePlan(baseIntake(), { now: NOW })).toEqual(proposePlan(baseIntake(), { now: NOW }));
  });
});
