import { DateTime } from 'luxon';
import { codeOf, startTestApi, type TestApi } from './harness';
import { APPOINTMENT_FIELDS, appointmentRows, insertAppointment, insertClient, insertPlan, member, site, type Site } from './appointments.fixtures';

const SERIES = `mutation S($input: BookPlanSeriesInput!) { bookPlanSeries(input: $input) { appointments { ${APPOINTMENT_FIELDS} } } }`;
const RECORD = `mutation R($input: RecordReassessmentInput!) { recordReassessment(input: $input) { id decision planVersion } }`;
const ACCEPT = `mutation A($id: ID!) { acceptReassessment(id: $id) { id currentVersion current { currentPhaseIndex phases { kind } } } }`;
const PROPOSAL = `planId planVersion token preview timeZone summary hasConflicts
  keep { appointmentId sessionNumber phaseKind startsAt localStart conflict }
  move { appointmentId sessionNumber fromLocalStart startsAt localStart conflict }
  cancel { appointmentId startsAt localStart }
  add { sessionNumber phaseKind startsAt endsAt localStart durationMinutes conflict }`;
const PROPOSE = `query P($planId: ID, $reassessmentId: ID) { proposeReplan(planId: $planId, reassessmentId: $reassessmentId) { ${PROPOSAL} } }`;
const APPLY = `mutation A($input: ApplyReplanInput!) { applyReplan(input: $input) {
  planId kept { id status localStart } moved { id status localStart } cancelled { id status statusReason } added { id status sessionNumber localStart } } }`;
const CANCEL = `mutation C($id: ID!, $reason: String!, $by: CancelledBy) { cancelAppointment(id: $id, reason: $reason, cancelledBy: $by) { appointment { id status } } }`;

/** A chronic neck complaint at pain 5 (worst 7): twice weekly at first, then every two weeks. */
const NECK = { complaints: [{ id: 'n', region: 'neck' as const, side: 'central' as const, onsetDate: '2025-01-01', cause: 'posture' as const, painNow: 5, painWorst: 7 }], function: {} };
/** Meets the pain benchmark. */
const met = { pain: [{ complaintId: 'n', score: 2 }] };

interface Proposal {
  planId: string;
  planVersion: number;
  token: string;
  preview: boolean;
  summary: string;
  keep: { appointmentId: string; sessionNumber: number; startsAt: string; localStart: string }[];
  move: { appointmentId: string; sessionNumber: number; startsAt: string }[];
  cancel: { appointmentId: string }[];
  add: { sessionNumber: number; startsAt: string; endsAt: string; localStart: string }[];
}

