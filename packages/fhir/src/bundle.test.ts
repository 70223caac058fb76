import { proposePlan, validateIntake } from '@fascia/planning';
import { baseIntake, NOW } from '@fascia/planning/testing';
import { patientEverythingBundle, type PatientRecords } from './bundle';
import { allErrors, referencesIn, structureErrors, unresolvedReferences } from './testing/check';
import type { FhirResource } from './types';

const ORG = '00000000-0000-4000-8000-000000000001';
const CLINIC = '00000000-0000-4000-8000-000000000002';
const PRAC = '00000000-0000-4000-8000-000000000003';
const CLIENT = '00000000-0000-4000-8000-000000000004';
const INTAKE = '00000000-0000-4000-8000-000000000005';
const PLAN = '00000000-0000-4000-8000-000000000006';
const APPT = ['00000000-0000-4000-8000-000000000007', '00000000-0000-4000-8000-000000000008', '00000000-0000-4000-8000-000000000009'];
const NOTE = '00000000-0000-4000-8000-00000000000a';
const REASSESS = '00000000-0000-4000-8000-00000000000b';
const REFERRAL = '00000000-0000-4000-8000-00000000000c';
const OTHER_PRAC = '00000000-0000-4000-8000-00000000000d';
const BASE = 'https://api.example/fhir';

