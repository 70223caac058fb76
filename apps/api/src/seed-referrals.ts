import { Clinic, Db, expireReferral, Membership, Organization, Partnership, Practitioner, systemClock, User, type Clock, type Discipline, type Modality } from '@fascia/db';
import { notifyReferralChanged } from '@fascia/jobs';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import type { Tenant } from './context';
import { hashPassword } from './auth/passwords';
import { ClinicService } from './modules/clinic/clinic.service';
import { PartnershipService } from './modules/partnership/partnership.service';
import { PractitionerService } from './modules/practitioner/practitioner.service';
import { AppointmentService } from './modules/appointment/appointment.service';
import { ClientService } from './modules/client/client.service';
import { ReferralMessageService } from './modules/referral-message/referral-message.service';
import { ReferralService } from './modules/referral/referral.service';
import type { CreateReferralInput } from './modules/referral/referral.types';
import { createOrganizationWithAdmin } from './provisioning';

export const PARTNER_SLUG = 'harbour-physio-pain';
export const PARTNER_ADMIN = { email: 'admin@partner.fascia.test', password: 'fascia-demo-partner' };
/** The partner's other logins (same password as its admin). */
export const PARTNER_STAFF = { physio: 'physio@partner.fascia.test', manager: 'manager@partner.fascia.test' };

const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]) => days.map((weekday) => ({ weekday, start, end }));

