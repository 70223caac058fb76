import {
  appointmentResource,
  carePlanResource,
  complaintSites,
  encounterResource,
  intakeObservations,
  isEncounter,
  locationResource,
  noteObservations,
  organizationResource,
  patientResource,
  practitionerResource,
  practitionerRoleResource,
  questionnaireResponseResource,
  reassessmentObservations,
  refsWithin,
  serviceRequestResource,
} from './resources';
import type {
  AppointmentRecord,
  ClientRecord,
  ClinicRecord,
  FhirResource,
  IntakeRecord,
  NoteRecord,
  OrganizationRecord,
  PlanWithBody,
  PractitionerRecord,
  ReassessmentRecord,
  ReferralRecord,
} from './types';

/** Everything of one client the caller read (in the caller's scope), for `Patient/$everything`. */
export interface PatientRecords {
  organization: OrganizationRecord;
  client: ClientRecord;
  clinics: ClinicRecord[];
  practitioners: PractitionerRecord[];
  intakes: IntakeRecord[];
  plans: PlanWithBody[];
  appointments: AppointmentRecord[];
  notes: NoteRecord[];
  reassessments: ReassessmentRecord[];
  referrals: ReferralRecord[];
}

export interface BundleOptions {
  /** The FHIR base URL (e.g. `https://api.example/fhir`): each entry's fullUrl is `<base>/<Type>/<id>`. */
  base: string;
  /** When the bundle was made (the caller's clock). */
  now: Date;
}

/** The resource types of an export, in the order a bundle lists them. */
export const RESOURCE_TYPES = [
  'Patient',
  'Organization',
  'Location',
  'Practitioner',
  'PractitionerRole',
  'QuestionnaireResponse',
  'CarePlan',
  'ServiceRequest',
  'Appointment',
  'Encounter',
  'Observation',
] as const;
export type ExportResourceType = (typeof RESOURCE_TYPES)[number];

const key = (type: string, id: string) => `${type}/${id}`;

/**
 * The client's record as FHIR resources, every reference resolving among them: the Patient,
 * the organization, the clinics and practitioners the records name, each intake version as a
 * QuestionnaireResponse, each plan as a CarePlan, each referral as a ServiceRequest, each
 * appointment, each session given as an Encounter, and an Observation for every pain score and
 * function measure (intake baselines, session check-ins and ends, re-assessments).
 */
