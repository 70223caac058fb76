import { DateTime } from 'luxon';
import { Invitation } from '@fascia/db';
import { signInvitationToken } from '@fascia/jobs';
import { CREATE_CLINIC, clinicInput, codeOf, SIGN_IN, startTestApi, TEST_SECRET, type TestApi } from './harness';
import { ACCEPT, intakeInput, member, PROPOSE, RECORD_INTAKE } from './intake-plan.fixtures';

const CREATE_PRACTITIONER = `mutation P($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`;
const UPDATE = `mutation U($id: ID!, $input: UpdatePractitionerInput!) { updatePractitioner(id: $id, input: $input) { id displayName } }`;
const SET = `mutation S($id: ID!, $w: [AvailabilityInput!]!) { setPractitionerAvailability(practitionerId: $id, windows: $w) { id } }`;
const CLEAR = `mutation C($id: ID!, $c: ID!) { clearPractitionerAvailability(practitionerId: $id, clinicId: $c) { id } }`;
const GET = `query G($id: ID!) { practitioner(id: $id) { displayName userId availability { clinicId weekday start end } } }`;
const INVITE = `mutation I($input: InviteStaffInput!) { inviteStaff(input: $input) { id email displayName role practitionerId expiresAt } }`;
const ACCEPT_INVITATION = `mutation A($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken me { roles } } }`;
const MEMBERS = `{ members(first: 200) { nodes { id role status user { id email displayName status } practitioner { id } } } }`;
const LINK = `mutation L($p: ID!, $u: ID!) { linkPractitionerLogin(practitionerId: $p, userId: $u) { id userId } }`;
const UNLINK = `mutation L($p: ID!) { unlinkPractitionerLogin(practitionerId: $p) { id userId } }`;

const windowAt = (clinicId: string, weekday = 1, start = '09:00', end = '12:00') => ({ clinicId, weekday, start, end });

