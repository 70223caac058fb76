import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '@fascia/db/testing';
import { referralFollowUpTimes, type ReferralUrgency } from '@fascia/follow-up';

/**
 * Two organizations that refer to each other, written as the database owner through the
 * tables the referral core writes (test setup, not application code): a referring
 * massage clinic and a receiving physiotherapy clinic with its practitioner, manager and
 * admin, and referrals on both sides as a SENT transition leaves them.
 */
export interface Person {
  userId: string;
  email: string;
  name: string;
}

export interface ReferralNetwork {
  referrer: { organizationId: string; clinicId: string; user: Person; admin: Person };
  receiver: { organizationId: string; clinicId: string; practitionerId: string; practitioner: Person; manager: Person; admin: Person; otherClinicManager: Person };
}

const WEEKDAYS_8_18 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '18:00' }));

async function person(t: TestDatabase, organizationId: string, email: string, name: string, role: string, clinicIds: string[] = []): Promise<Person> {
  const [u] = (await t.dataSource.query(`INSERT INTO app_user (email, display_name, status) VALUES ($1, $2, 'ACTIVE') RETURNING id`, [email, name])) as { id: string }[];
  await t.dataSource.query(`INSERT INTO membership (organization_id, user_id, role, clinic_ids, status) VALUES ($1, $2, $3, $4, 'ACTIVE')`, [organizationId, u.id, role, clinicIds]);
  return { userId: u.id, email, name };
}

async function organization(t: TestDatabase, name: string, slug: string): Promise<string> {
  const [o] = (await t.dataSource.query(`INSERT INTO organization (name, slug) VALUES ($1, $2) RETURNING id`, [name, slug])) as { id: string }[];
  return o.id;
}

async function clinic(t: TestDatabase, organizationId: string, name: string, timeZone: string): Promise<string> {
  const [c] = (await t.dataSource.query(
    `INSERT INTO clinic (organization_id, name, address_line1, city, country, time_zone, opening_hours) VALUES ($1, $2, '1 High Street', 'London', 'GB', $3, $4) RETURNING id`,
    [organizationId, name, timeZone, JSON.stringify(WEEKDAYS_8_18)],
  )) as { id: string }[];
  return c.id;
}

export async function seedReferralNetwork(t: TestDatabase): Promise<ReferralNetwork> {
  const a = await organization(t, 'Harbour Massage', 'harbour');
  const aClinic = await clinic(t, a, 'Harbour Massage Leith', 'Europe/London');
  const aUser = await person(t, a, 'mia@harbour.test', 'Mia Masseuse', 'PRACTITIONER');
  const aAdmin = await person(t, a, 'admin@harbour.test', 'Hal Admin', 'ORG_ADMIN');
  await t.dataSource.query(`INSERT INTO practitioner (organization_id, user_id, display_name, discipline) VALUES ($1, $2, 'Mia Masseuse', 'MASSAGE_THERAPIST')`, [a, aUser.userId]);

  const b = await organization(t, 'Northside Physio and Pain', 'northside');
  const bClinic = await clinic(t, b, 'Northside Physio', 'Europe/London');
  const bOther = await clinic(t, b, 'Northside East', 'Europe/London');
  const pUser = await person(t, b, 'priya@northside.test', 'Priya Physio', 'PRACTITIONER');
  const [pr] = (await t.dataSource.query(`INSERT INTO practitioner (organization_id, user_id, display_name, discipline) VALUES ($1, $2, 'Priya Physio', 'PHYSIOTHERAPIST') RETURNING id`, [
    b,
    pUser.userId,
  ])) as { id: string }[];
  const manager = await person(t, b, 'max@northside.test', 'Max Manager', 'CLINIC_MANAGER', [bClinic]);
  const otherManager = await person(t, b, 'east@northside.test', 'Eve East', 'CLINIC_MANAGER', [bOther]);
  const bAdmin = await person(t, b, 'admin@northside.test', 'Nora Admin', 'ORG_ADMIN');
  return {
    referrer: { organizationId: a, clinicId: aClinic, user: aUser, admin: aAdmin },
    receiver: { organizationId: b, clinicId: bClinic, practitionerId: pr.id, practitioner: pUser, manager, admin: bAdmin, otherClinicManager: otherManager },
  };
}

export interface SeededReferral {
  id: string;
  dueAt: Date;
  escalateAt: Date;
  validUntil: Date;
}

