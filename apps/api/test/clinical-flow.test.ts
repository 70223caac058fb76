import { DateTime } from 'luxon';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';
import { ACCEPT, audits, CREATE_CLIENT, member, PROPOSE, RECORD_INTAKE, intakeInput, practice, type Practice } from './intake-plan.fixtures';

/**
 * The whole clinical flow through GraphQL, as a clinic lives it: the front desk registers
 * a client, the therapist takes the intake, accepts the proposed plan and books its series;
 * sessions are given with a check-in and a signed note; re-assessments step the plan down
 * and then into maintenance; the chart shows it all, in a fixed number of SQL statements.
 * The one thing not done through the API is time: the booked series is moved into the
 * past with SQL, as if the weeks had gone by.
 */
const BOOK_SERIES = `mutation B($input: BookPlanSeriesInput!) { bookPlanSeries(input: $input) { seriesId appointments { id sessionNumber phaseIndex localStart status } } }`;
const START_NOTE = `mutation S($id: ID!, $checkin: SessionCheckInInput!) { startSessionNote(appointmentId: $id, checkin: $checkin) { id } }`;
const UPDATE_NOTE = `mutation U($id: ID!, $input: UpdateSessionNoteInput!) { updateSessionNote(id: $id, input: $input) { id } }`;
const SIGN_NOTE = `mutation G($id: ID!) { signSessionNote(id: $id) { id signed } }`;
const RECORD = `mutation R($input: RecordReassessmentInput!) { recordReassessment(input: $input) { id decision reason } }`;
const ACCEPT_R = `mutation A($id: ID!) { acceptReassessment(id: $id) { id status currentVersion } }`;
const CHART = `query C($id: ID!) { clientChart(clientId: $id) {
  client { id firstName intakes { id version blocked } plans { id status currentVersion
    versions { version changeKind reason changedBy }
    current { currentPhaseIndex phases { kind } benchmarks { id measure baseline target } }
    reassessments { id decision status } } }
  appointments { id sessionNumber status localStart note { id signed painAfter checkin { painNow } addenda { body } } }
  trajectory { at source painNrs psfs odi planId recordId }
  tasks { id kind status dueAt } reminders { id kind channel status sendAt lastError } } }`;

