import { codeOf, startTestApi, type TestApi } from './harness';
import { BOOK, insertAppointment, insertClient, member, nextWeekday, site, type Site } from './appointments.fixtures';

const NOTE = `id appointmentId clientId practitionerId signed signedAt signedBy
  checkin { painNow painAreas pressureToday notes }
  techniques { technique pressure areas minutes } durationMinutes clientFeedback painAfter
  soap { subjective objective assessment plan } homeCare { kind description daysPerWeek }
  addenda { body authorId createdAt }`;
const START = `mutation S($appointmentId: ID!, $checkin: SessionCheckInInput!) { startSessionNote(appointmentId: $appointmentId, checkin: $checkin) { ${NOTE} } }`;
const UPDATE = `mutation U($id: ID!, $input: UpdateSessionNoteInput!) { updateSessionNote(id: $id, input: $input) { ${NOTE} } }`;
const SIGN = `mutation G($id: ID!) { signSessionNote(id: $id) { ${NOTE} } }`;
const ADDENDUM = `mutation A($id: ID!, $body: String!) { addAddendum(noteId: $id, body: $body) { ${NOTE} } }`;
const GET = `query N($id: ID!) { sessionNote(id: $id) { ${NOTE} } }`;
const APPOINTMENT_NOTE = `query A($id: ID!) { appointment(id: $id) { id status note { id painAfter } } }`;

const CHECKIN = { painNow: 6, painAreas: ['lower-back', 'hip'], pressureToday: 'MODERATE', notes: 'slept badly' };
const DONE = {
  techniques: [
    { technique: 'MYOFASCIAL_RELEASE', pressure: 'MODERATE', areas: ['lower-back'], minutes: 30 },
    { technique: 'ASSISTED_STRETCHING', pressure: 'LIGHT', areas: ['hip', 'thigh'], minutes: 15 },
  ],
  durationMinutes: 55,
  clientFeedback: 'Looser afterwards',
  painAfter: 3,
  soap: { subjective: 'Pain 6/10 this morning', objective: 'Tight right QL', assessment: 'Improving', plan: 'Continue weekly' },
  homeCare: [{ kind: 'stretch', description: 'Knee-to-chest, 3 × 30 s', daysPerWeek: 5 }],
};

