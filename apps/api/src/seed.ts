import { Clinic, Db, drainReportMarks, markAllReportRows, Membership, Organization, PractitionerAvailability, systemClock, User, type Discipline, type Modality, type Practitioner } from '@fascia/db';
import { In } from 'typeorm';
import type { DataSource } from 'typeorm';
import type { Tenant } from './context';
import { hashPassword } from './auth/passwords';
import { ClinicService } from './modules/clinic/clinic.service';
import { PractitionerService } from './modules/practitioner/practitioner.service';
import { createOrganizationWithAdmin } from './provisioning';
import { seedClinicalHistory } from './seed-clinical';
import { seedReferralNetwork } from './seed-referrals';

export const DEMO_SLUG = 'fascia-demo-chain';
export const DEMO_ADMIN = { email: 'admin@demo.fascia.test', password: 'fascia-demo-admin' };

const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]) => days.map((weekday) => ({ weekday, start, end }));

const CLINICS = [
  {
    key: 'london',
    name: 'Clerkenwell (London)',
    addressLine1: '12 St John Street',
    city: 'London',
    postalCode: 'EC1M 4AY',
    country: 'GB',
    timeZone: 'Europe/London',
    openingHours: [...weekdays('08:00', '20:00'), { weekday: 6, start: '09:00', end: '14:00' }],
    phone: '+44 20 7946 0000',
    rooms: ['Room 1', 'Room 2', 'Room 3'],
  },
  {
    key: 'nyc',
    name: 'Midtown (New York)',
    addressLine1: '350 W 42nd Street',
    city: 'New York',
    region: 'NY',
    postalCode: '10036',
    country: 'US',
    timeZone: 'America/New_York',
    openingHours: weekdays('07:00', '19:00'),
    phone: '+1 212 555 0100',
    rooms: ['Treatment A', 'Treatment B'],
  },
  {
    key: 'sydney',
    name: 'Surry Hills (Sydney)',
    addressLine1: '88 Crown Street',
    city: 'Sydney',
    region: 'NSW',
    postalCode: '2010',
    country: 'AU',
    timeZone: 'Australia/Sydney',
    openingHours: [...weekdays('09:00', '18:00'), { weekday: 6, start: '09:00', end: '13:00' }],
    phone: '+61 2 5550 1234',
    rooms: ['Studio 1', 'Studio 2'],
  },
] as const;

type ClinicKey = (typeof CLINICS)[number]['key'];