const PARTNER_PRACTITIONERS: { name: string; discipline: Discipline; modalities: Modality[]; email: string; days: number[]; start: string; end: string; login?: boolean }[] = [
  { name: 'Dr. Owen Hale', discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY', 'ASSISTED_STRETCHING'], email: PARTNER_STAFF.physio, days: [1, 2, 3, 4], start: '08:00', end: '16:00', login: true },
  { name: 'Ines Moreau', discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY', 'HOT_COLD'], email: 'ines@partner.fascia.test', days: [2, 4, 5], start: '10:00', end: '18:00' },
  { name: 'Dr. Ravi Desai', discipline: 'PAIN_SPECIALIST', modalities: ['PAIN_MANAGEMENT', 'MEDICAL_ASSESSMENT'], email: 'ravi@partner.fascia.test', days: [1, 3], start: '09:00', end: '17:00' },
];

export interface PartnerSeed {
  created: boolean;
  partnerOrganizationId: string;
  partnerAdminUserId: string;
  partnershipId: string;
  clinicId: string;
}

/**
 * The demo's referral network (docs/referrals.md): an independent physiotherapy and pain clinic
 * with its own admin, a physiotherapist who signs in and a clinic manager, in an ACTIVE
 * partnership with the demo chain (invited by the chain, accepted by the clinic, through the
 * same service the API uses). Runs once: it looks for the partner's slug first.
 */
export async function seedPartner(dataSource: DataSource, demo: { organizationId: string; adminUserId: string }): Promise<PartnerSeed> {
  const existing = await dataSource.getRepository(Organization).findOneBy({ slug: PARTNER_SLUG });
  if (existing) {
    const [admin] = await dataSource.getRepository(Membership).findBy({ organizationId: existing.id, role: 'ORG_ADMIN' });
    const [partnership] = await dataSource.getRepository(Partnership).findBy({ organizationId: existing.id, partnerOrganizationId: demo.organizationId });
    const [clinic] = await dataSource.getRepository(Clinic).findBy({ organizationId: existing.id });
    return { created: false, partnerOrganizationId: existing.id, partnerAdminUserId: admin?.userId ?? '', partnershipId: partnership?.id ?? '', clinicId: clinic?.id ?? '' };
  }
  const { organizationId, userId } = await createOrganizationWithAdmin(dataSource, {
    orgName: 'Harbour Physio & Pain Clinic',
    slug: PARTNER_SLUG,
    email: PARTNER_ADMIN.email,
    displayName: 'Harper Admin',
    password: PARTNER_ADMIN.password,
  });
  const db = new Db(dataSource);
  const tenant: Tenant = { organizationId, userId, roles: ['ORG_ADMIN'], clinicIds: null, requestId: 'seed', sourceAddress: null };
  const clinic = await new ClinicService(db).create(tenant, {
    name: 'Harbour Physio & Pain (Islington)',
    addressLine1: '41 Upper Street',
    city: 'London',
    postalCode: 'N1 0PN',
    country: 'GB',
    timeZone: 'Europe/London',
    openingHours: weekdays('08:00', '19:00'),
    phone: '+44 20 7946 0555',
  });
  await new ClinicService(db).createRoom(tenant, { clinicId: clinic.id, name: 'Gym' });
  await new ClinicService(db).createRoom(tenant, { clinicId: clinic.id, name: 'Treatment 1' });
  const practitioners = new PractitionerService(db);
  const passwordHash = await hashPassword(PARTNER_ADMIN.password);
  for (const p of PARTNER_PRACTITIONERS) {
    const created = await practitioners.create(tenant, {
      displayName: p.name,
      discipline: p.discipline,
      modalities: p.modalities,
      email: p.email,
      availability: p.days.map((weekday) => ({ clinicId: clinic.id, weekday, start: p.start, end: p.end })),
    });
    if (p.login) {
      await dataSource.transaction(async (em) => {
        const user = await em.save(em.create(User, { email: p.email, displayName: p.name, passwordHash, status: 'ACTIVE', lastSignInAt: null }));
        await em.insert(Membership, { organizationId, userId: user.id, role: 'PRACTITIONER', clinicIds: [clinic.id], status: 'ACTIVE' });
        await em.query(`UPDATE practitioner SET user_id = $1 WHERE organization_id = $2 AND id = $3`, [user.id, organizationId, created.id]);
      });
    }
  }
  await dataSource.transaction(async (em) => {
    const user = await em.save(em.create(User, { email: PARTNER_STAFF.manager, displayName: 'Quinn Manager', passwordHash, status: 'ACTIVE', lastSignInAt: null }));
    await em.insert(Membership, { organizationId, userId: user.id, role: 'CLINIC_MANAGER', clinicIds: [clinic.id], status: 'ACTIVE' });
  });

  // The chain invites, the clinic accepts: both sides' rows through the service (and the door).
  const partnerships = new PartnershipService(db);
  const demoTenant: Tenant = { organizationId: demo.organizationId, userId: demo.adminUserId, roles: ['ORG_ADMIN'], clinicIds: null, requestId: 'seed', sourceAddress: null };
  const invitation = await partnerships.invite(demoTenant, { organizationSlug: PARTNER_SLUG, note: 'Physiotherapy and pain referrals for our London clients' });
  await partnerships.respond(tenant, { id: invitation.id, accept: true });
  return { created: true, partnerOrganizationId: organizationId, partnerAdminUserId: userId, partnershipId: invitation.id, clinicId: clinic.id };
}

/**
 * The partner (seedPartner) and, on first run, the referrals between the chain and the partner
 * in every state, with their threads.
 */
export async function seedReferralNetwork(dataSource: DataSource, demo: { organizationId: string; adminUserId: string }, now: Date = systemClock.now()): Promise<PartnerSeed> {
  const partner = await seedPartner(dataSource, demo);
  if (partner.created) await seedReferrals(dataSource, demo, partner, now);
  return partner;
}

const at = (date: Date): Clock => ({ now: () => date });

/**
 * Referrals between the chain (London) and the partner in every state, each moved through the
 * API's own services at the time it would have happened (a clock per moment), so their events,
 * deadlines, grants and notices are what the API writes: DRAFT; SENT (fresh to the physio pool,
 * and one overdue to a named physiotherapist); ACCEPTED; ACCEPTED with its consent withdrawn;
 * DECLINED; SCHEDULED (the client linked and booked); COMPLETED with a reply; CLOSED;
 * CANCELLED; EXPIRED; and one the partner sent to the chain. A few carry a thread.
 */
async function seedReferrals(dataSource: DataSource, demo: { organizationId: string; adminUserId: string }, partner: PartnerSeed, now: Date): Promise<void> {
  const db = new Db(dataSource);
  const days = (n: number) => new Date(now.getTime() + n * 86_400_000);
  const referrals = (d: Date) => new ReferralService(db, at(d));
  const messages = (d: Date) => new ReferralMessageService(db, at(d));

  const [london] = (await dataSource.query(`SELECT id FROM clinic WHERE organization_id = $1 AND time_zone = 'Europe/London' ORDER BY created_at LIMIT 1`, [demo.organizationId])) as { id: string }[];
  if (!london) return;
  const clients = ((await dataSource.query(
    `SELECT id FROM client WHERE organization_id = $1 AND $2 = ANY(clinic_ids) AND archived_at IS NULL ORDER BY created_at, id LIMIT 12`,
    [demo.organizationId, london.id],
  )) as { id: string }[]).map((c) => c.id);
  if (clients.length === 0) return;
  const client = (i: number) => clients[i % clients.length];
  const [owen] = await dataSource.getRepository(Practitioner).findBy({ organizationId: partner.partnerOrganizationId, displayName: 'Dr. Owen Hale' });
  const [maya] = await dataSource.getRepository(Practitioner).findBy({ organizationId: demo.organizationId, displayName: 'Maya Okafor' });

  const chain: Tenant = { organizationId: demo.organizationId, userId: demo.adminUserId, roles: ['ORG_ADMIN'], clinicIds: null, requestId: 'seed', sourceAddress: null };
  const harbour: Tenant = { organizationId: partner.partnerOrganizationId, userId: partner.partnerAdminUserId, roles: ['ORG_ADMIN'], clinicIds: null, requestId: 'seed', sourceAddress: null };
  const physio: Tenant = { organizationId: partner.partnerOrganizationId, userId: owen.userId as string, roles: ['PRACTITIONER'], clinicIds: [partner.clinicId], requestId: 'seed', sourceAddress: null };

  const consent = (from: Date, method: 'VERBAL' | 'WRITTEN' = 'WRITTEN') => ({ method, endsOn: DateTime.fromJSDate(from).setZone('Europe/London').plus({ months: 6 }).toISODate() as string });
  const toOwen = (i: number, when: Date, overrides: Partial<CreateReferralInput> = {}): CreateReferralInput => ({
    clientId: client(i),
    fromClinicId: london.id,
    targetPractitionerId: owen.id,
    targetClinicId: partner.clinicId,
    targetDiscipline: 'PHYSIOTHERAPIST',
    reason: 'Low back pain not settling after six weeks of massage; suspected lumbar facet involvement.',
    clinicalQuestion: 'Please assess and advise on a graded exercise programme; is manual therapy still appropriate alongside it?',
    urgency: 'ROUTINE',
    sharedRecords: ['INTAKE_SUMMARY', 'CURRENT_PLAN', 'OUTCOME_HISTORY', 'SIGNED_NOTES'],
    consent: consent(when),
    send: true,
    ...overrides,
  });
  /** The first weekday (Mon–Thu, Owen's days) at least `after` days from `from`, at `hour` London time. */
  const slot = (from: Date, after: number, hour: number): string => {
    let d = DateTime.fromJSDate(from).setZone('Europe/London').plus({ days: after }).startOf('day');
    while (d.weekday > 4) d = d.plus({ days: 1 });
    return `${d.toISODate()}T${String(hour).padStart(2, '0')}:00`;
  };
  /** Sent at `sent`, accepted a day later, the client linked and booked `bookAfter` days on. */
  const scheduled = async (i: number, sent: Date, bookAfter: number, hour: number): Promise<string> => {
    const r = await referrals(sent).create(chain, toOwen(i, sent));
    const accepted = new Date(sent.getTime() + 86_400_000);
    await referrals(accepted).accept(physio, r.id, 'Happy to see them.');
    const linked = await referrals(accepted).linkClient(physio, { id: r.id, createClient: true });
    await new AppointmentService(db, at(accepted)).book(physio, {
      clinicId: partner.clinicId,
      practitionerId: owen.id,
      clientId: linked.client.localClientId,
      startsAt: slot(accepted, bookAfter, hour),
      durationMinutes: 45,
      kind: 'INTAKE',
      referralId: r.id,
    });
    return r.id;
  };

  // Closed: the whole journey, three weeks ago.
  const closed = await scheduled(0, days(-24), 3, 9);
  await referrals(days(-17)).complete(physio, closed, {
    findings: 'Mechanical low back pain with reduced lumbar flexion; no neurological signs.',
    treatment: 'Assessment, lumbar mobilisations, a core and hip-hinge programme.',
    recommendations: 'Continue massage fortnightly; progress the home programme over four weeks.',
    onwardReferral: null,
  });
  await messages(days(-16)).post(chain, { referralId: closed, body: 'Thank you, very clear. We will keep massage fortnightly.' });
  await referrals(days(-15)).close(chain, closed);

  // Completed: the reply is in, the referrer has not closed it yet.
  const completed = await scheduled(1, days(-14), 2, 11);
  await messages(days(-13)).post(physio, { referralId: completed, body: 'Booked for an assessment; could you bring the last pain diary?' });
  await referrals(days(-8)).complete(physio, completed, {
    findings: 'Thoracic stiffness with postural neck pain; good response to mobilisation.',
    treatment: 'Two sessions of mobilisation and deep neck flexor training.',
    recommendations: 'Maintenance massage monthly; desk set-up reviewed.',
    onwardReferral: null,
  });

  // Scheduled: accepted and booked for next week.
  const booked = await scheduled(2, days(-3), 5, 13);
  await messages(days(-2)).post(chain, { referralId: booked, body: 'The client prefers mornings if anything earlier frees up.' });

  // Accepted, not yet booked; and one whose consent the client withdrew after acceptance.
  const accepted = await referrals(days(-2)).create(chain, toOwen(3, days(-2), { urgency: 'URGENT', reason: 'Knee pain on stairs after a fall two weeks ago.', clinicalQuestion: 'Ligament assessment please.' }));
  await referrals(days(-1)).accept(physio, accepted.id, null);
  const withdrawn = await referrals(days(-3)).create(chain, toOwen(4, days(-3), { sharedRecords: ['INTAKE_SUMMARY'] }));
  await referrals(days(-2)).accept(physio, withdrawn.id, null);
  await referrals(days(-1)).withdrawConsent(chain, withdrawn.id, 'The client asked us to stop sharing their records.');

  // Sent: one overdue (named, routine, sent six days ago) and one fresh to the physiotherapy pool.
  const overdue = await referrals(days(-6)).create(chain, toOwen(5, days(-6)));
  await messages(days(-4)).post(chain, { referralId: overdue.id, body: 'Just checking this reached you: the client is keen to start.' });
  await referrals(now).create(chain, {
    ...toOwen(6, now, { urgency: 'URGENT', reason: 'Acute shoulder pain with reduced elevation.', clinicalQuestion: 'Rotator cuff assessment?' }),
    targetPractitionerId: null,
  });

  // Declined, cancelled, expired, and a draft.
  const declined = await referrals(days(-9)).create(chain, toOwen(7, days(-9)));
  await referrals(days(-8)).decline(physio, declined.id, 'No physiotherapy capacity for routine referrals this month; please try again in May.');
  const cancelled = await referrals(days(-5)).create(chain, toOwen(8, days(-5)));
  await referrals(days(-4)).cancel(chain, cancelled.id, 'The client moved away.');
  const expired = await referrals(days(-40)).create(chain, toOwen(9, days(-40), { validForDays: 30 }));
  // As the worker's sweep expires one: the notice and the referral.expired webhook event with it.
  await expireReferral(db, { organizationId: demo.organizationId, referralId: expired.id, now: days(-9) }, notifyReferralChanged);
  await referrals(now).create(chain, toOwen(10, now, { send: false, reason: 'Chronic hip pain (draft: consent form to be signed).' }));

  // The partner refers one of its own clients to the chain's massage therapist.
  const theirClient = await new ClientService(db, at(days(-1))).create(harbour, {
    firstName: 'Jordan',
    lastName: 'Ellis',
    email: 'jordan.ellis@example.org',
    phone: '+44 7700 900123',
    clinicIds: [partner.clinicId],
  });
  const incoming = await referrals(days(-1)).create(harbour, {
    clientId: theirClient.id,
    fromClinicId: partner.clinicId,
    targetPractitionerId: maya?.id ?? null,
    targetClinicId: london.id,
    targetDiscipline: 'MASSAGE_THERAPIST',
    reason: 'Myofascial neck and shoulder pain alongside physiotherapy.',
    clinicalQuestion: 'Soft-tissue work twice a month while we progress strength work?',
    urgency: 'ROUTINE',
    sharedRecords: [],
    consent: consent(days(-1), 'VERBAL'),
    send: true,
  });
  await messages(days(-1)).post(harbour, { referralId: incoming.id, body: 'Jordan works nights; afternoons suit best.' });
}