describe('re-planning a booked series after a re-assessment (issue 13 item 7)', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Replan Chain');
  });
  afterAll(() => t.stop());

  /** A twice-weekly plan with 4 sessions given (the last two days ago) and its initial phase booked ahead. */
  async function steppedDownPlan(): Promise<{ s: Site; clientId: string; planId: string; reassessmentId: string }> {
    const s = await site(t, admin.token, { timeZone: 'Europe/London' });
    const clientId = await insertClient(t, admin.organizationId);
    const { planId, body } = await insertPlan(t, { organizationId: admin.organizationId, clientId, clinicId: s.clinicId, practitionerId: s.practitionerId, userId: admin.userId }, NECK);
    if (body.blocked) throw new Error('blocked');
    expect(body.phases[0].frequency.value).toEqual({ sessions: 2, perWeeks: 1 });
    const today = DateTime.now().setZone(s.timeZone).startOf('day');
    for (let i = 4; i >= 1; i--) {
      const id = await insertAppointment(t, { ...ids(s, clientId), startsAt: today.minus({ days: 2 + (i - 1) * 3 }).set({ hour: 10 }).toJSDate(), status: 'COMPLETED' });
      await t.tdb.dataSource.query(`UPDATE appointment SET plan_id = $1, session_number = $2, phase_index = 0 WHERE id = $3`, [planId, 5 - i, id]);
    }
    const series = await t.gql(SERIES, { input: { planId, clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, startFrom: today.plus({ days: 1 }).toISODate() } }, admin.token);
    expect(series.errors).toBeUndefined();
    // Only the twice-weekly phase stays booked (the tapering sessions are left to the re-plan).
    await t.tdb.dataSource.query(`UPDATE appointment SET status = 'CANCELLED' WHERE plan_id = $1 AND status = 'BOOKED' AND phase_index > 0`, [planId]);
    const rec = await t.gql(RECORD, { input: { planId, measures: met } }, admin.token);
    expect(rec.data?.recordReassessment.decision).toBe('STEP_DOWN');
    return { s, clientId, planId, reassessmentId: rec.data?.recordReassessment.id };
  }
  const ids = (s: Site, clientId: string) => ({ organizationId: admin.organizationId, clinicId: s.clinicId, practitionerId: s.practitionerId, clientId, userId: admin.userId, roomId: s.roomId });
  const propose = async (vars: Record<string, string>): Promise<Proposal> => {
    const res = await t.gql(PROPOSE, vars, admin.token);
    expect(res.errors).toBeUndefined();
    return res.data?.proposeReplan;
  };
  const apply = (p: Proposal) => t.gql(APPLY, { input: { planId: p.planId, proposalToken: p.token, expectedPlanVersion: p.planVersion } }, admin.token);
  const booked = async (planId: string) =>
    (await t.tdb.dataSource.query(`SELECT id FROM appointment WHERE plan_id = $1 AND status = 'BOOKED' ORDER BY starts_at`, [planId])).map((r: { id: string }) => r.id);

  it('previews the step-down before it is accepted, then proposes and applies it: keeps what fits every two weeks, cancels the rest without a late-cancel charge, adds the rest, reminders follow', async () => {
    const { planId, reassessmentId } = await steppedDownPlan();
    const before = await booked(planId);
    expect(before).toHaveLength(4);
    const preview = await propose({ reassessmentId });
    expect(preview.preview).toBe(true);
    expect(preview.cancel.length).toBeGreaterThan(0);
    // A preview's token does not apply: the plan is still at the version before the step-down.
    expect(codeOf(await apply({ ...preview, planVersion: preview.planVersion + 1 }))).toBe('CONFLICT');

    const accepted = await t.gql(ACCEPT, { id: reassessmentId }, admin.token);
    expect(accepted.data?.acceptReassessment.current.phases[accepted.data?.acceptReassessment.current.currentPhaseIndex].kind).toBe('tapering');
    const p = await propose({ planId });
    expect(p.preview).toBe(false);
    expect(p.planVersion).toBe(accepted.data?.acceptReassessment.currentVersion);
    expect(p.keep.length + p.move.length + p.cancel.length).toBe(4);
    expect(p.cancel.length).toBeGreaterThanOrEqual(2);
    expect(p.keep.length + p.move.length + p.add.length).toBe(3); // the tapering phase: 3 fortnightly sessions
    expect([...p.keep, ...p.add].every((x) => x.localStart.endsWith('T09:00'))).toBe(true);
    const outboxBefore = (await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message WHERE job_name = 'appointment.changed'`))[0].n;

    const res = await apply(p);
    expect(res.errors).toBeUndefined();
    const r = res.data?.applyReplan;
    expect(r.cancelled.map((a: { id: string }) => a.id).sort()).toEqual(p.cancel.map((c) => c.appointmentId).sort());
    expect(r.cancelled.every((a: { status: string; statusReason: string }) => a.status === 'CANCELLED' && /re-assessment/.test(a.statusReason))).toBe(true);
    expect(r.added).toHaveLength(p.add.length);
    expect(r.added.map((a: { localStart: string }) => a.localStart)).toEqual(p.add.map((a) => a.localStart));
    expect(await booked(planId)).toHaveLength(3);
    const outboxAfter = (await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message WHERE job_name = 'appointment.changed'`))[0].n;
    expect(outboxAfter - outboxBefore).toBe(p.cancel.length + p.move.length + p.add.length);
    const audit = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'plan.replan' AND record_id = $1`, [planId]);
    expect(audit[0].n).toBe(1);
    // Applied: the series now fits the rhythm, so a new proposal changes nothing.
    const again = await propose({ planId });
    expect({ move: again.move.length, cancel: again.cancel.length, add: again.add.length }).toEqual({ move: 0, cancel: 0, add: 0 });
  });

  it('refuses a stale proposal (a booking changed since) and a booking conflict, leaving nothing half-written', async () => {
    const { s, planId, reassessmentId } = await steppedDownPlan();
    await t.gql(ACCEPT, { id: reassessmentId }, admin.token);
    const stale = await propose({ planId });
    // Someone cancels a session meanwhile (the series shifts).
    const cancelled = await t.gql(CANCEL, { id: stale.cancel[0]?.appointmentId ?? stale.keep[0].appointmentId, reason: 'Client is away', by: 'CLIENT' }, admin.token);
    expect(cancelled.errors).toBeUndefined();
    const snapshot = await appointmentRows(t, admin.organizationId);
    const res = await apply(stale);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors?.[0].message).toMatch(/bookings changed since it was made/);
    expect(await appointmentRows(t, admin.organizationId)).toEqual(snapshot);

    // A fresh proposal; then another client takes the practitioner's time of a new session
    // (applying re-checks availability under locks; a race past that meets the exclusion constraints, the same CONFLICT).
    const fresh = await propose({ planId });
    expect(fresh.add.length).toBeGreaterThan(0);
    const other = await insertClient(t, admin.organizationId);
    await insertAppointment(t, { ...ids(s, other), roomId: null, startsAt: new Date(fresh.add[0].startsAt), minutes: 30 });
    const before = await appointmentRows(t, admin.organizationId);
    const clash = await apply(fresh);
    expect(codeOf(clash)).toBe('CONFLICT');
    expect(clash.errors?.[0].message).toMatch(/a time it used was taken/);
    expect(await appointmentRows(t, admin.organizationId)).toEqual(before);

    // A wrong plan version and a malformed token are refused too.
    expect(codeOf(await apply({ ...fresh, planVersion: fresh.planVersion - 1 }))).toBe('CONFLICT');
    expect(codeOf(await apply({ ...fresh, token: 'nope' }))).toBe('BAD_USER_INPUT');
  });

  it('refuses another organization, the front desk and a practitioner of another clinic (audited), and a request naming neither plan nor re-assessment', async () => {
    const { planId, reassessmentId } = await steppedDownPlan();
    await t.gql(ACCEPT, { id: reassessmentId }, admin.token);
    const p = await propose({ planId });
    const stranger = await t.orgWithAdmin('Other Chain');
    expect(codeOf(await t.gql(PROPOSE, { planId }, stranger.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(APPLY, { input: { planId, proposalToken: p.token, expectedPlanVersion: p.planVersion } }, stranger.token))).toBe('NOT_FOUND');
    const desk = await member(t, admin.organizationId, 'FRONT_DESK');
    expect(codeOf(await t.gql(PROPOSE, { planId }, desk.token))).toBe('FORBIDDEN');
    const elsewhere = await site(t, admin.token);
    const far = await member(t, admin.organizationId, 'PRACTITIONER', [elsewhere.clinicId]);
    expect(codeOf(await t.gql(PROPOSE, { planId }, far.token))).toBe('FORBIDDEN');
    const snapshot = await appointmentRows(t, admin.organizationId);
    expect(codeOf(await t.gql(APPLY, { input: { planId, proposalToken: p.token, expectedPlanVersion: p.planVersion } }, far.token))).toBe('FORBIDDEN');
    expect(await appointmentRows(t, admin.organizationId)).toEqual(snapshot);
    const denied = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'plan.replan' AND record_id = $1 AND outcome = 'DENIED'`, [planId]);
    expect(denied[0].n).toBeGreaterThanOrEqual(1);
    expect(codeOf(await t.gql(PROPOSE, {}, admin.token))).toBe('BAD_USER_INPUT');
  });

  it('proposes in a fixed number of statements however many sessions are booked', async () => {
    const { s, clientId, planId, reassessmentId } = await steppedDownPlan();
    await t.gql(ACCEPT, { id: reassessmentId }, admin.token);
    const statements = async (): Promise<number> => {
      t.tdb.queries.length = 0;
      await propose({ planId });
      return t.tdb.queries.length;
    };
    const small = await statements();
    // Four more sessions booked further ahead (Mondays at 09:00, weeks 7–10).
    let d = DateTime.now().setZone(s.timeZone).startOf('day').plus({ weeks: 7 });
    while (d.weekday !== 1) d = d.plus({ days: 1 });
    for (let i = 0; i < 4; i++) {
      const id = await insertAppointment(t, { ...ids(s, clientId), startsAt: d.plus({ weeks: i }).set({ hour: 9 }).toJSDate() });
      await t.tdb.dataSource.query(`UPDATE appointment SET plan_id = $1 WHERE id = $2`, [planId, id]);
    }
    const large = await statements();
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(16);
  });


  it('numbers the re-planned series after the session the client is in today (checked in, not yet completed): every session number distinct and in order', async () => {
    // Sessions 1–3 given, the series booked ahead, and session 4 under way: the client is checked in and re-assessed in it.
    const s = await site(t, admin.token, { timeZone: 'Europe/London' });
    const clientId = await insertClient(t, admin.organizationId);
    const { planId } = await insertPlan(t, { organizationId: admin.organizationId, clientId, clinicId: s.clinicId, practitionerId: s.practitionerId, userId: admin.userId }, NECK);
    const today = DateTime.now().setZone(s.timeZone).startOf('day');
    for (let n = 1; n <= 3; n++) {
      const id = await insertAppointment(t, { ...ids(s, clientId), startsAt: today.minus({ days: 11 - (n - 1) * 3 }).set({ hour: 10 }).toJSDate(), status: 'COMPLETED' });
      await t.tdb.dataSource.query(`UPDATE appointment SET plan_id = $1, session_number = $2, phase_index = 0 WHERE id = $3`, [planId, n, id]);
    }
    const series = await t.gql(SERIES, { input: { planId, clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, startFrom: today.plus({ days: 1 }).toISODate() } }, admin.token);
    expect(series.errors).toBeUndefined();
    await t.tdb.dataSource.query(`UPDATE appointment SET status = 'CANCELLED' WHERE plan_id = $1 AND status = 'BOOKED' AND phase_index > 0`, [planId]);
    const inProgress = await insertAppointment(t, { ...ids(s, clientId), roomId: null, startsAt: new Date(Date.now() - 10 * 60_000), status: 'CHECKED_IN' });
    await t.tdb.dataSource.query(`UPDATE appointment SET plan_id = $1, session_number = 4, phase_index = 0 WHERE id = $2`, [planId, inProgress]);
    const rec = await t.gql(RECORD, { input: { planId, measures: met } }, admin.token);
    expect(rec.data?.recordReassessment.decision).toBe('STEP_DOWN');

    /** The proposal's sessions (kept, moved, added) in the order of their new times: numbered after session 4, each once, rising with time. */
    const expectNumbered = (p: Proposal) => {
      const sessions = [...p.keep.map((k) => ({ n: k.sessionNumber, at: k.startsAt })), ...p.move.map((m) => ({ n: m.sessionNumber, at: m.startsAt })), ...p.add.map((a) => ({ n: a.sessionNumber, at: a.startsAt }))].sort(
        (a, b) => Date.parse(a.at) - Date.parse(b.at),
      );
      expect(sessions.length).toBeGreaterThan(0);
      expect(sessions.map((x) => x.n)).toEqual(sessions.map((_, k) => 5 + k));
    };
    expectNumbered(await propose({ reassessmentId: rec.data?.recordReassessment.id }));
    await t.gql(ACCEPT, { id: rec.data?.recordReassessment.id }, admin.token);
    const p = await propose({ planId });
    expectNumbered(p);

    const res = await apply(p);
    expect(res.errors).toBeUndefined();
    // The plan's series as it now stands: sessions 1, 2, 3 given, 4 under way, then 5, 6, … booked — no number twice, in order of time.
    const rows: { n: number; status: string }[] = await t.tdb.dataSource.query(
      `SELECT session_number AS n, status FROM appointment WHERE plan_id = $1 AND status IN ('COMPLETED', 'CHECKED_IN', 'BOOKED') ORDER BY starts_at`,
      [planId],
    );
    expect(rows.map((r) => r.n)).toEqual(rows.map((_, k) => k + 1));
    expect(rows[3]).toEqual({ n: 4, status: 'CHECKED_IN' });
  });
});
