import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { TestApi } from './harness';
import { activePlan, member, practice, type Practice } from './intake-plan.fixtures';

/** Shared set-up for the referral tests: a massage practice (A), a partner physiotherapy practice (B). */

export const REFERRAL_FIELDS = `id side status urgency reason clinicalQuestion sharedRecords
  consent { method recordedAt recordedBy endsOn withdrawnAt live }
  client { displayName dateOfBirth phone email localClientId }
  from { organizationName clinicName practitionerName } to { organizationName clinicName practitionerName discipline }
  createdAt sentAt dueAt validUntil overdue appointmentId sourceReassessmentId allowedActions
  reply { findings treatment recommendations onwardReferral repliedByName }
  events { fromStatus toStatus actorName byOwnOrganization reason at }`;

export const CREATE = `mutation C($input: CreateReferralInput!) { createReferral(input: $input) { ${REFERRAL_FIELDS} } }`;
export const SEND = `mutation S($id: ID!) { sendReferral(id: $id) { ${REFERRAL_FIELDS} } }`;
export const CANCEL = `mutation X($input: ReferralReasonInput!) { cancelReferral(input: $input) { ${REFERRAL_FIELDS} } }`;
export const CLOSE = `mutation Z($id: ID!) { closeReferral(id: $id) { ${REFERRAL_FIELDS} } }`;
export const WITHDRAW = `mutation W($input: ReferralReasonInput!) { withdrawReferralConsent(input: $input) { ${REFERRAL_FIELDS} } }`;
export const ACCEPT = `mutation A($input: AcceptReferralInput!) { acceptReferral(input: $input) { ${REFERRAL_FIELDS} } }`;
export const DECLINE = `mutation D($input: ReferralReasonInput!) { declineReferral(input: $input) { ${REFERRAL_FIELDS} } }`;
export const ASSIGN = `mutation G($input: AssignReferralInput!) { assignReferral(input: $input) { ${REFERRAL_FIELDS} } }`;
export const LINK = `mutation L($input: LinkReferralClientInput!) { linkReferralClient(input: $input) { ${REFERRAL_FIELDS} } }`;
export const COMPLETE = `mutation M($input: CompleteReferralInput!) { completeReferral(input: $input) { ${REFERRAL_FIELDS} } }`;
export const GET = `query R($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`;
export const SHARED = `query Sh($id: ID!) { referralSharedRecords(referralId: $id) {
  referralId consented intakeSummary { id version blocked intake } currentPlan { id status version body }
  outcomeHistory { source painNrs } signedNotes { id painAfter soap addenda } } }`;
export const BOOK = `mutation B($input: BookAppointmentInput!) { bookAppointment(input: $input) { id clientId status } }`;

export interface Network {
  a: Practice;
  b: Practice;
  /** B's physiotherapist (a login), working at B's clinic. */
  physio: { userId: string; token: string; practitionerId: string };
  /** B's clinic manager (pool referrals). */
  manager: { userId: string; token: string };
  /** A's client with an intake and an ACTIVE plan. */
  clientId: string;
  planId: string;
  intakeId: string;
}

/** Both sides of an ACTIVE partnership (the partners' own API is R2's; a fixture here). */
export async function partners(t: TestApi, a: string, b: string): Promise<void> {
  const id = randomUUID();
  await t.tdb.dataSource.query(
    `INSERT INTO partnership (organization_id, id, partner_organization_id, direction, status, invited_by_user_id, responded_at)
     VALUES ($1::uuid, $3::uuid, $2::uuid, 'OUTGOING', 'ACTIVE', gen_random_uuid(), now()),
            ($2::uuid, $3::uuid, $1::uuid, 'INCOMING', 'ACTIVE', gen_random_uuid(), now())`,
    [a, b, id],
  );
}