describe('session notes', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let other: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let s: Site;
  let therapist: { userId: string; token: string };
  let colleague: { userId: string; token: string };
  let desk: { userId: string; token: string };
  let hour = 9;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Notes Chain');
    other = await t.orgWithAdmin('Notes Other');
    s = await site(t, admin.token);
    therapist = await member(t, admin.organizationId, 'PRACTITIONER');
    colleague = await member(t, admin.organizationId, 'PRACTITIONER');
    desk = await member(t, admin.organizationId, 'FRONT_DESK');
    await t.tdb.dataSource.query(`UPDATE practitioner SET user_id = $1 WHERE id = $2`, [therapist.userId, s.practitionerId]);
  });
  afterAll(() => t.stop());

  const appointment = async (): Promise<string> => {
    const clientId = await insertClient(t, admin.organizationId);
    const res = await t.gql(BOOK, {
      input: { clinicId: s.clinicId, practitionerId: s.practitionerId, clientId, startsAt: `${nextWeekday('Europe/London', 2)}T${String(hour++).padStart(2, '0')}:00`, durationMinutes: 60 },
    }, admin.token);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    // A note starts at the session (at most 60 minutes before it): the booking moves four weeks back, to a session
    // that has taken place (the API refuses to book in the past; this is the only step not done through it).
    await t.tdb.dataSource.query(
      `UPDATE appointment SET starts_at = starts_at - interval '28 days', ends_at = ends_at - interval '28 days' WHERE id = $1`,
      [res.data.bookAppointment.id],
    );
    return res.data.bookAppointment.id;
  };
  const notes = async () => t.tdb.dataSource.query(`SELECT * FROM session_note ORDER BY id`);
  const audit = async (id: string) => (await t.tdb.dataSource.query(`SELECT action FROM audit_event WHERE record_id = $1 ORDER BY occurred_at, id`, [id])).map((r: { action: string }) => r.action);

  it('runs a note from check-in to signature; signing completes the appointment; every step is audited', async () => {
    const appointmentId = await appointment();
    const started = await t.gql(START, { appointmentId, checkin: CHECKIN }, therapist.token);
    expect(started.errors).toBeUndefined();
    const note = started.data?.startSessionNote;
    expect(note).toMatchObject({ signed: false, checkin: { painNow: 6, painAreas: ['lower-back', 'hip'], pressureToday: 'MODERATE' }, techniques: [] });

    const early = await t.gql(SIGN, { id: note.id }, therapist.token);
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', missing: ['techniques', 'durationMinutes', 'painAfter'] });

    const updated = await t.gql(UPDATE, { id: note.id, input: DONE }, therapist.token);
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.updateSessionNote).toMatchObject({ ...DONE, soap: DONE.soap });

    const signed = await t.gql(SIGN, { id: note.id }, therapist.token);
    expect(signed.data?.signSessionNote).toMatchObject({ signed: true, signedBy: therapist.userId });
    const appt = await t.gql(APPOINTMENT_NOTE, { id: appointmentId }, therapist.token);
    expect(appt.data?.appointment).toMatchObject({ status: 'COMPLETED', note: { id: note.id, painAfter: 3 } });

    const read = await t.gql(GET, { id: note.id }, admin.token);
    expect(read.data?.sessionNote.id).toBe(note.id);
    expect(await audit(note.id)).toEqual(['note.create', 'note.update', 'note.sign', 'note.read', 'note.read']);
    expect(await audit(appointmentId)).toContain('appointment.completed');
  });

  it('refuses every change to a signed note (CONFLICT) and keeps it as it was; corrections are addenda with author and time', async () => {
    const appointmentId = await appointment();
    const id = (await t.gql(START, { appointmentId, checkin: CHECKIN }, therapist.token)).data?.startSessionNote.id;
    const early = await t.gql(ADDENDUM, { id, body: 'too soon' }, therapist.token);
    expect(codeOf(early)).toBe('CONFLICT');
    await t.gql(UPDATE, { id, input: DONE }, therapist.token);
    await t.gql(SIGN, { id }, therapist.token);
    const before = await notes();

    const edit = await t.gql(UPDATE, { id, input: { painAfter: 1 } }, therapist.token);
    expect(edit.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect(edit.errors?.[0].message).toMatch(/add an addendum/);
    const again = await t.gql(SIGN, { id }, admin.token);
    expect(codeOf(again)).toBe('CONFLICT');
    expect(await notes()).toEqual(before);
    // PostgreSQL holds it too, whoever asks.
    await expect(t.tdb.dataSource.query(`UPDATE session_note SET pain_after = 0 WHERE id = $1`, [id])).rejects.toThrow(/signed session note cannot change/);

    const askedAt = Date.now();
    const added = await t.gql(ADDENDUM, { id, body: 'Pain after was 3/10 on the left, not the right.' }, therapist.token);
    expect(added.errors).toBeUndefined();
    const addenda = added.data?.addAddendum.addenda;
    expect(addenda).toHaveLength(1);
    expect(addenda[0]).toMatchObject({ body: 'Pain after was 3/10 on the left, not the right.', authorId: therapist.userId });
    // Stamped by the request itself (not some minutes' window around now: a slow machine is no fault).
    expect(Date.parse(addenda[0].createdAt)).toBeGreaterThanOrEqual(askedAt - 1);
    expect(await notes()).toEqual(before);
    expect(await audit(id)).toContain('note.addendum');
  });

  it.each([
    ['a pain score above 10 at check-in', START, () => ({ checkin: { ...CHECKIN, painNow: 11 } }), 'checkin.painNow'],
    ['a negative pain score at check-in', START, () => ({ checkin: { ...CHECKIN, painNow: -1 } }), 'checkin.painNow'],
    ['an unknown body region', START, () => ({ checkin: { ...CHECKIN, painAreas: ['elbow', 'soul'] } }), 'checkin.painAreas[1]'],
  ])('refuses %s with BAD_USER_INPUT naming the field, storing nothing', async (_label, mutation, vars, field) => {
    const appointmentId = await appointment();
    const before = await notes();
    const res = await t.gql(mutation, { appointmentId, ...vars() }, therapist.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(await notes()).toEqual(before);
  });

  it('refuses pain after out of range and a technique with no area, changing nothing', async () => {
    const appointmentId = await appointment();
    const id = (await t.gql(START, { appointmentId, checkin: CHECKIN }, therapist.token)).data?.startSessionNote.id;
    const before = await notes();
    const pain = await t.gql(UPDATE, { id, input: { painAfter: 12 } }, therapist.token);
    expect(pain.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.painAfter' });
    const area = await t.gql(UPDATE, { id, input: { techniques: [{ technique: 'SWEDISH', pressure: 'LIGHT', areas: [] }] } }, therapist.token);
    expect(area.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.techniques[0].areas' });
    expect(await notes()).toEqual(before);
    const twice = await t.gql(START, { appointmentId, checkin: CHECKIN }, therapist.token);
    expect(codeOf(twice)).toBe('CONFLICT');
  });

  it('keeps notes from front desk and from other practitioners (FORBIDDEN)', async () => {
    const appointmentId = await appointment();
    const deskStart = await t.gql(START, { appointmentId, checkin: CHECKIN }, desk.token);
    expect(codeOf(deskStart)).toBe('FORBIDDEN');
    const colleagueStart = await t.gql(START, { appointmentId, checkin: CHECKIN }, colleague.token);
    expect(codeOf(colleagueStart)).toBe('FORBIDDEN');
    const id = (await t.gql(START, { appointmentId, checkin: CHECKIN }, therapist.token)).data?.startSessionNote.id;
    const before = await notes();
    expect(codeOf(await t.gql(UPDATE, { id, input: { painAfter: 2 } }, colleague.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(GET, { id }, desk.token))).toBe('FORBIDDEN');
    const viaAppointment = await t.gql(APPOINTMENT_NOTE, { id: appointmentId }, desk.token);
    expect(viaAppointment.data?.appointment.note).toBeNull();
    expect(codeOf(viaAppointment)).toBe('FORBIDDEN');
    expect(await notes()).toEqual(before);
    // Each refused write left a DENIED audit event, though its transaction rolled back.
    const denied = await t.tdb.dataSource.query(
      `SELECT action, record_type, record_id FROM audit_event WHERE actor_user_id = $1 AND outcome = 'DENIED' ORDER BY occurred_at`,
      [colleague.userId],
    );
    expect(denied).toEqual(
      expect.arrayContaining([
        { action: 'note.create', record_type: 'appointment', record_id: appointmentId },
        { action: 'note.update', record_type: 'session_note', record_id: id },
      ]),
    );
  });

  it('refuses to start a note more than 60 minutes before the session (CONFLICT naming appointmentId and when it can start); from 60 minutes before, it starts', async () => {
    const clientId = await insertClient(t, admin.organizationId);
    const booked = await t.gql(BOOK, {
      input: { clinicId: s.clinicId, practitionerId: s.practitionerId, clientId, startsAt: `${nextWeekday('Europe/London', 3)}T10:00`, durationMinutes: 60 },
    }, admin.token);
    const future = booked.data?.bookAppointment;
    const before = await notes();
    const res = await t.gql(START, { appointmentId: future.id, checkin: CHECKIN }, therapist.token);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors?.[0].extensions).toMatchObject({
      field: 'appointmentId', startsAt: future.startsAt, canStartAt: new Date(Date.parse(future.startsAt) - 60 * 60_000).toISOString(),
    });
    expect(res.errors?.[0].message).toMatch(/can be started from .*09:00/);
    // 90 minutes ahead: still too early; 30 minutes ahead: it starts.
    const soon = (minutes: number) => insertAppointment(t, {
      organizationId: admin.organizationId, clinicId: s.clinicId, practitionerId: s.practitionerId, clientId, userId: admin.userId,
      startsAt: new Date(Math.ceil((Date.now() + minutes * 60_000) / 60_000) * 60_000), minutes: 30,
    });
    const tooEarly = await soon(90);
    expect(codeOf(await t.gql(START, { appointmentId: tooEarly, checkin: CHECKIN }, admin.token))).toBe('CONFLICT');
    expect(await notes()).toEqual(before);
    await t.tdb.dataSource.query(`UPDATE appointment SET status = 'CANCELLED' WHERE id = $1`, [tooEarly]);
    const inTime = await soon(30);
    const started = await t.gql(START, { appointmentId: inTime, checkin: CHECKIN }, therapist.token);
    expect(started.errors).toBeUndefined();
    expect(started.data?.startSessionNote.appointmentId).toBe(inTime);
  });

  it('another organization can reach none of it', async () => {
    const appointmentId = await appointment();
    const id = (await t.gql(START, { appointmentId, checkin: CHECKIN }, therapist.token)).data?.startSessionNote.id;
    const before = await notes();
    expect((await t.gql(GET, { id }, other.token)).data?.sessionNote).toBeNull();
    expect(codeOf(await t.gql(START, { appointmentId, checkin: CHECKIN }, other.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(UPDATE, { id, input: { painAfter: 2 } }, other.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(SIGN, { id }, other.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(ADDENDUM, { id, body: 'x' }, other.token))).toBe('NOT_FOUND');
    expect(await notes()).toEqual(before);
  });
});
