import { randomUUID } from 'node:crypto';
import type { Clock } from '@fascia/db';
import { insertAppointment, insertClient, insertPlan } from './appointments.fixtures';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';
import { member, practice, type Practice } from './intake-plan.fixtures';

/**
 * Issue 13's gaps on the chart and the practitioner's day: the chart's tasks and reminders
 * (read in its one statement), `myDay` (the day in one statement, however many appointments),
 * and a client's appointments outside the calendar (the front desk's, without clinical content).
 * The API runs on a fixed clock: Tuesday 1 December 2026, 12:00 in London.
 */
const NOW = new Date('2026-12-01T12:00:00Z');
const clock: Clock = { now: () => NOW };

const CHART = `query C($id: ID!) { clientChart(clientId: $id) {
  client { id }
  appointments { id note { id painAfter } }
  tasks { id kind status reason dueAt resolvedAt client { id lastName } }
  reminders { id kind channel status sendAt lastError appointmentId attempts updatedAt } } }`;
const DAY = `query D($id: ID) { myDay(practitionerId: $id) {
  practitioner { id displayName }
  clinics { id name timeZone date }
  visits { appointment { id clientId clientName localStart status room { name } practitioner { id } timeZone }
           lastPain { painNrs source at } openTasks { id client { lastName } } }
  openTasks { id kind clientId client { firstName lastName } } } }`;
const LIST = `query L($clientId: ID!, $when: AppointmentWhen!, $first: Int, $after: String) {
  clientAppointments(clientId: $clientId, when: $when, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id startsAt status localStart clinic { name } practitioner { displayName } } } }`;