/**
 * A referral as SENT leaves it: the referrer's row and the receiver's inbox row, with the
 * deadlines `referralFollowUpTimes` gives in the receiving clinic's zone and hours.
 */
export async function seedSentReferral(
  t: TestDatabase,
  n: ReferralNetwork,
  opts: { sentAt: Date; urgency?: ReferralUrgency; pool?: boolean; validForDays?: number },
): Promise<SeededReferral> {
  const id = randomUUID();
  const urgency = opts.urgency ?? 'URGENT';
  const times = referralFollowUpTimes({ urgency, sentAt: opts.sentAt, timeZone: 'Europe/London', openingHours: WEEKDAYS_8_18, validForDays: opts.validForDays });
  const [client] = (await t.dataSource.query(
    `INSERT INTO client (organization_id, first_name, last_name, email, clinic_ids) VALUES ($1, 'Rosa', 'Referred', 'rosa@clients.test', ARRAY[$2]::uuid[]) RETURNING id`,
    [n.referrer.organizationId, n.referrer.clinicId],
  )) as { id: string }[];
  const practitionerId = opts.pool ? null : n.receiver.practitionerId;
  await t.dataSource.query(
    `INSERT INTO referral (organization_id, id, client_id, referring_user_id, referring_clinic_id, target_organization_id, target_clinic_id,
                           target_practitioner_id, target_discipline, reason, clinical_question, urgency, shared_records, consent_method,
                           consent_recorded_by_user_id, consent_recorded_at, consent_ends_at, status, valid_for_days, valid_until, sent_at, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'PHYSIOTHERAPIST', 'Persistent low back pain', 'Lumbar instability?', $9, ARRAY['INTAKE_SUMMARY'],
             'VERBAL', $4, $10, $10::timestamptz + interval '90 days', 'SENT', $11, $12, $10, $13)`,
    [
      n.referrer.organizationId,
      id,
      client.id,
      n.referrer.user.userId,
      n.referrer.clinicId,
      n.receiver.organizationId,
      n.receiver.clinicId,
      practitionerId,
      urgency,
      opts.sentAt,
      opts.validForDays ?? 30,
      times.validUntil,
      times.dueAt,
    ],
  );
  await t.dataSource.query(
    `INSERT INTO referral_inbox (organization_id, id, source_organization_id, source_organization_name, source_clinic_name, referrer_name, clinic_id,
                                 practitioner_id, discipline, urgency, status, reason, clinical_question, shared_records, consent_method,
                                 consent_recorded_at, consent_ends_at, client_snapshot, sent_at, due_at, escalate_at, valid_until)
     VALUES ($1, $2, $3, 'Harbour Massage', 'Harbour Massage Leith', 'Mia Masseuse', $4, $5, 'PHYSIOTHERAPIST', $6, 'SENT',
             'Persistent low back pain', 'Lumbar instability?', ARRAY['INTAKE_SUMMARY'], 'VERBAL', $7, $7::timestamptz + interval '90 days',
             '{"firstName":"Rosa","lastName":"Referred"}', $7, $8, $9, $10)`,
    [n.receiver.organizationId, id, n.referrer.organizationId, n.receiver.clinicId, practitionerId, urgency, opts.sentAt, times.dueAt, times.escalateAt, times.validUntil],
  );
  // The consent made concrete: the receiving practitioner's grant (the managers' for a pool).
  await t.dataSource.query(
    `INSERT INTO access_grant (organization_id, client_id, grantee_user_id, grantee_organization_id, record_types, referral_id, expires_at)
     VALUES ($1, $2, $3, $4, ARRAY['INTAKE_SUMMARY'], $5, $6::timestamptz + interval '90 days')`,
    [n.referrer.organizationId, client.id, opts.pool ? n.receiver.manager.userId : n.receiver.practitioner.userId, n.receiver.organizationId, id, opts.sentAt],
  );
  return { id, ...times };
}

/** The receiver's answer as the core's transition leaves both rows (for the tests' "none after an answer"). */
export async function answer(t: TestDatabase, n: ReferralNetwork, id: string, status: 'ACCEPTED' | 'DECLINED', at: Date): Promise<void> {
  await t.dataSource.query(`UPDATE referral SET status = $3, responded_at = $4 WHERE organization_id = $1 AND id = $2`, [n.referrer.organizationId, id, status, at]);
  await t.dataSource.query(`UPDATE referral_inbox SET status = $3, responded_at = $4 WHERE organization_id = $1 AND id = $2`, [n.receiver.organizationId, id, status, at]);
}