export function patientResources(r: PatientRecords): FhirResource[] {
  const orgId = r.organization.id;
  const notesByAppointment = new Map(r.notes.map((n) => [n.appointmentId, n]));
  const encounters = r.appointments.filter((a) => isEncounter(a, notesByAppointment.has(a.id)));
  const usedPractitioners = new Set<string>([
    ...r.intakes.map((i) => i.practitionerId),
    ...r.plans.map((p) => p.practitionerId),
    ...r.appointments.map((a) => a.practitionerId),
    ...r.notes.map((n) => n.practitionerId),
    ...r.referrals.flatMap((x) => (x.referringPractitionerId ? [x.referringPractitionerId] : [])),
  ]);
  const practitioners = r.practitioners.filter((p) => usedPractitioners.has(p.id));
  const present = new Set<string>([
    key('Patient', r.client.id),
    key('Organization', orgId),
    ...r.clinics.map((c) => key('Location', c.id)),
    ...practitioners.map((p) => key('Practitioner', p.id)),
    ...r.intakes.map((i) => key('QuestionnaireResponse', i.id)),
    ...r.plans.map((p) => key('CarePlan', p.id)),
    ...r.appointments.map((a) => key('Appointment', a.id)),
    ...encounters.map((a) => key('Encounter', a.id)),
  ]);
  const refs = refsWithin(present);

  // Where each practitioner worked for this client: their role's locations.
  const clinicsOf = new Map<string, Set<string>>();
  const worked = (p: string, c: string) => (clinicsOf.get(p) ?? clinicsOf.set(p, new Set()).get(p)!).add(c);
  for (const x of [...r.intakes, ...r.plans, ...r.appointments]) worked(x.practitionerId, x.clinicId);

  const sessionsByPlan = new Map<string, Map<number, string[]>>();
  for (const a of encounters) {
    if (!a.planId || a.phaseIndex === null) continue;
    const byPhase = sessionsByPlan.get(a.planId) ?? sessionsByPlan.set(a.planId, new Map()).get(a.planId)!;
    (byPhase.get(a.phaseIndex) ?? byPhase.set(a.phaseIndex, []).get(a.phaseIndex)!).push(a.id);
  }
  const intakeById = new Map(r.intakes.map((i) => [i.id, i]));
  const planById = new Map(r.plans.map((p) => [p.id, p]));
  const appointmentById = new Map(r.appointments.map((a) => [a.id, a]));
  const firstByPlan = new Map<string, Date>();
  for (const a of r.appointments) if (a.planId && (!firstByPlan.has(a.planId) || a.startsAt < firstByPlan.get(a.planId)!)) firstByPlan.set(a.planId, a.startsAt);

  const out: FhirResource[] = [
    patientResource(r.client, orgId, refs),
    organizationResource(r.organization),
    ...r.clinics.map((c) => locationResource(c, orgId, refs)),
    ...practitioners.map((p) => practitionerResource(p)),
    ...practitioners.map((p) => practitionerRoleResource(p, orgId, [...(clinicsOf.get(p.id) ?? [])], refs)),
    ...r.intakes.map((i) => questionnaireResponseResource(i, refs)),
    ...r.plans.map((p) => carePlanResource(p, sessionsByPlan.get(p.id) ?? new Map(), refs, firstByPlan.get(p.id) ?? null)),
    ...r.referrals.map((x) => serviceRequestResource(x, orgId, refs)),
    ...r.appointments.map((a) => appointmentResource(a, refs)),
    ...encounters.map((a) => encounterResource(a, orgId, notesByAppointment.get(a.id) ?? null, refs)),
    ...r.intakes.flatMap((i) => intakeObservations(i, refs)),
    ...r.notes.flatMap((n) => (appointmentById.has(n.appointmentId) ? noteObservations(n, appointmentById.get(n.appointmentId)!, refs) : [])),
    ...r.reassessments.flatMap((x) => {
      const plan = planById.get(x.planId);
      const intake = plan ? intakeById.get(plan.intakeId) : undefined;
      const performer = (x.appointmentId ? appointmentById.get(x.appointmentId)?.practitionerId : undefined) ?? plan?.practitionerId ?? null;
      return reassessmentObservations(x, intake ? complaintSites(intake) : new Map(), performer, refs);
    }),
  ];
  return out;
}

/** `Patient/$everything`: a searchset Bundle, the Patient the match and everything else included. */
export function patientEverythingBundle(r: PatientRecords, options: BundleOptions): FhirResource {
  const base = options.base.replace(/\/+$/, '');
  const resources = patientResources(r);
  return {
    resourceType: 'Bundle',
    id: `${r.client.id}-everything`,
    meta: { lastUpdated: options.now.toISOString() },
    type: 'searchset',
    timestamp: options.now.toISOString(),
    total: resources.length,
    link: [{ relation: 'self', url: `${base}/Patient/${r.client.id}/$everything` }],
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: resource.resourceType === 'Patient' ? 'match' : 'include' },
    })),
  };
}

/** A FHIR OperationOutcome for a refusal or an error, with a sentence a person can act on. */
export function operationOutcome(code: 'not-found' | 'forbidden' | 'login' | 'invalid' | 'exception' | 'expired' | 'processing', diagnostics: string): FhirResource {
  return {
    resourceType: 'OperationOutcome',
    id: `outcome-${code}`,
    issue: [{ severity: code === 'exception' ? 'fatal' : 'error', code: code === 'forbidden' ? 'forbidden' : code, diagnostics }],
  };
}
