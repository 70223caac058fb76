/**
 * The codes the export writes, each from its FHIR R4 value set (required bindings: a structure
 * validator lets a wrong code through, so the tests check these tables against the value sets).
 */

/** Fascia's own code systems (its vocabularies have no standard equivalent the export could claim). */
export const FASCIA_SYSTEM = {
  bodyRegion: 'https://fascia.app/fhir/CodeSystem/body-region',
  discipline: 'https://fascia.app/fhir/CodeSystem/discipline',
  modality: 'https://fascia.app/fhir/CodeSystem/modality',
  appointmentKind: 'https://fascia.app/fhir/CodeSystem/appointment-kind',
  functionMeasure: 'https://fascia.app/fhir/CodeSystem/function-measure',
  planPhase: 'https://fascia.app/fhir/CodeSystem/plan-phase',
  intake: 'https://fascia.app/fhir/CodeSystem/intake-item',
} as const;

export const LOINC = 'http://loinc.org';
/** LOINC 72514-3: Pain severity - 0-10 verbal numeric rating [Score] - Reported. */
export const PAIN_SEVERITY = { system: LOINC, code: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' } as const;
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const SURVEY_CATEGORY = { system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' } as const;
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const AMBULATORY = { system: ACT_CODE, code: 'AMB', display: 'ambulatory' } as const;
export const UCUM = 'http://unitsofmeasure.org';

/** Appointment.status (http://hl7.org/fhir/ValueSet/appointmentstatus). */
export const APPOINTMENT_STATUS: Record<string, string> = {
  BOOKED: 'booked',
  CHECKED_IN: 'checked-in',
  COMPLETED: 'fulfilled',
  CANCELLED: 'cancelled',
  LATE_CANCELLED: 'cancelled',
  NO_SHOW: 'noshow',
};

/** Encounter.status (http://hl7.org/fhir/ValueSet/encounter-status), for the appointments that are sessions. */
export const ENCOUNTER_STATUS: Record<string, string> = {
  CHECKED_IN: 'arrived',
  COMPLETED: 'finished',
};

/** CarePlan.status (http://hl7.org/fhir/ValueSet/request-status). */
export const CARE_PLAN_STATUS: Record<string, string> = {
  PROPOSED: 'draft',
  ACTIVE: 'active',
  MAINTENANCE: 'active',
  COMPLETED: 'completed',
  DISCONTINUED: 'revoked',
};

/** ServiceRequest.status (http://hl7.org/fhir/ValueSet/request-status). */
export const SERVICE_REQUEST_STATUS: Record<string, string> = {
  DRAFT: 'draft',
  SENT: 'active',
  ACCEPTED: 'active',
  SCHEDULED: 'active',
  COMPLETED: 'completed',
  CLOSED: 'completed',
  DECLINED: 'revoked',
  CANCELLED: 'revoked',
  EXPIRED: 'revoked',
};

/** ServiceRequest.priority (http://hl7.org/fhir/ValueSet/request-priority). */
export const REQUEST_PRIORITY: Record<string, string> = {
  ROUTINE: 'routine',
  URGENT: 'urgent',
  EMERGENCY: 'stat',
};

/** The value sets the codes above must come from (the tests hold each table to its set). */
export const VALUE_SETS = {
  appointmentStatus: ['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist'],
  encounterStatus: ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown'],
  requestStatus: ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'],
  requestIntent: ['proposal', 'plan', 'directive', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option'],
  carePlanIntent: ['proposal', 'plan', 'order', 'option'],
  requestPriority: ['routine', 'urgent', 'asap', 'stat'],
  carePlanActivityStatus: ['not-started', 'scheduled', 'in-progress', 'on-hold', 'completed', 'cancelled', 'stopped', 'unknown', 'entered-in-error'],
  observationStatus: ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'],
  questionnaireResponseStatus: ['in-progress', 'completed', 'amended', 'entered-in-error', 'stopped'],
  participationStatus: ['accepted', 'declined', 'tentative', 'needs-action'],
  locationStatus: ['active', 'suspended', 'inactive'],
} as const;

/** What an appointment's kind reads as. */
export const APPOINTMENT_KIND_TEXT: Record<string, string> = {
  INTAKE: 'Intake assessment',
  SESSION: 'Treatment session',
  REASSESSMENT: 'Re-assessment',
  MAINTENANCE: 'Maintenance session',
};

export const DISCIPLINE_TEXT: Record<string, string> = {
  MASSAGE_THERAPIST: 'Massage therapist',
  PHYSIOTHERAPIST: 'Physiotherapist',
  PAIN_SPECIALIST: 'Pain specialist',
  ACUPUNCTURIST: 'Acupuncturist',
  PHYSICIAN: 'Physician',
};

/** The function measures: their code, what they read as, and their range. */
export const FUNCTION_MEASURES = {
  psfs: { code: 'psfs', display: 'Patient-Specific Functional Scale (mean of activities, 0-10)', min: 0, max: 10 },
  odi: { code: 'odi', display: 'Oswestry Disability Index (0-100 %)', min: 0, max: 100 },
  ndi: { code: 'ndi', display: 'Neck Disability Index (0-50)', min: 0, max: 50 },
} as const;
export type FunctionMeasure = keyof typeof FUNCTION_MEASURES;