describe('the clinical flow, intake to maintenance, through GraphQL', () => {
  let t: TestApi;
  let p: Practice;
  let clientId: string;
  let planId: string;
  let sessions: { id: string; sessionNumber: number }[];
  /** SQL statements of the chart query after the first re-assessment (4 sessions). */
  let statementsEarly = 0;

  const chartStatements = async (id: string): Promise<number> => {
    t.tdb.queries.length = 0;
    const res = await t.gql(CHART, { id }, p.therapist.token);
    expect(res.errors).toBeUndefined();
    return t.tdb.queries.length;
  };

  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Flow Chain');
    const avail = await t.gql(
      `mutation A($id: ID!, $w: [AvailabilityInput!]!) { setPractitionerAvailability(practitionerId: $id, windows: $w) { id } }`,
      { id: p.practitionerId, w: [1, 2, 3, 4, 5].map((weekday) => ({ clinicId: p.clinicId, weekday, start: '09:00', end: '17:00' })) },
      p.admin.token,
    );
    expect(avail.errors).toBeUndefined();
  });
  afterAll(() => t.stop());

  it('registers the client at the front desk and takes the intake', async () => {
    const c = await t.gql(
      CREATE_CLIENT,
      { input: { firstName: 'Rosa', lastName: 'Lindqvist', email: 'rosa@example.org', phone: '+44 7700 900123', preferredChannels: ['EMAIL'], reminderConsent: true, clinicIds: [p.clinicId], paymentMethod: 'SELF_PAY' } },
      p.frontDesk.token,
    );
    expect(c.errors).toBeUndefined();
    clientId = c.data?.createClient.id;
    // The front desk may not take an intake: clinical content.
    expect(codeOf(await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput() } }, p.frontDesk.token))).toBe('FORBIDDEN');
    const intake = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput() } }, p.therapist.token);
    expect(intake.errors).toBeUndefined();
    expect(intake.data?.recordIntake).toMatchObject({ version: 1, blocked: false, complaints: [{ id: 'lb', chronicity: 'chronic' }] });

    const proposed = await t.gql(PROPOSE, { intakeId: intake.data?.recordIntake.id }, p.therapist.token);
    expect(proposed.errors).toBeUndefined();
    const plan = proposed.data?.proposePlan;
    expect(plan.status).toBe('PROPOSED');
    // Every number carries its reason and evidence.
    for (const phase of plan.current.phases) {
      expect(phase.frequency.reason).toBeTruthy();
      expect(phase.frequency.evidence.kind).toMatch(/^(SEED|TRIAL|CLINICAL_PRACTICE)$/i);
      expect(phase.sessions.reason).toBeTruthy();
    }
    planId = plan.id;
    const accepted = await t.gql(ACCEPT, { planId, reason: 'Agreed with Rosa: twice weekly to start' }, p.therapist.token);
    expect(accepted.data?.acceptPlan).toMatchObject({ status: 'ACTIVE', currentVersion: 2 });
  });

  it('books the plan as a series in the clinic’s time zone', async () => {
    const monday = DateTime.now().setZone('Europe/London').plus({ weeks: 1 }).startOf('week').toISODate();
    const res = await t.gql(BOOK_SERIES, { input: { planId, clinicId: p.clinicId, practitionerId: p.practitionerId, startFrom: monday } }, p.frontDesk.token);
    expect(res.errors).toBeUndefined();
    sessions = res.data?.bookPlanSeries.appointments;
    expect(sessions.length).toBeGreaterThanOrEqual(7);
    expect(sessions.map((s) => s.sessionNumber)).toEqual(sessions.map((_, i) => i + 1));
    // The weeks go by: the series moves 40 weeks into the past (the only step not done through the API).
    await t.tdb.dataSource.query(`UPDATE appointment SET starts_at = starts_at - interval '280 days', ends_at = ends_at - interval '280 days' WHERE plan_id = $1`, [planId]);
    await t.tdb.dataSource.query(`UPDATE intake SET created_at = created_at - interval '280 days' WHERE client_id = $1`, [clientId]);
  });

  const giveSession = async (appointmentId: string, painBefore: number, painAfter: number): Promise<void> => {
    const started = await t.gql(START_NOTE, { id: appointmentId, checkin: { painNow: painBefore, painAreas: ['lower-back'], pressureToday: 'FIRM' } }, p.therapist.token);
    expect(started.errors).toBeUndefined();
    const noteId = started.data?.startSessionNote.id;
    const updated = await t.gql(
      UPDATE_NOTE,
      {
        id: noteId,
        input: {
          techniques: [{ technique: 'MYOFASCIAL_RELEASE', pressure: 'FIRM', areas: ['lower-back'], minutes: 30 }, { technique: 'TRIGGER_POINT', pressure: 'FIRM', areas: ['lower-back'], minutes: 15 }],
          durationMinutes: 60,
          clientFeedback: 'Easier to bend this week',
          painAfter,
          soap: { subjective: `Pain ${painBefore}/10 on arrival`, objective: 'Tight lumbar paraspinals', assessment: 'Improving', plan: 'Continue' },
          homeCare: [{ kind: 'stretch', description: 'Knee-to-chest stretch, 3 × 30 s', daysPerWeek: 5 }],
        },
      },
      p.therapist.token,
    );
    expect(updated.errors).toBeUndefined();
    const signed = await t.gql(SIGN_NOTE, { id: noteId }, p.therapist.token);
    expect(signed.data?.signSessionNote.signed).toBe(true);
  };

  it('gives four sessions, re-assesses against the benchmarks and steps down', async () => {
    const pains: [number, number][] = [[6, 4], [5, 4], [5, 3], [4, 3]];
    for (const [i, [before, after]] of pains.entries()) await giveSession(sessions[i].id, before, after);
    const r = await t.gql(RECORD, { input: { planId, measures: { pain: [{ complaintId: 'lb', score: 3 }], psfs: [{ activity: 'gardening', score: 7 }], odi: 18 } } }, p.therapist.token);
    expect(r.errors).toBeUndefined();
    expect(r.data?.recordReassessment.decision).toBe('STEP_DOWN');
    const a = await t.gql(ACCEPT_R, { id: r.data?.recordReassessment.id }, p.therapist.token);
    expect(a.data?.acceptReassessment).toMatchObject({ status: 'ACTIVE', currentVersion: 3 });
    statementsEarly = await chartStatements(clientId);
  });

  it('tapers, re-assesses again and moves to maintenance', async () => {
    for (const i of [4, 5, 6]) await giveSession(sessions[i].id, 3, 2);
    const r = await t.gql(RECORD, { input: { planId, measures: { pain: [{ complaintId: 'lb', score: 2 }], psfs: [{ activity: 'gardening', score: 8 }], odi: 12 } } }, p.therapist.token);
    expect(r.data?.recordReassessment.decision).toBe('MOVE_TO_MAINTENANCE');
    const a = await t.gql(ACCEPT_R, { id: r.data?.recordReassessment.id }, p.therapist.token);
    expect(a.data?.acceptReassessment).toMatchObject({ status: 'MAINTENANCE', currentVersion: 4 });
  });

  it('shows it all in the chart: plan versions, notes, and a pain trajectory that falls towards the benchmark', async () => {
    const res = await t.gql(CHART, { id: clientId }, p.therapist.token);
    expect(res.errors).toBeUndefined();
    const chart = res.data?.clientChart;
    const plan = chart.client.plans[0];
    expect(plan).toMatchObject({ status: 'MAINTENANCE', currentVersion: 4 });
    expect(plan.versions.map((v: { changeKind: string }) => v.changeKind)).toEqual(['MOVE_TO_MAINTENANCE', 'STEP_DOWN', 'ACCEPTED', 'PROPOSED']);
    expect(plan.current.phases[plan.current.currentPhaseIndex].kind).toBe('maintenance');
    expect(plan.reassessments.map((r: { decision: string }) => r.decision)).toEqual(['MOVE_TO_MAINTENANCE', 'STEP_DOWN']);
    const given = chart.appointments.filter((a: { note: unknown }) => a.note);
    expect(given).toHaveLength(7);
    expect(given.every((a: { status: string; note: { signed: boolean } }) => a.status === 'COMPLETED' && a.note.signed)).toBe(true);

    const pain = chart.trajectory.filter((x: { painNrs: number | null }) => x.painNrs !== null);
    expect(chart.trajectory[0]).toMatchObject({ source: 'INTAKE', painNrs: 6, psfs: 4, odi: 30 });
    expect(chart.trajectory.filter((x: { source: string }) => x.source === 'REASSESSMENT').map((x: { painNrs: number }) => x.painNrs)).toEqual([3, 2]);
    expect(pain[pain.length - 1].painNrs).toBeLessThan(pain[0].painNrs);
    const benchmark = plan.current.benchmarks.find((b: { measure: string }) => b.measure === 'pain-nrs');
    expect(pain[pain.length - 1].painNrs).toBeLessThanOrEqual(benchmark.target);
    // One audit event per chart read: the statement count above read it once already.
    expect(await audits(t, 'chart.read', clientId)).toBe(2);
  });

  it('reads the chart in the same number of SQL statements however long the history', async () => {
    // 4 sessions, 1 re-assessment, 3 plan versions then; 7 sessions, 2 re-assessments, 4 versions now.
    expect(statementsEarly).toBeGreaterThan(0);
    expect(await chartStatements(clientId)).toBe(statementsEarly);
    // One transaction (BEGIN … COMMIT) with one audit INSERT: docs/architecture.md, "One transaction per request".
    // BEGIN, the session with the membership check, the chart (the client and every record, versions,
    // addenda, tasks and reminders included, as JSON: one statement), the audit INSERT, COMMIT — was 12 (issue 10).
    expect(statementsEarly).toBeLessThanOrEqual(5);
    expect(t.tdb.queries.filter((q) => /FROM "client" c/.test(q))).toHaveLength(1);
    // 7 notes, 2 re-assessments, the intake, the plan and the chart itself: one INSERT, in the one transaction.
    expect(t.tdb.queries.filter((q) => q.startsWith('INSERT INTO "audit_event"'))).toHaveLength(1);
    expect(t.tdb.queries.filter((q) => q === 'START TRANSACTION')).toHaveLength(1);
  });

  it('audits a chart read as one row per kind of record shown, carrying their ids, and the audit log finds it by any of them', async () => {
    const res = await t.gql(CHART, { id: clientId }, p.admin.token);
    expect(res.errors).toBeUndefined();
    const chart = res.data?.clientChart;
    const noteIds: string[] = chart.appointments.filter((a: { note: unknown }) => a.note).map((a: { note: { id: string } }) => a.note.id);
    const reassessmentIds: string[] = chart.client.plans[0].reassessments.map((r: { id: string }) => r.id);
    expect(noteIds).toHaveLength(7);
    const rows: { action: string; record_type: string; record_id: string | null; record_ids: string[] | null }[] = await t.tdb.dataSource.query(
      `SELECT action, record_type, record_id, record_ids FROM audit_event
        WHERE request_id = (SELECT request_id FROM audit_event WHERE action = 'chart.read' AND actor_user_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 1)
        ORDER BY action`,
      [p.admin.userId],
    );
    // Five rows for 1 + 1 intake + 1 plan + 7 notes + 2 re-assessments records (was one row each: 12).
    expect(rows.find((r) => r.action === 'note.read')?.record_ids).toHaveLength(7);
    expect(rows).toEqual([
      { action: 'chart.read', record_type: 'client', record_id: clientId, record_ids: null },
      { action: 'intake.read', record_type: 'intake', record_id: chart.client.intakes[0].id, record_ids: null },
      { action: 'note.read', record_type: 'session_note', record_id: null, record_ids: expect.arrayContaining(noteIds) },
      { action: 'plan.read', record_type: 'plan', record_id: planId, record_ids: null },
      { action: 'reassessment.read', record_type: 'reassessment', record_id: null, record_ids: expect.arrayContaining(reassessmentIds) },
    ]);
    // The admins' search by a record's id finds the chart's read of it, with every id of the read.
    const SEARCH = `query S($filter: AuditEventFilter) { auditEvents(first: 50, filter: $filter) { nodes { action recordType recordId recordIds actor { id } } } }`;
    const found = await t.gql(SEARCH, { filter: { recordId: noteIds[3], action: 'note.read' } }, p.admin.token);
    expect(found.errors).toBeUndefined();
    const reads = found.data?.auditEvents.nodes.filter((n: { actor: { id: string } | null }) => n.actor?.id === p.admin.userId);
    expect(reads[0]).toEqual({ action: 'note.read', recordType: 'session_note', recordId: null, recordIds: expect.arrayContaining(noteIds), actor: { id: p.admin.userId } });
    const stored = reads[0].recordIds as string[];
    // … and the note's own events (its creation, signature) beside the reads, by the same filter without the action.
    const all = (await t.gql(SEARCH, { filter: { recordId: noteIds[3] } }, p.admin.token)).data?.auditEvents.nodes.map((n: { action: string }) => n.action);
    expect(all).toEqual(expect.arrayContaining(['note.read', 'note.sign']));
    // The CSV carries the ids, space-separated, in their own column.
    const csv = (await t.gql(`query E($filter: AuditEventFilter) { auditEventsCsv(filter: $filter) { csv } }`, { filter: { recordId: noteIds[3], action: 'note.read' } }, p.admin.token)).data
      ?.auditEventsCsv.csv as string;
    expect(csv.split('\r\n')[0]).toContain('record_type,record_id,record_ids,');
    expect(csv).toContain(`session_note,,${stored.join(' ')},`);
  });

  it('reads a re-assessment’s stored proposal and a note’s text only when the operation asks for them', async () => {
    // Nothing of the proposal asked for: the chart leaves the column out, and answers the rest.
    const chartSql = () => t.tdb.queries.filter((q) => /FROM "client" c/.test(q));
    t.tdb.queries.length = 0;
    const light = await t.gql(
      `query L($id: ID!) { clientChart(clientId: $id) { client { plans { reassessments { id decision status assessedAt sessionsCompleted } nextReassessment { dueAtSession } } } } }`,
      { id: clientId },
      p.therapist.token,
    );
    expect(light.errors).toBeUndefined();
    expect(chartSql()).toHaveLength(1);
    expect(chartSql()[0]).not.toContain('t."proposal"');
    expect(chartSql()[0]).not.toContain('t."soap"');
    expect(light.data?.clientChart.client.plans[0].reassessments.map((r: { decision: string }) => r.decision)).toEqual(['MOVE_TO_MAINTENANCE', 'STEP_DOWN']);
    // Asked for in the chart, or by another field of the same operation that shares the request's
    // loaders (the plan's re-assessments, primed by the chart): read, and answered.
    t.tdb.queries.length = 0;
    const full = await t.gql(
      `query F($id: ID!, $plan: ID!) {
        clientChart(clientId: $id) { client { plans { reassessments { id } } } appointments { note { id soap { subjective } techniques { technique } } } }
        plan(id: $plan) { reassessments { id reason changes proposedPlan { currentPhaseIndex } evaluation { overall } } } }`,
      { id: clientId, plan: planId },
      p.therapist.token,
    );
    expect(full.errors).toBeUndefined();
    expect(chartSql()[0]).toContain('t."proposal"');
    expect(chartSql()[0]).toContain('t."soap"');
    const notes = full.data?.clientChart.appointments.filter((a: { note: unknown }) => a.note).map((a: { note: unknown }) => a.note);
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n).toMatchObject({ soap: expect.any(Object), techniques: expect.any(Array) });
    const reassessments = full.data?.plan.reassessments;
    expect(reassessments).toHaveLength(2);
    for (const r of reassessments) expect(r.reason).toEqual(expect.any(String));
    expect(reassessments[0].proposedPlan.currentPhaseIndex).toEqual(expect.any(Number));
  });

  it('shows a member limited to clinics only the records at those clinics; an org admin reaches all', async () => {
    const elsewhere = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Elsewhere' }) }, p.admin.token)).data?.createClinic.id;
    const otherManager = await member(t, p.organizationId, 'CLINIC_MANAGER', [elsewhere]);
    // A client never seen at Elsewhere is out of reach there.
    const unreachable = await t.gql(CHART, { id: clientId }, otherManager.token);
    expect(unreachable.errors).toBeUndefined();
    expect(unreachable.data?.clientChart).toBeNull();
    const [{ denied }] = await t.tdb.dataSource.query(`SELECT count(*)::int AS denied FROM audit_event WHERE action = 'chart.read' AND outcome = 'DENIED' AND actor_user_id = $1`, [otherManager.userId]);
    expect(denied).toBe(1);
    // Registered at Elsewhere too: the client is reachable, the other clinic's records are not.
    expect((await t.gql(`mutation U($id: ID!, $c: [ID!]) { updateClient(id: $id, input: { clinicIds: $c }) { id } }`, { id: clientId, c: [p.clinicId, elsewhere] }, p.admin.token)).errors).toBeUndefined();
    t.tdb.queries.length = 0;
    const limited = await t.gql(CHART, { id: clientId }, otherManager.token);
    expect(limited.errors).toBeUndefined();
    // The reachability check rides on the client's read: a limited member's chart keeps the budget too.
    expect(t.tdb.queries.length).toBeLessThanOrEqual(5);
    expect(limited.data?.clientChart.client).toMatchObject({ intakes: [], plans: [] });
    expect(limited.data?.clientChart.appointments).toEqual([]);
    expect(limited.data?.clientChart.trajectory).toEqual([]);
    const scopedAdmin = await member(t, p.organizationId, 'ORG_ADMIN', [elsewhere]);
    const all = await t.gql(CHART, { id: clientId }, scopedAdmin.token);
    expect(all.data?.clientChart.appointments.length).toBeGreaterThanOrEqual(7);
  });

  it('keeps the chart from the front desk and from other organizations', async () => {
    expect(codeOf(await t.gql(CHART, { id: clientId }, p.frontDesk.token))).toBe('FORBIDDEN');
    const other = await practice(t, 'Other Chain');
    const res = await t.gql(CHART, { id: clientId }, other.therapist.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.clientChart).toBeNull();
    expect(codeOf(await t.gql(START_NOTE, { id: sessions[sessions.length - 1].id, checkin: { painNow: 1, painAreas: [], pressureToday: 'LIGHT' } }, other.therapist.token))).toMatch(/NOT_FOUND|BAD_USER_INPUT/);
  });
});