const PRACTITIONERS: { name: string; discipline: Discipline; modalities: Modality[]; email: string; at: [ClinicKey, number[], string, string][] }[] = [
  { name: 'Maya Okafor', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH', 'DEEP_TISSUE', 'TRIGGER_POINT', 'MYOFASCIAL_RELEASE'], email: 'maya@demo.fascia.test', at: [['london', [1, 2, 3], '09:00', '17:00'], ['london', [6], '09:00', '13:00']] },
  { name: 'Tom Reyes', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH', 'ASSISTED_STRETCHING', 'HOT_COLD', 'CUPPING'], email: 'tom@demo.fascia.test', at: [['london', [4, 5], '10:00', '19:00']] },
  { name: 'Grace Liu', discipline: 'MASSAGE_THERAPIST', modalities: ['DEEP_TISSUE', 'TRIGGER_POINT', 'SCRAPING', 'MYOFASCIAL_RELEASE'], email: 'grace@demo.fascia.test', at: [['nyc', [1, 2, 3, 4], '08:00', '16:00']] },
  { name: 'Sam Whitaker', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH', 'DEEP_TISSUE', 'HOT_COLD'], email: 'sam@demo.fascia.test', at: [['sydney', [1, 2, 3, 4, 5], '09:00', '17:00']] },
  { name: 'Dr. Priya Nair', discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY', 'ASSISTED_STRETCHING'], email: 'priya@demo.fascia.test', at: [['london', [1, 3, 5], '08:00', '14:00'], ['london', [2], '12:00', '18:00']] },
  { name: 'Dr. Elena Petrova', discipline: 'PAIN_SPECIALIST', modalities: ['PAIN_MANAGEMENT', 'MEDICAL_ASSESSMENT'], email: 'elena@demo.fascia.test', at: [['nyc', [2, 4], '09:00', '17:00']] },
  { name: 'Kenji Watanabe', discipline: 'ACUPUNCTURIST', modalities: ['ACUPUNCTURE', 'CUPPING'], email: 'kenji@demo.fascia.test', at: [['sydney', [2, 4], '10:00', '18:00']] },
  { name: 'Dr. Hannah Brooks', discipline: 'PHYSICIAN', modalities: ['MEDICAL_ASSESSMENT'], email: 'hannah@demo.fascia.test', at: [['nyc', [1, 5], '07:00', '12:00']] },
];

/**
 * Seeds the demo chain once: three clinics in three time zones, practitioners of
 * every discipline, an admin, a clinic manager and a front desk. Running it again
 * changes nothing (it looks for the demo organization first).
 */
export async function seedDemo(dataSource: DataSource): Promise<{ created: boolean; organizationId: string }> {
  const existing = await dataSource.getRepository(Organization).findOneBy({ slug: DEMO_SLUG });
  if (existing) {
    // A demo seeded before the referral network gets it now (it, too, is seeded once).
    const [admin] = await dataSource.getRepository(Membership).findBy({ organizationId: existing.id, role: 'ORG_ADMIN' });
    if (admin) await seedReferralNetwork(dataSource, { organizationId: existing.id, adminUserId: admin.userId });
    return { created: false, organizationId: existing.id };
  }

  const { organizationId, userId } = await createOrganizationWithAdmin(dataSource, {
    orgName: 'Fascia Demo Chain',
    slug: DEMO_SLUG,
    email: DEMO_ADMIN.email,
    displayName: 'Alex Admin',
    password: DEMO_ADMIN.password,
  });
  const db = new Db(dataSource);
  const tenant: Tenant = { organizationId, userId, roles: ['ORG_ADMIN'], clinicIds: null, requestId: 'seed', sourceAddress: null };
  const clinics = new ClinicService(db);
  const practitioners = new PractitionerService(db);

  const clinicIds = {} as Record<ClinicKey, string>;
  for (const { key, rooms, ...input } of CLINICS) {
    const clinic = await clinics.create(tenant, input);
    clinicIds[key] = clinic.id;
    for (const room of rooms) await clinics.createRoom(tenant, { clinicId: clinic.id, name: room });
  }
  const therapists: Practitioner[] = [];
  for (const p of PRACTITIONERS) {
    const created = await practitioners.create(tenant, {
      displayName: p.name,
      discipline: p.discipline,
      modalities: p.modalities,
      email: p.email,
      availability: p.at.flatMap(([clinic, days, start, end]) => days.map((weekday) => ({ clinicId: clinicIds[clinic], weekday, start, end }))),
    });
    if (p.discipline === 'MASSAGE_THERAPIST') therapists.push(created);
  }
  // Staff who can sign in with the same demo password: a clinic manager and a front desk in London.
  const passwordHash = await hashPassword(DEMO_ADMIN.password);
  await dataSource.transaction(async (em) => {
    for (const [email, name, role] of [
      ['manager@demo.fascia.test', 'Morgan Manager', 'CLINIC_MANAGER'],
      ['frontdesk@demo.fascia.test', 'Frankie Desk', 'FRONT_DESK'],
    ] as const) {
      const user = await em.save(em.create(User, { email, displayName: name, passwordHash, status: 'ACTIVE', lastSignInAt: null }));
      await em.insert(Membership, { organizationId, userId: user.id, role, clinicIds: [clinicIds.london], status: 'ACTIVE' });
    }
  });
  // Months of care: clients, intakes, plans, past sessions with notes, re-assessments, upcoming visits.
  const availability = await dataSource.getRepository(PractitionerAvailability).findBy({ practitionerId: In(therapists.map((t) => t.id)) });
  await seedClinicalHistory({
    dataSource,
    db,
    tenant,
    clinics: await dataSource.getRepository(Clinic).findBy({ organizationId }),
    therapists: therapists.map((practitioner) => ({ practitioner, availability: availability.filter((a) => a.practitionerId === practitioner.id) })),
    now: systemClock.now(),
  });
  // The referral network: a partner clinic, an active partnership, referrals in every state.
  await seedReferralNetwork(dataSource, { organizationId, adminUserId: userId });
  // The reports' roll-ups (docs/reports.md): every seeded day and plan, so the dashboard has figures before the worker runs.
  await markAllReportRows(db);
  await drainReportMarks(db);
  return { created: true, organizationId };
}