describe('the chart’s tasks and reminders, a practitioner’s day, a client’s appointments', () => {
  let t: TestApi;
  let p: Practice;
  let ann: string;
  let bo: string;
  const ids: Record<string, string> = {};

  const at = (iso: string) => new Date(iso);
  const appointment = (clientId: string, startsAt: string, status = 'BOOKED') =>
    insertAppointment(t, { organizationId: p.organizationId, clinicId: p.clinicId, practitionerId: p.practitionerId, clientId, userId: p.admin.userId, startsAt: at(startsAt), status });
  async function note(appointmentId: string, clientId: string, painNow: number, painAfter: number | null): Promise<string> {
    const rows = await t.tdb.dataSource.query(
      `INSERT INTO session_note (organization_id, appointment_id, client_id, practitioner_id, checkin, duration_minutes, pain_after, created_by)
       VALUES ($1, $2, $3, $4, $5, 60, $6, $7) RETURNING id`,
      [p.organizationId, appointmentId, clientId, p.practitionerId, JSON.stringify({ painNow, areas: [], pressureTolerance: 'moderate' }), painAfter, p.admin.userId],
    );
    return rows[0].id;
  }
  async function task(clientId: string, status = 'OPEN', dueAt = '2026-12-03T09:00:00Z', kind = 'REASSESSMENT_DUE'): Promise<string> {
    const rows = await t.tdb.dataSource.query(
      `INSERT INTO practitioner_task (organization_id, clinic_id, kind, reason, practitioner_id, client_id, due_at, status, dedupe_key)
       VALUES ($1, $2, $3, 'Re-assessment due after 4 sessions', $4, $5, $6, $7, $8) RETURNING id`,
      [p.organizationId, p.clinicId, kind, p.practitionerId, clientId, at(dueAt), status, `test:${randomUUID()}`],
    );
    return rows[0].id;
  }
  async function reminder(clientId: string, status: string, sendAt: string, channel = 'EMAIL', lastError: string | null = null, appointmentId: string | null = null): Promise<string> {
    const id = randomUUID();
    await t.tdb.dataSource.query(
      // An appointment's reminder names it and its start; without one, a home-care reminder.
      `INSERT INTO reminder (id, organization_id, clinic_id, kind, client_id, appointment_id, appointment_starts_at, channel, due_at, send_at, status, last_error, delivery_key)
       VALUES ($1, $2, $3, CASE WHEN $5::uuid IS NULL THEN 'HOME_CARE' ELSE 'APPOINTMENT' END, $4, $5, (SELECT starts_at FROM appointment WHERE id = $5::uuid), $6, $7, $7, $8, $9, $10)`,
      [id, p.organizationId, p.clinicId, clientId, appointmentId, channel, at(sendAt), status, lastError, `test:${randomUUID()}`],
    );
    return id;
  }
  const statements = async (query: string, variables: Record<string, unknown>, token: string) => {
    t.tdb.queries.length = 0;
    const res = await t.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return { data: res.data, count: t.tdb.queries.length, queries: [...t.tdb.queries] };
  };

  beforeAll(async () => {
    t = await startTestApi({ clock });
    p = await practice(t, 'Day Chain');
    ann = await insertClient(t, p.organizationId, 'Ann Lee', [p.clinicId]);
    bo = await insertClient(t, p.organizationId, 'Bo Chen', [p.clinicId]);
    const plan = await insertPlan(t, { organizationId: p.organizationId, clientId: ann, clinicId: p.clinicId, practitionerId: p.practitionerId, userId: p.admin.userId });
    // The intake (baseline pain) a month before; a session a week ago with pain 6 → 4.
    await t.tdb.dataSource.query(`UPDATE intake SET created_at = '2026-11-01T10:00:00Z' WHERE client_id = $1`, [ann]);
    ids.plan = plan.planId;
    ids.lastWeek = await appointment(ann, '2026-11-24T10:00:00Z', 'COMPLETED');
    ids.lastWeekNote = await note(ids.lastWeek, ann, 6, 4);
    ids.yesterday = await appointment(ann, '2026-11-30T10:00:00Z', 'NO_SHOW');
    ids.annToday = await appointment(ann, '2026-12-01T14:00:00Z');
    ids.boToday = await appointment(bo, '2026-12-01T09:00:00Z', 'CHECKED_IN');
    ids.cancelledToday = await appointment(bo, '2026-12-01T16:00:00Z', 'CANCELLED');
    ids.tomorrow = await appointment(ann, '2026-12-02T10:00:00Z');
    ids.annTask = await task(ann);
    ids.annDone = await task(ann, 'DONE', '2026-11-20T09:00:00Z', 'PLAN_REVIEW');
    ids.boTask = await task(bo, 'OPEN', '2026-12-02T09:00:00Z');
    ids.sent = await reminder(ann, 'SENT', '2026-11-30T14:00:00Z', 'EMAIL', null, ids.annToday);
    ids.skipped = await reminder(ann, 'SKIPPED', '2026-11-30T14:00:00Z', 'SMS', 'No phone number on file');
    ids.failed = await reminder(ann, 'FAILED', '2026-11-29T14:00:00Z', 'EMAIL', 'SMTP 451: try again later');
    await reminder(bo, 'SENT', '2026-11-30T09:00:00Z');
  });
  afterAll(() => t.stop());

  describe('clientChart', () => {
    it('shows the client’s tasks (open and resolved) and the reminders sent, skipped and failed', async () => {
      const res = await t.gql(CHART, { id: ann }, p.therapist.token);
      expect(res.errors).toBeUndefined();
      const chart = res.data?.clientChart;
      expect(chart.tasks.map((x: { id: string }) => x.id)).toEqual([ids.annDone, ids.annTask]);
      expect(chart.tasks[1]).toMatchObject({ kind: 'REASSESSMENT_DUE', status: 'OPEN', resolvedAt: null, client: { id: ann, lastName: 'Lee' } });
      // Newest send time first; another client's reminder is not here.
      expect(chart.reminders.map((r: { id: string }) => r.id).sort()).toEqual([ids.sent, ids.skipped, ids.failed].sort());
      expect(chart.reminders[2]).toMatchObject({ id: ids.failed, status: 'FAILED', channel: 'EMAIL', lastError: 'SMTP 451: try again later' });
      expect(chart.reminders.find((r: { id: string }) => r.id === ids.skipped)).toMatchObject({ status: 'SKIPPED', channel: 'SMS', lastError: 'No phone number on file' });
      expect(chart.reminders.find((r: { id: string }) => r.id === ids.sent)).toMatchObject({ kind: 'APPOINTMENT', status: 'SENT', appointmentId: ids.annToday });
    });

    it('reads tasks and reminders in the chart’s one statement: the count does not grow with them', async () => {
      const first = await statements(CHART, { id: ann }, p.therapist.token);
      expect(first.queries.filter((q) => /FROM "client" c/.test(q))).toHaveLength(1);
      // None of the records is read by a statement of its own.
      expect(first.queries.filter((q) => /FROM "practitioner_task"|FROM "reminder"/.test(q) && !/FROM "client" c/.test(q))).toHaveLength(0);
      for (let i = 0; i < 5; i++) {
        await task(ann, 'DISMISSED', `2026-10-0${i + 1}T09:00:00Z`);
        await reminder(ann, 'SENT', `2026-10-0${i + 1}T09:00:00Z`);
      }
      const more = await statements(CHART, { id: ann }, p.therapist.token);
      expect(more.data?.clientChart.tasks).toHaveLength(7);
      expect(more.data?.clientChart.reminders).toHaveLength(8);
      expect(more.count).toBe(first.count);
      // BEGIN, the session, the chart, the audit INSERT, COMMIT (issue 10: the chart ≤ 12).
      expect(first.count).toBeLessThanOrEqual(5);
    });

    it('reads only the note and re-assessment columns some field of the operation could show, and the trajectory’s when it is asked for', async () => {
      const columnsRead = (queries: string[], table: string) => {
        const chart = queries.find((q) => q.includes('"__notes"'));
        expect(chart).toBeDefined();
        const from = chart!.indexOf(`FROM "${table}" t`);
        return chart!.slice(chart!.lastIndexOf('CASE WHEN', from), from);
      };
      const notesRead = (queries: string[]) => columnsRead(queries, 'session_note');
      const plain = await statements(CHART, { id: ann }, p.therapist.token);
      const read = notesRead(plain.queries);
      expect(read).toContain('"painAfter"');
      expect(read).toContain('"appointmentId"');
      for (const column of ['"checkin"', '"practitionerId"', '"soap"', '"createdBy"']) expect(read).not.toContain(column);
      expect(plain.data?.clientChart.appointments.find((a: { id: string }) => a.id === ids.lastWeek).note).toEqual({ id: ids.lastWeekNote, painAfter: 4 });
      // Re-assessments by the same rule: their id, plan and time, and what the operation names —
      // here a task's `reason` (a re-assessment's `reason` reads the stored proposal) and `status`.
      const reassessmentsRead = columnsRead(plain.queries, 'reassessment');
      for (const column of ['"assessedAt"', '"status"', '"proposal"']) expect(reassessmentsRead).toContain(column);
      for (const column of ['"measures"', '"evaluation"', '"health"', '"assessedBy"']) expect(reassessmentsRead).not.toContain(column);
      const withTrajectory = await statements(`query T($id: ID!) { clientChart(clientId: $id) { appointments { id note { id } } trajectory { source painNrs } } }`, { id: ann }, p.therapist.token);
      expect(notesRead(withTrajectory.queries)).toContain('"checkin"');
      expect(columnsRead(withTrajectory.queries, 'reassessment')).toContain('"measures"');
      expect(columnsRead(withTrajectory.queries, 'reassessment')).not.toContain('"proposal"');
      const sessions = withTrajectory.data?.clientChart.trajectory.filter((x: { source: string }) => x.source !== 'INTAKE');
      expect(sessions).toEqual([{ source: 'SESSION_START', painNrs: 6 }, { source: 'SESSION_END', painNrs: 4 }]);
      // Two operations that differ only in a re-assessment column get statements of their own
      // (the statement's text is cached by what the query asks for, re-assessment columns included).
      const plansWith = (fields: string) => `query P($id: ID!) { clientChart(clientId: $id) { client { id plans { id reassessments { ${fields} } } } } }`;
      const without = await statements(plansWith('id assessedBy'), { id: ann }, p.therapist.token);
      expect(columnsRead(without.queries, 'reassessment')).not.toContain('"sessionsCompleted"');
      const withCount = await statements(plansWith('id assessedBy sessionsCompleted'), { id: ann }, p.therapist.token);
      expect(columnsRead(withCount.queries, 'reassessment')).toContain('"sessionsCompleted"');
    });

    it('refuses the front desk (and a manager of another clinic sees no tasks or reminders of this one)', async () => {
      expect(codeOf(await t.gql(CHART, { id: ann }, p.frontDesk.token))).toBe('FORBIDDEN');
      const annex = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Day Annex' }) }, p.admin.token)).data?.createClinic.id;
      const annexManager = await member(t, p.organizationId, 'CLINIC_MANAGER', [annex]);
      // Ann is registered at the main clinic only: unreachable, so no chart at all.
      expect((await t.gql(CHART, { id: ann }, annexManager.token)).data?.clientChart).toBeNull();
    });
  });

  describe('myDay', () => {
    it('gives the practitioner today’s appointments in order with last pain and open tasks', async () => {
      const res = await t.gql(DAY, {}, p.therapist.token);
      expect(res.errors).toBeUndefined();
      const day = res.data?.myDay;
      expect(day.practitioner.id).toBe(p.practitionerId);
      expect(day.clinics).toEqual([expect.objectContaining({ id: p.clinicId, date: '2026-12-01' })]);
      // Not yesterday's, tomorrow's or the cancelled one; by start.
      expect(day.visits.map((v: { appointment: { id: string } }) => v.appointment.id)).toEqual([ids.boToday, ids.annToday]);
      const [boVisit, annVisit] = day.visits;
      expect(annVisit.appointment).toMatchObject({ clientName: 'Ann Lee', localStart: '2026-12-01T14:00', practitioner: { id: p.practitionerId } });
      // The last session's end (pain 4) is later than the intake's baseline.
      expect(annVisit.lastPain).toMatchObject({ painNrs: 4, source: 'SESSION_END' });
      expect(boVisit.lastPain).toBeNull();
      expect(annVisit.openTasks.map((x: { id: string }) => x.id)).toEqual([ids.annTask]);
      expect(boVisit.openTasks.map((x: { id: string }) => x.id)).toEqual([ids.boTask]);
      // By due time: Bo's (2 December) before Ann's (3 December).
      expect(day.openTasks.map((x: { id: string }) => x.id)).toEqual([ids.boTask, ids.annTask]);
      expect(day.openTasks[1].client).toEqual({ firstName: 'Ann', lastName: 'Lee' });
    });

    it('answers in one statement however many appointments the day has', async () => {
      const first = await statements(DAY, {}, p.therapist.token);
      // More clients today, each with a past session and an open task.
      for (let i = 0; i < 4; i++) {
        const c = await insertClient(t, p.organizationId, `Extra${i} Day`, [p.clinicId]);
        await note(await appointment(c, `2026-11-2${i}T10:00:00Z`, 'COMPLETED'), c, 5, 3);
        await appointment(c, `2026-12-01T1${i}:00:00Z`);
        await task(c);
      }
      const more = await statements(DAY, {}, p.therapist.token);
      expect(more.data?.myDay.visits).toHaveLength(6);
      expect(more.data?.myDay.visits.filter((v: { lastPain: { painNrs: number } | null }) => v.lastPain?.painNrs === 3)).toHaveLength(4);
      expect(more.count).toBe(first.count);
      // BEGIN, the session, the day, the audit INSERT, COMMIT.
      expect(first.count).toBeLessThanOrEqual(5);
      expect(more.queries.filter((q) => q.startsWith('INSERT INTO "audit_event"'))).toHaveLength(1);
    });

    it('lets a practitioner see only their own day; a manager anyone’s at their clinics; not the front desk', async () => {
      const colleague = await t.gql(`mutation P($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
        { input: { displayName: 'Colleague', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'] } }, p.admin.token);
      const colleagueId = colleague.data?.createPractitioner.id;
      const other = await t.gql(DAY, { id: colleagueId }, p.therapist.token);
      expect(codeOf(other)).toBe('FORBIDDEN');
      expect(other.errors?.[0].message).toMatch(/only their own day/);
      const manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [p.clinicId]);
      expect((await t.gql(DAY, { id: p.practitionerId }, manager.token)).data?.myDay.visits.length).toBeGreaterThan(1);
      // A manager with no practitioner record of their own: no day of their own.
      expect((await t.gql(DAY, {}, manager.token)).data?.myDay).toBeNull();
      const annex = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Other Annex' }) }, p.admin.token)).data?.createClinic.id;
      const annexManager = await member(t, p.organizationId, 'CLINIC_MANAGER', [annex]);
      const far = (await t.gql(DAY, { id: p.practitionerId }, annexManager.token)).data?.myDay;
      expect(far).toMatchObject({ clinics: [], visits: [], openTasks: [] });
      expect(codeOf(await t.gql(DAY, {}, p.frontDesk.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(DAY, { id: randomUUID() }, p.admin.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(DAY, { id: 'not-an-id' }, p.admin.token))).toBe('BAD_USER_INPUT');
    });
  });

  describe('clientAppointments', () => {
    it('lists upcoming (soonest first) and past (latest first) appointments a page at a time, for the front desk too', async () => {
      const up = await t.gql(LIST, { clientId: ann, when: 'UPCOMING' }, p.frontDesk.token);
      expect(up.errors).toBeUndefined();
      expect(up.data?.clientAppointments.nodes.map((n: { id: string }) => n.id)).toEqual([ids.annToday, ids.tomorrow]);
      const page1 = await t.gql(LIST, { clientId: ann, when: 'PAST', first: 1 }, p.frontDesk.token);
      expect(page1.data?.clientAppointments).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
      expect(page1.data?.clientAppointments.nodes[0]).toMatchObject({ id: ids.yesterday, status: 'NO_SHOW', localStart: '2026-11-30T10:00' });
      const page2 = await t.gql(LIST, { clientId: ann, when: 'PAST', first: 1, after: page1.data?.clientAppointments.pageInfo.endCursor }, p.frontDesk.token);
      expect(page2.data?.clientAppointments.nodes.map((n: { id: string }) => n.id)).toEqual([ids.lastWeek]);
      expect(page2.data?.clientAppointments.pageInfo.hasNextPage).toBe(false);
    });

    it('keeps notes from the front desk, and other clinics’ appointments from a manager limited to them', async () => {
      const withNote = await t.gql(`query L($c: ID!) { clientAppointments(clientId: $c, when: PAST) { nodes { id note { id } } } }`, { c: ann }, p.frontDesk.token);
      expect(codeOf(withNote)).toBe('FORBIDDEN');
      const clinical = await t.gql(`query L($c: ID!) { clientAppointments(clientId: $c, when: PAST) { nodes { id note { id painAfter } } } }`, { c: ann }, p.therapist.token);
      expect(clinical.data?.clientAppointments.nodes.find((n: { id: string }) => n.id === ids.lastWeek).note).toMatchObject({ id: ids.lastWeekNote, painAfter: 4 });
      const annex = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'List Annex' }) }, p.admin.token)).data?.createClinic.id;
      const annexDesk = await member(t, p.organizationId, 'FRONT_DESK', [annex]);
      expect((await t.gql(LIST, { clientId: ann, when: 'UPCOMING' }, annexDesk.token)).data?.clientAppointments).toMatchObject({ totalCount: 0, nodes: [] });
    });

    it('refuses a bad client id, cursor or page size with the field named', async () => {
      const bad = await t.gql(LIST, { clientId: 'nope', when: 'UPCOMING' }, p.frontDesk.token);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].extensions?.field).toBe('clientId');
      expect(codeOf(await t.gql(LIST, { clientId: ann, when: 'UPCOMING', after: 'garbage' }, p.frontDesk.token))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(LIST, { clientId: ann, when: 'UPCOMING', first: 0 }, p.frontDesk.token))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(LIST, { clientId: ann, when: 'UPCOMING' }))).toBe('UNAUTHENTICATED');
    });
  });
});