function records(overrides: Partial<PatientRecords> = {}): PatientRecords {
  const intake = validateIntake(baseIntake(), { now: NOW });
  const plan = proposePlan(intake, { now: NOW });
  const t = (iso: string) => new Date(iso);
  const appt = (id: string, startsAt: string, status: string, phaseIndex: number | null) => ({
    id,
    clinicId: CLINIC,
    practitionerId: PRAC,
    clientId: CLIENT,
    planId: PLAN,
    phaseIndex,
    sessionNumber: 1,
    kind: 'SESSION',
    startsAt: t(startsAt),
    endsAt: new Date(t(startsAt).getTime() + 60 * 60_000),
    status,
    statusReason: null,
    createdAt: t(NOW),
  });
  return {
    organization: { id: ORG, name: 'Test Chain' },
    client: { id: CLIENT, firstName: 'Ada', lastName: 'Lovelace', preferredName: 'Addie', dateOfBirth: '1980-12-10', email: 'ada@example.test', phone: '+44 20 7946 0000', emergencyContact: { name: 'Bo', phone: '+44 20 7946 0001', relationship: 'partner' }, archivedAt: null },
    clinics: [{ id: CLINIC, name: 'London', addressLine1: '1 High St', addressLine2: null, city: 'London', region: null, postalCode: 'EC1V 9AA', country: 'GB', timeZone: 'Europe/London', phone: null, archivedAt: null }],
    practitioners: [
      { id: PRAC, displayName: 'Maya Okafor', discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH', 'DEEP_TISSUE'], email: 'maya@example.test', archivedAt: null },
      { id: OTHER_PRAC, displayName: 'Not in this record', discipline: 'PHYSICIAN', modalities: [], email: null, archivedAt: null },
    ],
    intakes: [{ id: INTAKE, clientId: CLIENT, version: 1, clinicId: CLINIC, practitionerId: PRAC, data: intake as unknown as Record<string, unknown>, createdAt: t(NOW) }],
    plans: [{ id: PLAN, clientId: CLIENT, intakeId: INTAKE, clinicId: CLINIC, practitionerId: PRAC, complaintKey: 'lower-back', status: 'ACTIVE', currentVersion: 1, createdAt: t(NOW), updatedAt: t(NOW), body: plan as unknown as Record<string, unknown> }],
    appointments: [appt(APPT[0], '2026-03-03T10:00:00Z', 'COMPLETED', 0), appt(APPT[1], '2026-03-06T10:00:00Z', 'LATE_CANCELLED', 0), appt(APPT[2], '2026-03-10T10:00:00Z', 'BOOKED', 0)],
    notes: [{ id: NOTE, appointmentId: APPT[0], clientId: CLIENT, practitionerId: PRAC, planId: PLAN, checkin: { painNow: 6, painAreas: ['lower-back'] }, painAfter: 3, durationMinutes: 55, signedAt: t('2026-03-03T11:00:00Z'), createdAt: t('2026-03-03T11:00:00Z') }],
    reassessments: [{ id: REASSESS, clientId: CLIENT, planId: PLAN, appointmentId: APPT[0], measures: { pain: [{ complaintId: 'lb', score: 3 }], psfs: [{ activity: 'gardening', score: 7 }], odi: 18 }, status: 'ACCEPTED', assessedAt: t('2026-03-03T11:00:00Z') }],
    referrals: [
      {
        id: REFERRAL,
        clientId: CLIENT,
        referringPractitionerId: PRAC,
        referringClinicId: CLINIC,
        targetDiscipline: 'PHYSIOTHERAPIST',
        targetNames: { organizationName: 'Harbour Physio', clinicName: 'Harbour', practitionerName: 'Dr. Owen Hale' },
        reason: 'Stalled progress',
        clinicalQuestion: 'Is there a joint dysfunction?',
        urgency: 'URGENT',
        status: 'SENT',
        sentAt: t('2026-03-04T09:00:00Z'),
        validUntil: t('2026-06-02T09:00:00Z'),
        sourceReassessmentId: REASSESS,
        createdAt: t('2026-03-04T08:00:00Z'),
      },
    ],
    ...overrides,
  };
}

const resourcesOf = (bundle: FhirResource) => (bundle.entry as { resource: FhirResource }[]).map((e) => e.resource);
const ofType = (bundle: FhirResource, type: string) => resourcesOf(bundle).filter((r) => r.resourceType === type) as Record<string, any>[];

describe('Patient/$everything bundle', () => {
  const bundle = patientEverythingBundle(records(), { base: BASE, now: new Date('2026-03-11T00:00:00Z') });

  it('passes FHIR R4 structure validation (Medplum, R4 definitions) and the code checks, bundle and every resource', () => {
    expect(structureErrors(bundle)).toEqual([]);
    expect(allErrors(resourcesOf(bundle))).toEqual([]);
  });

  it('holds every kind of record, references resolving inside the bundle', () => {
    const counts: Record<string, number> = {};
    for (const r of resourcesOf(bundle)) counts[r.resourceType] = (counts[r.resourceType] ?? 0) + 1;
    expect(counts).toEqual({
      Patient: 1,
      Organization: 1,
      Location: 1,
      // Only the practitioners the records name.
      Practitioner: 1,
      PractitionerRole: 1,
      QuestionnaireResponse: 1,
      CarePlan: 1,
      ServiceRequest: 1,
      Appointment: 3,
      // Only the session given.
      Encounter: 1,
      // Intake: pain, PSFS, ODI; note: start and end; re-assessment: pain, PSFS, ODI.
      Observation: 8,
    });
    expect(unresolvedReferences(bundle)).toEqual([]);
    expect(bundle.type).toBe('searchset');
    expect((bundle.entry as { fullUrl: string }[]).every((e) => e.fullUrl.startsWith(`${BASE}/`))).toBe(true);
  });

  it('writes each pain score as LOINC 72514-3 with its value, body site, time and performer', () => {
    const pain = ofType(bundle, 'Observation').filter((o) => o.code.coding[0].code === '72514-3');
    expect(pain.map((o) => [o.id.split('-pain')[1], o.valueInteger, o.effectiveDateTime, o.bodySite?.coding[0].code, o.performer[0].reference])).toEqual([
      [`-1`, 5, '2026-03-02T10:00:00.000Z', 'lower-back', `Practitioner/${PRAC}`],
      ['-start', 6, '2026-03-03T10:00:00.000Z', 'lower-back', `Practitioner/${PRAC}`],
      ['-end', 3, '2026-03-03T10:55:00.000Z', 'lower-back', `Practitioner/${PRAC}`],
      ['-1', 3, '2026-03-03T11:00:00.000Z', 'lower-back', `Practitioner/${PRAC}`],
    ]);
    expect(pain.every((o) => o.category[0].coding[0].code === 'survey')).toBe(true);
  });

  it('maps statuses from Fascia to the FHIR value sets', () => {
    expect(ofType(bundle, 'Appointment').map((a) => a.status)).toEqual(['fulfilled', 'cancelled', 'booked']);
    expect(ofType(bundle, 'Encounter')[0].status).toBe('finished');
    const plan = ofType(bundle, 'CarePlan')[0];
    expect([plan.status, plan.intent, plan.period.start]).toEqual(['active', 'plan', '2026-03-02T10:00:00.000Z']);
    // History entered after the fact: the period starts at the plan's first appointment.
    const late = patientEverythingBundle(records({ plans: records().plans.map((p) => ({ ...p, createdAt: new Date('2026-03-20T00:00:00Z') })) }), { base: BASE, now: new Date() });
    expect(ofType(late, 'CarePlan')[0].period.start).toBe('2026-03-03T10:00:00.000Z');
    expect(plan.activity[0].detail.status).toBe('in-progress');
    expect(plan.activity[0].outcomeReference).toEqual([{ reference: `Encounter/${APPT[0]}` }]);
    const sr = ofType(bundle, 'ServiceRequest')[0];
    expect([sr.status, sr.intent, sr.priority, sr.requester.reference]).toEqual(['active', 'order', 'urgent', `Practitioner/${PRAC}`]);
  });

  it('keeps the intake as a QuestionnaireResponse whose answers carry the recorded values', () => {
    const qr = ofType(bundle, 'QuestionnaireResponse')[0];
    const complaint = qr.item.find((i: { linkId: string }) => i.linkId === 'complaints');
    const pain = complaint.item.find((i: { linkId: string }) => i.linkId === 'complaints.painNow');
    expect(pain.answer).toEqual([{ valueInteger: 5 }]);
  });

  it('leaves out, rather than dangles, a reference to what is not exported', () => {
    const partial = patientEverythingBundle(records({ practitioners: [] }), { base: BASE, now: new Date() });
    expect(unresolvedReferences(partial)).toEqual([]);
    expect(resourcesOf(partial).flatMap(structureErrors)).toEqual([]);
    // A pain score without its practitioner is still valid R4, but the export always names one: the check says so.
    expect(allErrors(resourcesOf(partial)).every((e) => e.endsWith(': performer'))).toBe(true);
    // The referral's requester falls back to the organization.
    expect(ofType(partial, 'ServiceRequest')[0].requester.reference).toBe(`Organization/${ORG}`);
  });

  it('its checks catch what the structure validator lets through', () => {
    const obs = ofType(bundle, 'Observation')[0];
    // Medplum accepts a status outside the value set and a pain of 11; the code checks do not.
    const wrong = { ...obs, status: 'finished', valueInteger: 11 } as unknown as FhirResource;
    expect(structureErrors(wrong)).toEqual([]);
    expect(allErrors([wrong])).toEqual([`Observation/${obs.id}: status finished`, `Observation/${obs.id}: pain 11 not an integer 0–10`]);
    const dangling = { ...bundle, entry: [...(bundle.entry as object[]), { fullUrl: `${BASE}/Observation/x`, resource: { ...obs, id: 'x', subject: { reference: 'Patient/nobody' } } }] } as FhirResource;
    expect(unresolvedReferences(dangling)).toEqual(['Observation/x → Patient/nobody']);
    expect(referencesIn({ a: [{ reference: 'A/1' }] })).toEqual(['A/1']);
  });
});
