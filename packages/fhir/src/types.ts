/**
 * The records the mapping reads, as plain shapes: `@fascia/db`'s entities satisfy them, and so
 * does a row read for the bulk export. Nothing here reads a database, a file or the clock.
 */

/** A FHIR resource as JSON: its type, its id, and the rest of its elements. */
export interface FhirResource {
  resourceType: string;
  id: string;
  [element: string]: unknown;
}

export interface Reference {
  reference?: string;
  display?: string;
}

export interface OrganizationRecord {
  id: string;
  name: string;
}

export interface ClinicRecord {
  id: string;
  name: string;
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  country: string;
  timeZone: string;
  phone: string | null;
  archivedAt: Date | null;
}

export interface PractitionerRecord {
  id: string;
  displayName: string;
  discipline: string;
  modalities: string[];
  email: string | null;
  archivedAt: Date | null;
}

export interface ClientRecord {
  id: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  dateOfBirth: string | null;
  email: string | null;
  phone: string | null;
  emergencyContact: { name: string; phone: string; relationship?: string | null } | null;
  archivedAt: Date | null;
}

export interface IntakeRecord {
  id: string;
  clientId: string;
  version: number;
  clinicId: string;
  practitionerId: string;
  /** `Intake` from @fascia/planning. */
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface PlanRecord {
  id: string;
  clientId: string;
  intakeId: string;
  clinicId: string;
  practitionerId: string;
  complaintKey: string;
  status: string;
  currentVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A plan with the body of its current version (`TreatmentPlan` from @fascia/planning), when read. */
export interface PlanWithBody extends PlanRecord {
  body: Record<string, unknown> | null;
}

export interface AppointmentRecord {
  id: string;
  clinicId: string;
  practitionerId: string;
  clientId: string;
  planId: string | null;
  phaseIndex: number | null;
  sessionNumber: number | null;
  kind: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  statusReason: string | null;
  createdAt: Date;
}

export interface NoteRecord {
  id: string;
  appointmentId: string;
  clientId: string;
  practitionerId: string;
  planId: string | null;
  checkin: { painNow: number; painAreas: string[] };
  painAfter: number | null;
  durationMinutes: number | null;
  signedAt: Date | null;
  createdAt: Date;
}

export interface ReassessmentRecord {
  id: string;
  clientId: string;
  planId: string;
  appointmentId: string | null;
  /** `Measures` from @fascia/planning. */
  measures: Record<string, unknown>;
  status: string;
  assessedAt: Date;
}

export interface ReferralRecord {
  id: string;
  clientId: string;
  referringPractitionerId: string | null;
  referringClinicId: string;
  targetDiscipline: string;
  targetNames: { organizationName?: string; clinicName?: string; practitionerName?: string | null };
  reason: string;
  clinicalQuestion: string;
  urgency: string;
  status: string;
  sentAt: Date | null;
  validUntil: Date | null;
  sourceReassessmentId: string | null;
  createdAt: Date;
}