describe('a clinic manager and practitioners of other clinics', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let london: string;
  let newYork: string;
  let manager: { userId: string; token: string };
  let nyOnly: string;
  let both: string;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Staff Scope Chain');
    london = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'London' }) }, admin.token)).data?.createClinic.id;
    newYork = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'New York', timeZone: 'America/New_York', country: 'US' }) }, admin.token)).data?.createClinic.id;
    manager = await member(t, admin.organizationId, 'CLINIC_MANAGER', [london]);
    const create = async (name: string, availability: unknown[]) =>
      (await t.gql(CREATE_PRACTITIONER, { input: { displayName: name, discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH'], availability } }, admin.token)).data?.createPractitioner.id;
    nyOnly = await create('Only In New York', [windowAt(newYork)]);
    both = await create('In Both', [windowAt(london, 1), windowAt(newYork, 2)]);
  });
  afterAll(() => t.stop());

  const availability = async (id: string) => (await t.gql(GET, { id }, admin.token)).data?.practitioner.availability;

  it('refuses to rename, or set the availability of, a practitioner who works only at another clinic', async () => {
    expect(codeOf(await t.gql(UPDATE, { id: nyOnly, input: { displayName: 'Renamed' } }, manager.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(SET, { id: nyOnly, w: [windowAt(london)] }, manager.token))).toBe('FORBIDDEN');
    expect((await t.gql(GET, { id: nyOnly }, admin.token)).data?.practitioner).toMatchObject({ displayName: 'Only In New York', availability: [windowAt(newYork)] });
  });

  it('refuses windows at another clinic, naming the window', async () => {
    const res = await t.gql(SET, { id: both, w: [windowAt(london, 3), windowAt(newYork, 4)] }, manager.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'windows[1].clinicId' });
    const created = await t.gql(CREATE_PRACTITIONER, { input: { displayName: 'Sneaky', discipline: 'PHYSICIAN', modalities: [], availability: [windowAt(newYork)] } }, manager.token);
    expect(created.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.availability[0].clinicId' });
  });

  it('replaces only the windows at the manager’s clinics; an empty list is BAD_USER_INPUT, clearing is its own mutation', async () => {
    expect((await t.gql(SET, { id: both, w: [windowAt(london, 5, '10:00', '11:00')] }, manager.token)).errors).toBeUndefined();
    expect(await availability(both)).toEqual([windowAt(newYork, 2), windowAt(london, 5, '10:00', '11:00')]);

    const empty = await t.gql(SET, { id: both, w: [] }, manager.token);
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'windows' });
    expect(empty.errors?.[0].message).toMatch(/clearPractitionerAvailability/);
    expect(codeOf(await t.gql(SET, { id: both, w: [] }, admin.token))).toBe('BAD_USER_INPUT');
    expect(await availability(both)).toHaveLength(2);

    const clearedElsewhere = await t.gql(CLEAR, { id: both, c: newYork }, manager.token);
    expect(clearedElsewhere.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'clinicId' });
    expect((await t.gql(CLEAR, { id: both, c: london }, manager.token)).errors).toBeUndefined();
    expect(await availability(both)).toEqual([windowAt(newYork, 2)]);
    const [audit] = await t.tdb.dataSource.query(`SELECT detail FROM audit_event WHERE action = 'practitioner.availability_clear' AND record_id = $1`, [both]);
    expect(audit.detail).toEqual({ clinicId: london, windows: 1 });
  });

  it('lets the manager edit a practitioner who works at their clinic or nowhere yet; the admin edits anyone', async () => {
    const fresh = (await t.gql(CREATE_PRACTITIONER, { input: { displayName: 'New Hire', discipline: 'PHYSIOTHERAPIST', modalities: [] } }, manager.token)).data?.createPractitioner.id;
    expect((await t.gql(SET, { id: fresh, w: [windowAt(london)] }, manager.token)).errors).toBeUndefined();
    expect((await t.gql(UPDATE, { id: fresh, input: { displayName: 'New Hire Two' } }, manager.token)).data?.updatePractitioner.displayName).toBe('New Hire Two');
    expect((await t.gql(UPDATE, { id: nyOnly, input: { displayName: 'Renamed By Admin' } }, admin.token)).errors).toBeUndefined();
  });
});

