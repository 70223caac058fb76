import { Clinic, Db, Membership, Organization, Partnership, User, type Discipline, type Modality } from '@fascia/db';
import type { DataSource } from 'typeorm';
import type { Tenant } from './context';
import { hashPassword } from './auth/passwords';
import { ClinicService } from './modules/clinic/clinic.service';
import { PartnershipService } from './modules/partnership/partnership.service';
import { PractitionerService } from './modules/practitioner/practitioner.service';
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
export async function seedReferralNetwork(dataSource: DataSource, demo: { organizationId: string; adminUserId: string }): Promise<PartnerSeed> {
  const partner = await seedPartner(dataSource, demo);
  return partner;
}