export async function network(t: TestApi, name: string, options: { partners?: boolean } = {}): Promise<Network> {
  const a = await practice(t, `${name} Massage`);
  const b = await practice(t, `${name} Physio`);
  const p = await t.gql(
    `mutation P($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
    { input: { displayName: `Physio ${name}`, discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY'] } },
    b.admin.token,
  );
  const practitionerId = p.data?.createPractitioner.id;
  const login = await member(t, b.organizationId, 'PRACTITIONER');
  await t.tdb.dataSource.query(`UPDATE practitioner SET user_id = $1 WHERE id = $2`, [login.userId, practitionerId]);
  const avail = await t.gql(
    `mutation A($id: ID!, $w: [AvailabilityInput!]!) { setPractitionerAvailability(practitionerId: $id, windows: $w) { id } }`,
    { id: practitionerId, w: [1, 2, 3, 4, 5].map((weekday) => ({ clinicId: b.clinicId, weekday, start: '08:00', end: '19:00' })) },
    b.admin.token,
  );
  if (avail.errors) throw new Error(JSON.stringify(avail.errors));
  const manager = await member(t, b.organizationId, 'CLINIC_MANAGER', [b.clinicId]);
  if (options.partners !== false) await partners(t, a.organizationId, b.organizationId);
  const plan = await activePlan(t, a);
  await t.tdb.dataSource.query(`UPDATE client SET clinic_ids = $1, date_of_birth = '1980-04-02', phone = '+44 7700 900456', email = 'referred@example.org' WHERE id = $2`, [
    [a.clinicId],
    plan.clientId,
  ]);
  return { a, b, physio: { ...login, practitionerId }, manager, ...plan };
}

/** A signed session note of the client at A (with an addendum): what SIGNED_NOTES shares. */
let noteSlot = 0;
export async function signedNote(t: TestApi, n: Network): Promise<string> {
  const start = new Date(Date.UTC(2025, 5, 2, 9) + ++noteSlot * 3 * 3600_000);
  const [{ id: appointmentId }] = await t.tdb.dataSource.query(
    `INSERT INTO appointment (organization_id, clinic_id, practitioner_id, client_id, plan_id, starts_at, ends_at, status, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'COMPLETED', $8) RETURNING id`,
    [n.a.organizationId, n.a.clinicId, n.a.practitionerId, n.clientId, n.planId, start, new Date(start.getTime() + 3600_000), n.a.admin.userId],
  );
  const [{ id }] = await t.tdb.dataSource.query(
    `INSERT INTO session_note (organization_id, appointment_id, client_id, practitioner_id, plan_id, checkin, pain_after, soap, signed_at, signed_by, created_by)
     VALUES ($1, $2, $3, $4, $5, '{"painNow": 6, "painAreas": ["lower-back"], "pressureToday": "FIRM"}', 4, '{"subjective": "Sore back"}', now(), $6, $6) RETURNING id`,
    [n.a.organizationId, appointmentId, n.clientId, n.a.practitionerId, n.planId, n.a.therapist.userId],
  );
  await t.tdb.dataSource.query(`INSERT INTO session_addendum (organization_id, note_id, body, author_id) VALUES ($1, $2, 'Client called: easier', $3)`, [
    n.a.organizationId,
    id,
    n.a.therapist.userId,
  ]);
  return id;
}

/** createReferral's input to B's physiotherapist (named), or to B's clinic's PHYSIOTHERAPIST pool. */
export function referralInput(n: Network, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientId: n.clientId,
    targetPractitionerId: n.physio.practitionerId,
    targetClinicId: n.b.clinicId,
    targetDiscipline: 'PHYSIOTHERAPIST',
    reason: 'Persistent low-back pain with reduced lumbar flexion after 6 sessions',
    clinicalQuestion: 'Please assess lumbar mobility and advise on an exercise programme',
    urgency: 'ROUTINE',
    sharedRecords: ['INTAKE_SUMMARY', 'CURRENT_PLAN'],
    consent: { method: 'VERBAL', endsOn: DateTime.now().setZone('Europe/London').plus({ days: 60 }).toISODate() },
    ...overrides,
  };
}

/** Both sides' rows of a referral, as stored. */
export async function sides(t: TestApi, id: string): Promise<{ referral: Record<string, any> | undefined; inbox: Record<string, any> | undefined }> {
  const [referral] = await t.tdb.dataSource.query(`SELECT status, version, consent_withdrawn_at, reply FROM referral WHERE id = $1`, [id]);
  const [inbox] = await t.tdb.dataSource.query(`SELECT status, version, local_client_id, appointment_id, practitioner_id, reply FROM referral_inbox WHERE id = $1`, [id]);
  return { referral, inbox };
}

/** The next weekday at 10:00 in London, a week ahead (inside the physio's hours and B's clinic's). */
export function nextSlot(daysAhead = 8): string {
  let d = DateTime.now().setZone('Europe/London').plus({ days: daysAhead });
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return `${d.toISODate()}T10:00`;
}