describe('invitations and practitioner logins', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let clinicId: string;
  beforeAll(async () => {
    t = await startTestApi();
    admin = await t.orgWithAdmin('Invite Login Chain');
    clinicId = (
      await t.gql(
        CREATE_CLINIC,
        { input: clinicInput({ name: 'Every Day', openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '06:00', end: '22:00' })) }) },
        admin.token,
      )
    ).data?.createClinic.id;
  });
  afterAll(() => t.stop());

  const tokenFor = async (invitationId: string) => {
    const inv = await t.tdb.dataSource.getRepository(Invitation).findOneByOrFail({ id: invitationId });
    return signInvitationToken(inv.id, inv.expiresAt, TEST_SECRET);
  };

  it('shows only what the inviter typed when the invited email already has an account in another organization', async () => {
    const elsewhere = await t.orgWithAdmin('Someone Elses Chain');
    await t.tdb.dataSource.query(`UPDATE app_user SET display_name = 'Dr Private Name' WHERE id = $1`, [elsewhere.userId]);
    const res = await t.gql(INVITE, { input: { email: elsewhere.email, displayName: 'Typed Name', role: 'FRONT_DESK' } }, admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.inviteStaff).toMatchObject({ email: elsewhere.email, displayName: 'Typed Name', role: 'FRONT_DESK', practitionerId: null });
    const members = (await t.gql(MEMBERS, {}, admin.token)).data?.members.nodes;
    const invited = members.find((m: { user: { email: string } }) => m.user.email === elsewhere.email);
    expect(invited).toMatchObject({ status: 'INVITED', user: { email: elsewhere.email, displayName: 'Typed Name', status: 'INVITED' } });
    expect(JSON.stringify(members)).not.toContain('Dr Private Name');
    // Row-level security: the inviting organization's role does not see the account's row either.
    const rows = await t.tdb.dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('role', 'fascia_app', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`, [admin.organizationId, admin.userId]);
      return em.query(`SELECT display_name FROM app_user WHERE id = $1`, [elsewhere.userId]);
    });
    expect(rows).toEqual([]);
  });

  it('invites a practitioner linked to their record, who then takes an intake, accepts a plan, books and signs a note as themselves', async () => {
    const practitionerId = (
      await t.gql(
        CREATE_PRACTITIONER,
        { input: { displayName: 'Ines Invited', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH', 'DEEP_TISSUE'], availability: [1, 2, 3, 4, 5, 6, 7].map((d) => windowAt(clinicId, d, '07:00', '21:00')) } },
        admin.token,
      )
    ).data?.createPractitioner.id;
    const invited = await t.gql(INVITE, { input: { email: 'ines@invited.example', displayName: 'Ines Invited', role: 'PRACTITIONER', clinicIds: [clinicId], practitionerId } }, admin.token);
    expect(invited.errors).toBeUndefined();
    expect(invited.data?.inviteStaff.practitionerId).toBe(practitionerId);

    const accepted = await t.gql(ACCEPT_INVITATION, { input: { token: await tokenFor(invited.data?.inviteStaff.id), password: 'a long enough password' } });
    expect(accepted.errors).toBeUndefined();
    const signIn = await t.gql(SIGN_IN, { input: { email: 'ines@invited.example', password: 'a long enough password' } });
    const token: string = signIn.data?.signIn.accessToken;
    const userId: string = signIn.data?.signIn.me.user.id;
    expect((await t.gql(GET, { id: practitionerId }, token)).data?.practitioner.userId).toBe(userId);

    const clientId = (await t.gql(`mutation { createClient(input: { firstName: "Ola", lastName: "Patient" }) { id } }`, {}, token)).data?.createClient.id;
    const intake = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId, intake: intakeInput() } }, token);
    expect(intake.errors).toBeUndefined();
    const planId = (await t.gql(PROPOSE, { intakeId: intake.data?.recordIntake.id }, token)).data?.proposePlan.id;
    const plan = await t.gql(ACCEPT, { planId }, token);
    expect(plan.errors).toBeUndefined();
    expect(plan.data?.acceptPlan.versions[0].changedBy).toBe(userId);

    const startsAt = DateTime.now().setZone('Europe/London').plus({ days: 1 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toFormat("yyyy-MM-dd'T'HH:mm");
    const booked = await t.gql(
      `mutation B($input: BookAppointmentInput!) { bookAppointment(input: $input) { id practitionerId } }`,
      { input: { clinicId, practitionerId, clientId, planId, startsAt, durationMinutes: 60 } },
      token,
    );
    expect(booked.errors).toBeUndefined();
    const appointmentId = booked.data?.bookAppointment.id;
    // The session takes place: time is the one thing moved with SQL.
    await t.tdb.dataSource.query(`UPDATE appointment SET starts_at = now() - interval '70 minutes', ends_at = now() - interval '10 minutes' WHERE id = $1`, [appointmentId]);
    const started = await t.gql(
      `mutation S($id: ID!) { startSessionNote(appointmentId: $id, checkin: { painNow: 6, painAreas: ["lower-back"], pressureToday: FIRM }) { id } }`,
      { id: appointmentId },
      token,
    );
    expect(started.errors).toBeUndefined();
    const noteId = started.data?.startSessionNote.id;
    const updated = await t.gql(
      `mutation U($id: ID!, $input: UpdateSessionNoteInput!) { updateSessionNote(id: $id, input: $input) { id } }`,
      { id: noteId, input: { techniques: [{ technique: 'SWEDISH', pressure: 'FIRM', areas: ['lower-back'], minutes: 50 }], durationMinutes: 60, painAfter: 3 } },
      token,
    );
    expect(updated.errors).toBeUndefined();
    const signed = await t.gql(`mutation G($id: ID!) { signSessionNote(id: $id) { id signed } }`, { id: noteId }, token);
    expect(signed.errors).toBeUndefined();
    expect(signed.data?.signSessionNote.signed).toBe(true);
    const [row] = await t.tdb.dataSource.query(`SELECT action FROM audit_event WHERE action = 'note.sign' AND actor_user_id = $1`, [userId]);
    expect(row).toEqual({ action: 'note.sign' });
  });

  it('lets an organization admin link and unlink a member’s login; conflicts and other roles are refused', async () => {
    const desk = await member(t, admin.organizationId, 'PRACTITIONER');
    const create = async (name: string) =>
      (await t.gql(CREATE_PRACTITIONER, { input: { displayName: name, discipline: 'MASSAGE_THERAPIST', modalities: [] } }, admin.token)).data?.createPractitioner.id;
    const first = await create('First Record');
    const second = await create('Second Record');
    // Before the link, the login has no practitioner to act as.
    const clientId = (await t.gql(`mutation { createClient(input: { firstName: "Lin", lastName: "Ked" }) { id } }`, {}, desk.token)).data?.createClient.id;
    const before = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId, intake: intakeInput() } }, desk.token);
    expect(before.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.practitionerId' });

    expect(codeOf(await t.gql(LINK, { p: first, u: desk.userId }, desk.token))).toBe('FORBIDDEN');
    const linked = await t.gql(LINK, { p: first, u: desk.userId }, admin.token);
    expect(linked.data?.linkPractitionerLogin).toEqual({ id: first, userId: desk.userId });
    const members = (await t.gql(MEMBERS, {}, admin.token)).data?.members.nodes;
    expect(members.find((m: { user: { id: string } }) => m.user.id === desk.userId).practitioner).toEqual({ id: first });
    const after = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId, intake: intakeInput() } }, desk.token);
    expect(after.errors).toBeUndefined();
    expect(after.data?.recordIntake.practitionerId).toBe(first);

    const twice = await t.gql(LINK, { p: second, u: desk.userId }, admin.token);
    expect(twice.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'practitionerId', practitionerId: first });
    const taken = await t.gql(LINK, { p: first, u: admin.userId }, admin.token);
    expect(codeOf(taken)).toBe('CONFLICT');
    const stranger = await t.gql(LINK, { p: second, u: '00000000-0000-4000-8000-000000000002' }, admin.token);
    expect(stranger.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });

    expect((await t.gql(UNLINK, { p: first }, admin.token)).data?.unlinkPractitionerLogin).toEqual({ id: first, userId: null });
    expect((await t.gql(LINK, { p: second, u: desk.userId }, admin.token)).data?.linkPractitionerLogin).toEqual({ id: second, userId: desk.userId });
    const actions = await t.tdb.dataSource.query(`SELECT action FROM audit_event WHERE action LIKE 'practitioner.login_%' ORDER BY occurred_at`);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['practitioner.login_link', 'practitioner.login_unlink', 'practitioner.login_link']);
  });

  it('refuses an invitation naming a practitioner already linked to another login', async () => {
    const linkedId = (await t.gql(`{ practitioners { nodes { id userId } } }`, {}, admin.token)).data?.practitioners.nodes.find((p: { userId: string | null }) => p.userId)?.id;
    const res = await t.gql(INVITE, { input: { email: 'second@invited.example', displayName: 'Second', role: 'PRACTITIONER', practitionerId: linkedId } }, admin.token);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.practitionerId' });
    const unknown = await t.gql(INVITE, { input: { email: 'third@invited.example', displayName: 'Third', role: 'PRACTITIONER', practitionerId: '00000000-0000-4000-8000-000000000003' } }, admin.token);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.practitionerId' });
  });
});
