import { expireReferral, throughExchange } from '@fascia/db';
import { referralFollowUpTimes } from '@fascia/follow-up';
import { codeOf, startTestApi, type TestApi } from './harness';
import {
  ACCEPT,
  ASSIGN,
  BOOK,
  CANCEL,
  CLOSE,
  COMPLETE,
  CREATE,
  DECLINE,
  GET,
  LINK,
  type Network,
  network,
  nextSlot,
  referralInput,
  SEND,
  SHARED,
  sides,
  signedNote,
  WITHDRAW,
} from './referrals.fixtures';

/**
 * Issue 12, through GraphQL against PostgreSQL: a massage therapist in organization A refers a
 * client to a physiotherapist in partner organization B; the referral goes through every state;
 * the receiver reads exactly the consented records through the one door, audited with the grant.
 */
describe('referrals: a massage therapist refers to a partner physiotherapist', () => {
  let t: TestApi;
  let n: Network;
  let id: string;

  beforeAll(async () => {
    t = await startTestApi();
    n = await network(t, 'Journey');
  });
  afterAll(() => t.stop());

  it('creates a DRAFT from the chart, then sends it: the inbox row, the grant and a notice for B', async () => {
    const created = await t.gql(CREATE, { input: referralInput(n) }, n.a.therapist.token);
    expect(created.errors).toBeUndefined();
    const r = created.data?.createReferral;
    id = r.id;
    expect(r).toMatchObject({ side: 'SENT', status: 'DRAFT', urgency: 'ROUTINE', sharedRecords: ['INTAKE_SUMMARY', 'CURRENT_PLAN'], allowedActions: ['SEND', 'CANCEL'] });
    expect(r.consent).toMatchObject({ method: 'VERBAL', live: false, withdrawnAt: null });
    expect(r.to).toMatchObject({ discipline: 'PHYSIOTHERAPIST', practitionerName: 'Physio Journey' });
    // Nothing reaches B while a DRAFT.
    expect((await sides(t, id)).inbox).toBeUndefined();

    const sent = await t.gql(SEND, { id }, n.a.therapist.token);
    expect(sent.errors).toBeUndefined();
    expect(sent.data?.sendReferral).toMatchObject({ status: 'SENT', consent: { live: true }, overdue: false });
    expect(sent.data?.sendReferral.dueAt).toBeTruthy();
    expect(sent.data?.sendReferral.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['DRAFT', 'SENT']);
    const [inbox] = await t.tdb.dataSource.query(`SELECT organization_id, status, practitioner_id, client_snapshot, due_at, escalate_at, valid_until FROM referral_inbox WHERE id = $1`, [id]);
    expect(inbox).toMatchObject({ organization_id: n.b.organizationId, status: 'SENT', practitioner_id: n.physio.practitionerId });
    expect(inbox.client_snapshot).toMatchObject({ dateOfBirth: '1980-04-02', phone: '+44 7700 900456' });
    expect(inbox.escalate_at.getTime()).toBeGreaterThan(inbox.due_at.getTime());
    // The deadlines are the follow-up rule's, in the receiving clinic's zone and opening hours.
    const [clinic] = await t.tdb.dataSource.query(`SELECT time_zone, opening_hours FROM clinic WHERE id = $1`, [n.b.clinicId]);
    const [{ sent_at: sentAt }] = await t.tdb.dataSource.query(`SELECT sent_at FROM referral_inbox WHERE id = $1`, [id]);
    expect({ dueAt: inbox.due_at, escalateAt: inbox.escalate_at, validUntil: inbox.valid_until }).toEqual(
      referralFollowUpTimes({ urgency: 'ROUTINE', sentAt, timeZone: clinic.time_zone, openingHours: clinic.opening_hours, validForDays: 30 }),
    );
    const grants = await t.tdb.dataSource.query(`SELECT organization_id, grantee_user_id, grantee_organization_id, record_types, revoked_at FROM access_grant WHERE referral_id = $1`, [id]);
    expect(grants).toEqual([
      { organization_id: n.a.organizationId, grantee_user_id: n.physio.userId, grantee_organization_id: n.b.organizationId, record_types: ['INTAKE_SUMMARY', 'CURRENT_PLAN'], revoked_at: null },
    ]);
    const outbox = await t.tdb.dataSource.query(`SELECT organization_id, payload FROM outbox_message WHERE job_name = 'referral.changed' AND payload->>'referralId' = $1`, [id]);
    expect(outbox).toEqual([{ organization_id: n.b.organizationId, payload: { organizationId: n.b.organizationId, referralId: id, toStatus: 'SENT' } }]);
  });

  it('shows B the referral in its inbox, with what travels with it and what the physio may do', async () => {
    const res = await t.gql(`query { referralsInbox { totalCount nodes { id side status client { displayName dateOfBirth localClientId } from { organizationName practitionerName } allowedActions } } }`, {}, n.physio.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.referralsInbox.totalCount).toBe(1);
    expect(res.data?.referralsInbox.nodes[0]).toMatchObject({ id, side: 'RECEIVED', status: 'SENT', client: { dateOfBirth: '1980-04-02', localClientId: null }, allowedActions: ['ACCEPT', 'DECLINE', 'MESSAGE'] });
    expect(res.data?.referralsInbox.nodes[0].from.organizationName).toMatch(/Journey Massage/);
    // The outbox is A's only.
    const out = await t.gql(`query { referralsOutbox { totalCount } }`, {}, n.physio.token);
    expect(out.data?.referralsOutbox.totalCount).toBe(0);
  });

  it('lets the physio read exactly the consented records, each read audited with its grant', async () => {
    await signedNote(t, n);
    const res = await t.gql(SHARED, { id }, n.physio.token);
    expect(res.errors).toBeUndefined();
    const shared = res.data?.referralSharedRecords;
    expect(shared.consented).toEqual(['INTAKE_SUMMARY', 'CURRENT_PLAN']);
    expect(shared.intakeSummary).toMatchObject({ id: n.intakeId, version: 1, blocked: false });
    expect(shared.currentPlan).toMatchObject({ id: n.planId, status: 'ACTIVE' });
    expect(shared.currentPlan.body).toBeTruthy();
    expect(shared.outcomeHistory).toBeNull();
    expect(shared.signedNotes).toBeNull();
    const [grant] = await t.tdb.dataSource.query(`SELECT id FROM access_grant WHERE referral_id = $1`, [id]);
    const audit = await t.tdb.dataSource.query(
      `SELECT organization_id, actor_user_id, record_type, detail FROM audit_event WHERE action = 'referral.shared-records.read' AND outcome = 'SUCCESS' AND record_id = $1 ORDER BY record_type`,
      [id],
    );
    expect(audit).toEqual([
      expect.objectContaining({ organization_id: n.b.organizationId, actor_user_id: n.physio.userId, record_type: 'CURRENT_PLAN', detail: expect.objectContaining({ grantId: grant.id, referralId: id }) }),
      expect.objectContaining({ record_type: 'INTAKE_SUMMARY', detail: expect.objectContaining({ grantId: grant.id, referralId: id }) }),
    ]);
  });

  it('keeps every other clinical query of that client denied or empty from B’s side', async () => {
    const [note] = await t.tdb.dataSource.query(`SELECT id, appointment_id FROM session_note WHERE client_id = $1`, [n.clientId]);
    const [reassessment] = await t.tdb.dataSource.query(`SELECT gen_random_uuid() AS id`);
    const probes: [string, string, Record<string, unknown>][] = [
      ['client', `query Q($id: ID!) { client(id: $id) { id firstName } }`, { id: n.clientId }],
      ['clientChart', `query Q($id: ID!) { clientChart(clientId: $id) { client { id } appointments { id } trajectory { painNrs } } }`, { id: n.clientId }],
      ['intake', `query Q($id: ID!) { intake(id: $id) { id } }`, { id: n.intakeId }],
      ['plan', `query Q($id: ID!) { plan(id: $id) { id } }`, { id: n.planId }],
      ['sessionNote', `query Q($id: ID!) { sessionNote(id: $id) { id } }`, { id: note.id }],
      ['appointment', `query Q($id: ID!) { appointment(id: $id) { id } }`, { id: note.appointment_id }],
      ['reassessment', `query Q($id: ID!) { reassessment(id: $id) { id } }`, { id: reassessment.id }],
      ['clientReferrals', `query Q($id: ID!) { clientReferrals(clientId: $id) { id } }`, { id: n.clientId }],
      ['clients search', `query Q { clients(search: "Number") { totalCount nodes { id } } }`, {}],
      ['calendar', `query Q($c: ID!) { calendar(clinicId: $c, from: "2025-06-02", days: 7) { appointments { id clientId } } }`, { c: n.a.clinicId }],
      ['tasks', `query Q { practitionerTasks { nodes { id client { id } } } }`, {}],
    ];
    for (const token of [n.physio.token, n.manager.token, n.b.admin.token]) {
      for (const [name, query, variables] of probes) {
        const res = await t.gql(query, variables, token);
        const text = JSON.stringify(res.data ?? {});
        // Denied (an error) or empty: never a row of A's client.
        expect([name, text.includes(n.clientId) || text.includes(n.intakeId) || text.includes(n.planId) || text.includes(note.id)]).toEqual([name, false]);
        if (res.errors) expect([name, codeOf(res)]).toEqual([name, expect.stringMatching(/^(NOT_FOUND|FORBIDDEN|BAD_USER_INPUT)$/)]);
      }
    }
    // B's manager holds no grant on a named referral: no shared records either.
    expect(codeOf(await t.gql(SHARED, { id }, n.manager.token))).toBe('FORBIDDEN');
    // And the DENIED read is audited.
    const [{ denied }] = await t.tdb.dataSource.query(`SELECT count(*)::int AS denied FROM audit_event WHERE action = 'referral.shared-records.read' AND outcome = 'DENIED' AND actor_user_id = $1`, [n.manager.userId]);
    expect(denied).toBe(1);
  });

  it('accepts, links the client, books with referralId (→ SCHEDULED), completes with a reply, and the referrer closes', async () => {
    const accepted = await t.gql(ACCEPT, { input: { id, note: 'Happy to see them' } }, n.physio.token);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptReferral).toMatchObject({ status: 'ACCEPTED', allowedActions: ['LINK_CLIENT', 'MESSAGE'] });
    // Booking before the client is linked is refused, and changes nothing.
    const early = await t.gql(BOOK, { input: { clinicId: n.b.clinicId, practitionerId: n.physio.practitionerId, clientId: n.clientId, startsAt: nextSlot(), durationMinutes: 45, referralId: id } }, n.physio.token);
    expect(codeOf(early)).toMatch(/BAD_USER_INPUT|NOT_FOUND/);

    const linked = await t.gql(LINK, { input: { id, createClient: true } }, n.physio.token);
    expect(linked.errors).toBeUndefined();
    const localClientId = linked.data?.linkReferralClient.client.localClientId;
    expect(localClientId).toBeTruthy();
    expect(localClientId).not.toBe(n.clientId);
    const [local] = await t.tdb.dataSource.query(`SELECT organization_id, first_name, date_of_birth::text AS dob FROM client WHERE id = $1`, [localClientId]);
    expect(local).toMatchObject({ organization_id: n.b.organizationId, dob: '1980-04-02' });

    const booked = await t.gql(BOOK, { input: { clinicId: n.b.clinicId, practitionerId: n.physio.practitionerId, clientId: localClientId, startsAt: nextSlot(), durationMinutes: 45, referralId: id } }, n.physio.token);
    expect(booked.errors).toBeUndefined();
    const appointmentId = booked.data?.bookAppointment.id;
    const scheduled = await t.gql(GET, { id }, n.physio.token);
    expect(scheduled.data?.referral).toMatchObject({ status: 'SCHEDULED', appointmentId, allowedActions: ['LINK_CLIENT', 'COMPLETE', 'MESSAGE'] });

    const completed = await t.gql(
      COMPLETE,
      { input: { id, reply: { findings: 'Reduced lumbar flexion, no red flags', treatment: 'Mobilisation, McKenzie extension', recommendations: 'Continue massage fortnightly', onwardReferral: null } } },
      n.physio.token,
    );
    expect(completed.errors).toBeUndefined();
    expect(completed.data?.completeReferral.status).toBe('COMPLETED');

    // The referrer sees the reply.
    const seen = await t.gql(GET, { id }, n.a.therapist.token);
    expect(seen.data?.referral).toMatchObject({
      side: 'SENT',
      status: 'COMPLETED',
      reply: { findings: 'Reduced lumbar flexion, no red flags', recommendations: 'Continue massage fortnightly', repliedByName: 'Physio Journey' },
      allowedActions: ['CLOSE', 'WITHDRAW_CONSENT', 'MESSAGE'],
    });
    const closed = await t.gql(CLOSE, { id }, n.a.therapist.token);
    expect(closed.errors).toBeUndefined();
    expect(closed.data?.closeReferral).toMatchObject({ status: 'CLOSED', consent: { live: false }, allowedActions: [] });
    expect(closed.data?.closeReferral.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['DRAFT', 'SENT', 'ACCEPTED', 'ACCEPTED', 'SCHEDULED', 'COMPLETED', 'CLOSED']);
    expect(await sides(t, id)).toMatchObject({ referral: { status: 'CLOSED' }, inbox: { status: 'CLOSED', appointment_id: appointmentId } });
    // B's timeline has its own rows of the same changes.
    const bEvents = await t.gql(GET, { id }, n.physio.token);
    expect(bEvents.data?.referral.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['SENT', 'ACCEPTED', 'ACCEPTED', 'SCHEDULED', 'COMPLETED', 'CLOSED']);
    expect(bEvents.data?.referral.events.find((e: { toStatus: string }) => e.toStatus === 'CLOSED').byOwnOrganization).toBe(false);
    // Closing ended access.
    expect(codeOf(await t.gql(SHARED, { id }, n.physio.token))).toBe('FORBIDDEN');
    const [{ live }] = await t.tdb.dataSource.query(`SELECT count(*)::int AS live FROM access_grant WHERE referral_id = $1 AND revoked_at IS NULL`, [id]);
    expect(live).toBe(0);
  });

  it('refuses illegal moves with CONFLICT or BAD_USER_INPUT and changes nothing', async () => {
    const sent = await t.gql(CREATE, { input: referralInput(n, { send: true }) }, n.a.therapist.token);
    const other = sent.data?.createReferral.id;
    const before = await sides(t, other);
    expect(before.referral?.status).toBe('SENT');
    const attempts: [string, string, Record<string, unknown>, string, string][] = [
      ['complete a SENT referral', COMPLETE, { input: { id: other, reply: { findings: 'x' } } }, n.physio.token, 'CONFLICT'],
      ['close a SENT referral', CLOSE, { id: other }, n.a.therapist.token, 'CONFLICT'],
      ['send it again', SEND, { id: other }, n.a.therapist.token, 'CONFLICT'],
      ['decline without a reason', DECLINE, { input: { id: other, reason: '  ' } }, n.physio.token, 'BAD_USER_INPUT'],
      ['cancel without a reason', CANCEL, { input: { id: other, reason: '' } }, n.a.therapist.token, 'BAD_USER_INPUT'],
      ['the referrer accepts', ACCEPT, { input: { id: other } }, n.a.therapist.token, 'NOT_FOUND'],
      ['the receiver cancels', CANCEL, { input: { id: other, reason: 'no' } }, n.physio.token, 'NOT_FOUND'],
      ['assign a named referral', ASSIGN, { input: { id: other, practitionerId: n.physio.practitionerId } }, n.manager.token, 'CONFLICT'],
    ];
    for (const [what, query, variables, token, code] of attempts) {
      expect([what, codeOf(await t.gql(query, variables, token))]).toEqual([what, code]);
    }
    expect(await sides(t, other)).toEqual(before);
    const declined = await t.gql(DECLINE, { input: { id: other, reason: 'Not taking new lumbar cases this month' } }, n.physio.token);
    expect(declined.data?.declineReferral).toMatchObject({ status: 'DECLINED', allowedActions: ['MESSAGE'] });
    expect(declined.data?.declineReferral.events.at(-1)).toMatchObject({ toStatus: 'DECLINED', reason: 'Not taking new lumbar cases this month' });
    expect(codeOf(await t.gql(SHARED, { id: other }, n.physio.token))).toBe('FORBIDDEN');
  });

  it('refuses a referral outside the caller’s organization and partners, to a discipline no clinic offers, or without live consent', async () => {
    const stranger = await network(t, 'Stranger', { partners: false });
    const bad: [string, Record<string, unknown>, string][] = [
      ['a clinic of a non-partner', { targetClinicId: stranger.b.clinicId, targetPractitionerId: stranger.physio.practitionerId }, 'input.targetClinicId'],
      ['a discipline no clinic offers', { targetPractitionerId: null, targetDiscipline: 'ACUPUNCTURIST' }, 'input.targetDiscipline'],
      ['the wrong discipline for the practitioner', { targetDiscipline: 'PAIN_SPECIALIST' }, 'input.targetDiscipline'],
      ['consent that has ended', { consent: { method: 'WRITTEN', endsOn: '2020-01-01' } }, 'input.consent.endsOn'],
      ['an unknown record type', { sharedRecords: ['EVERYTHING'] }, 'input.sharedRecords'],
      ['too long a validity', { validForDays: 91 }, 'input.validForDays'],
    ];
    const [{ before }] = await t.tdb.dataSource.query(`SELECT count(*)::int AS before FROM referral`);
    for (const [what, overrides, field] of bad) {
      const res = await t.gql(CREATE, { input: referralInput(n, overrides) }, n.a.therapist.token);
      expect([what, codeOf(res)]).toEqual([what, 'BAD_USER_INPUT']);
      if (res.errors?.[0]?.extensions?.field) expect([what, res.errors[0].extensions.field]).toEqual([what, expect.stringContaining(field)]);
    }
    const [{ after }] = await t.tdb.dataSource.query(`SELECT count(*)::int AS after FROM referral`);
    expect(after).toBe(before);

    // Row-level security is the second lock: a referral row naming a non-partner (written past the
    // API, as a bug might) can neither deliver its inbox row nor name anyone to grant to.
    const [rogue] = await t.tdb.dataSource.query(
      `INSERT INTO referral (organization_id, client_id, referring_user_id, referring_clinic_id, target_organization_id, target_clinic_id, target_discipline,
         reason, clinical_question, urgency, consent_method, consent_recorded_by_user_id, consent_recorded_at, consent_ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'PHYSIOTHERAPIST', 'r', 'q', 'ROUTINE', 'VERBAL', $3, now(), now() + interval '1 day') RETURNING id`,
      [n.a.organizationId, n.clientId, n.a.therapist.userId, n.a.clinicId, stranger.b.organizationId, stranger.b.clinicId],
    );
    const asA = { organizationId: n.a.organizationId, userId: n.a.therapist.userId };
    const grantees = await t.tdb.db.tenant(asA, (tx) => throughExchange(tx, (em) => em.query(`SELECT user_id FROM fascia_referral_grantees($1)`, [rogue.id])));
    expect(grantees).toEqual([]);
    await expect(
      t.tdb.db.tenant(asA, (tx) =>
        throughExchange(tx, (em) =>
          em.query(
            `INSERT INTO referral_inbox (organization_id, id, source_organization_id, source_organization_name, source_clinic_name, referrer_name, clinic_id, discipline, urgency, status,
               reason, clinical_question, consent_method, consent_recorded_at, consent_ends_at, client_snapshot, sent_at, due_at, escalate_at, valid_until)
             VALUES ($1, $2, $3, 'A', 'A', 'A', $4, 'PHYSIOTHERAPIST', 'ROUTINE', 'SENT', 'r', 'q', 'VERBAL', now(), now(), '{}', now(), now(), now(), now())`,
            [stranger.b.organizationId, rogue.id, n.a.organizationId, stranger.b.clinicId],
          ),
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('routes a pool referral to the receiving clinic’s managers, then to the practitioner they assign', async () => {
    const pool = await t.gql(CREATE, { input: referralInput(n, { targetPractitionerId: null, send: true, sharedRecords: ['SIGNED_NOTES', 'OUTCOME_HISTORY'] }) }, n.a.therapist.token);
    expect(pool.errors).toBeUndefined();
    const poolId = pool.data?.createReferral.id;
    expect(pool.data?.createReferral.to.practitionerName).toBeNull();
    // The manager holds the grant while the pool is unassigned; the physio does not.
    expect(codeOf(await t.gql(SHARED, { id: poolId }, n.physio.token))).toBe('FORBIDDEN');
    const managerRead = await t.gql(SHARED, { id: poolId }, n.manager.token);
    expect(managerRead.errors).toBeUndefined();
    expect(managerRead.data?.referralSharedRecords.signedNotes).toEqual([expect.objectContaining({ painAfter: 4, addenda: ['Client called: easier'] })]);
    expect(managerRead.data?.referralSharedRecords.outcomeHistory.length).toBeGreaterThan(0);
    expect(managerRead.data?.referralSharedRecords.intakeSummary).toBeNull();
    // Only the manager assigns.
    expect(codeOf(await t.gql(ASSIGN, { input: { id: poolId, practitionerId: n.physio.practitionerId } }, n.physio.token))).toBe('FORBIDDEN');
    const inbox = await t.gql(GET, { id: poolId }, n.manager.token);
    expect(inbox.data?.referral.allowedActions).toEqual(['ACCEPT', 'DECLINE', 'ASSIGN', 'MESSAGE']);
    const assigned = await t.gql(ASSIGN, { input: { id: poolId, practitionerId: n.physio.practitionerId } }, n.manager.token);
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data?.assignReferral.to.practitionerName).toBe('Physio Journey');
    expect((await t.gql(GET, { id: poolId }, n.a.therapist.token)).data?.referral.to.practitionerName).toBe('Physio Journey');
    const physioRead = await t.gql(SHARED, { id: poolId }, n.physio.token);
    expect(physioRead.errors).toBeUndefined();
    expect(physioRead.data?.referralSharedRecords.consented).toEqual(['OUTCOME_HISTORY', 'SIGNED_NOTES']);
  });

  it('ends access at the next request once the client withdraws consent; the referral stays', async () => {
    const res = await t.gql(CREATE, { input: referralInput(n, { send: true }) }, n.a.therapist.token);
    const wid = res.data?.createReferral.id;
    expect((await t.gql(SHARED, { id: wid }, n.physio.token)).errors).toBeUndefined();
    expect(codeOf(await t.gql(WITHDRAW, { input: { id: wid, reason: '' } }, n.a.therapist.token))).toBe('BAD_USER_INPUT');
    const withdrawn = await t.gql(WITHDRAW, { input: { id: wid, reason: 'Client phoned to withdraw consent' } }, n.a.therapist.token);
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data?.withdrawReferralConsent).toMatchObject({ status: 'SENT', consent: { live: false } });
    const denied = await t.gql(SHARED, { id: wid }, n.physio.token);
    expect(codeOf(denied)).toBe('FORBIDDEN');
    expect(denied.errors?.[0].message).toMatch(/withdrew their consent/);
    const seen = await t.gql(GET, { id: wid }, n.physio.token);
    expect(seen.data?.referral).toMatchObject({ status: 'SENT', consent: { live: false } });
    expect(seen.data?.referral.consent.withdrawnAt).toBeTruthy();
  });

  it('lets the system expire an unanswered referral (the worker’s expireReferral): both sides EXPIRED, access gone, the referrer told', async () => {
    const res = await t.gql(CREATE, { input: referralInput(n, { send: true, urgency: 'URGENT' }) }, n.a.therapist.token);
    const eid = res.data?.createReferral.id;
    const now = new Date();
    // Not yet past its validity: nothing changes.
    expect(await expireReferral(t.tdb.db, { organizationId: n.a.organizationId, referralId: eid, now })).toBe(false);
    await t.tdb.dataSource.query(`UPDATE referral SET valid_until = now() - interval '1 minute' WHERE id = $1`, [eid]);
    expect(await expireReferral(t.tdb.db, { organizationId: n.a.organizationId, referralId: eid, now })).toBe(true);
    expect(await expireReferral(t.tdb.db, { organizationId: n.a.organizationId, referralId: eid, now })).toBe(false);
    expect(await sides(t, eid)).toMatchObject({ referral: { status: 'EXPIRED' }, inbox: { status: 'EXPIRED' } });
    expect(codeOf(await t.gql(SHARED, { id: eid }, n.physio.token))).toBe('FORBIDDEN');
    const notices = await t.tdb.dataSource.query(`SELECT organization_id FROM outbox_message WHERE job_name = 'referral.changed' AND payload->>'referralId' = $1 AND payload->>'toStatus' = 'EXPIRED'`, [eid]);
    expect(notices).toEqual([{ organization_id: n.a.organizationId }]);
    const [event] = await t.tdb.dataSource.query(`SELECT actor_user_id, actor_name FROM referral_event WHERE referral_id = $1 AND to_status = 'EXPIRED' AND organization_id = $2`, [eid, n.b.organizationId]);
    expect(event).toMatchObject({ actor_user_id: null });
  });

  it('ends an accept racing a cancel (both acting on the SENT referral they saw) in one state and one CONFLICT', async () => {
    for (let round = 0; round < 3; round++) {
      const res = await t.gql(CREATE, { input: referralInput(n, { send: true }) }, n.a.therapist.token);
      const rid = res.data?.createReferral.id;
      const [accept, cancel] = await Promise.all([
        t.gql(ACCEPT, { input: { id: rid, expectedStatus: 'SENT' } }, n.physio.token),
        t.gql(CANCEL, { input: { id: rid, reason: 'Client found a closer clinic', expectedStatus: 'SENT' } }, n.a.therapist.token),
      ]);
      const codes = [codeOf(accept), codeOf(cancel)];
      // Whoever locked the referrer's row first won; the other saw the new state.
      expect(codes.filter((c) => c === undefined)).toHaveLength(1);
      expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(1);
      const { referral, inbox } = await sides(t, rid);
      expect(referral?.status).toBe(inbox?.status);
      expect(referral?.status).toBe(codes[0] === undefined ? 'ACCEPTED' : 'CANCELLED');
      const [{ events }] = await t.tdb.dataSource.query(`SELECT count(*)::int AS events FROM referral_event WHERE referral_id = $1 AND to_status IN ('ACCEPTED','CANCELLED')`, [rid]);
      expect(events).toBe(2); // one change, one row per side
    }
  });

  it('ends a decline racing a cancel in one state and one CONFLICT (neither can follow the other)', async () => {
    for (let round = 0; round < 3; round++) {
      const res = await t.gql(CREATE, { input: referralInput(n, { send: true }) }, n.a.therapist.token);
      const rid = res.data?.createReferral.id;
      const [decline, cancel] = await Promise.all([
        t.gql(DECLINE, { input: { id: rid, reason: 'Fully booked' } }, n.physio.token),
        t.gql(CANCEL, { input: { id: rid, reason: 'Client found a closer clinic' } }, n.a.therapist.token),
      ]);
      const codes = [codeOf(decline), codeOf(cancel)];
      expect(codes.filter((c) => c === undefined)).toHaveLength(1);
      expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(1);
      const { referral, inbox } = await sides(t, rid);
      expect(referral?.status).toBe(inbox?.status);
      expect(referral?.status).toBe(codes[0] === undefined ? 'DECLINED' : 'CANCELLED');
    }
  });

  it('lists the outbox and inbox in the same number of SQL statements however many referrals (no N+1)', async () => {
    const LIST = `query { referralsOutbox(first: 50) { totalCount nodes { id status client { displayName } from { clinicName } to { clinicName } events { toStatus } allowedActions } } }`;
    const INBOX = `query { referralsInbox(first: 50) { totalCount nodes { id status to { clinicName practitionerName } events { toStatus } allowedActions } } }`;
    const count = async (query: string, token: string): Promise<number> => {
      t.tdb.queries.length = 0;
      const res = await t.gql(query, {}, token);
      expect(res.errors).toBeUndefined();
      return t.tdb.queries.length;
    };
    const outboxBefore = await count(LIST, n.a.therapist.token);
    const inboxBefore = await count(INBOX, n.physio.token);
    for (let i = 0; i < 4; i++) await t.gql(CREATE, { input: referralInput(n, { send: true }) }, n.a.therapist.token);
    expect(await count(LIST, n.a.therapist.token)).toBe(outboxBefore);
    expect(await count(INBOX, n.physio.token)).toBe(inboxBefore);
    expect(outboxBefore).toBeLessThanOrEqual(12);
    expect(inboxBefore).toBeLessThanOrEqual(12);
  });

  it('has an audit event naming its grant (and referral) for every cross-organization read of this file', async () => {
    const reads = await t.tdb.dataSource.query(
      `SELECT e.detail->>'grantId' AS grant_id, e.detail->>'referralId' AS referral_id, e.actor_user_id, g.id AS found, g.referral_id::text AS grant_referral, g.grantee_user_id
         FROM audit_event e LEFT JOIN access_grant g ON g.id::text = e.detail->>'grantId'
        WHERE e.action = 'referral.shared-records.read' AND e.outcome = 'SUCCESS'`,
    );
    expect(reads.length).toBeGreaterThanOrEqual(6);
    for (const r of reads) {
      expect(r.found).toBeTruthy();
      expect(r.grant_referral).toBe(r.referral_id);
      expect(r.grantee_user_id).toBe(r.actor_user_id);
    }
  });
});
