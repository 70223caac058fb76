import { describeFrequency, type Intake, type Measures, type TreatmentPlan } from '@fascia/planning';
import {
  AMBULATORY,
  APPOINTMENT_KIND_TEXT,
  APPOINTMENT_STATUS,
  CARE_PLAN_STATUS,
  DISCIPLINE_TEXT,
  ENCOUNTER_STATUS,
  FASCIA_SYSTEM,
  FUNCTION_MEASURES,
  type FunctionMeasure,
  PAIN_SEVERITY,
  REQUEST_PRIORITY,
  SERVICE_REQUEST_STATUS,
  SURVEY_CATEGORY,
  UCUM,
} from './codes';
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
  Reference,
  ReferralRecord,
} from './types';

/**
 * How a resource names another: `Type/id`, relative to the server's base, when the target is
 * exported with it (in the Bundle, or in the same bulk export); otherwise only a display text,
 * so that no reference points at something the reader cannot resolve.
 */
export interface Refs {
  ref(type: string, id: string | null | undefined, display?: string): Reference | undefined;
}

/** Every reference resolves: the whole organization is exported (bulk export). */
export const ALL_REFS: Refs = {
  ref: (type, id, display) => (id ? { reference: `${type}/${id}`, ...(display ? { display } : {}) } : display ? { display } : undefined),
};

/** References only to resources in `present` (`Type/id`); others become display-only (or are left out). */
export function refsWithin(present: Set<string>): Refs {
  return {
    ref(type, id, display) {
      if (id && present.has(`${type}/${id}`)) return { reference: `${type}/${id}`, ...(display ? { display } : {}) };
      return display ? { display } : undefined;
    },
  };
}

const iso = (d: Date | string): string => (typeof d === 'string' ? new Date(d).toISOString() : d.toISOString());
/** Leaves out the keys whose value is undefined, null or an empty array: FHIR forbids empty elements. */
function compact<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0) || v === '') continue;
    out[k] = v;
  }
  return out as T;
}
const words = (code: string): string => code.toLowerCase().replace(/[_-]+/g, ' ');

export function organizationResource(org: OrganizationRecord): FhirResource {
  return { resourceType: 'Organization', id: org.id, active: true, name: org.name };
}

export function locationResource(clinic: ClinicRecord, organizationId: string, refs: Refs): FhirResource {
  return compact({
    resourceType: 'Location',
    id: clinic.id,
    status: clinic.archivedAt ? 'inactive' : 'active',
    name: clinic.name,
    description: `Times at this clinic are in ${clinic.timeZone}.`,
    mode: 'instance',
    telecom: clinic.phone ? [{ system: 'phone', value: clinic.phone, use: 'work' }] : undefined,
    address: compact({
      use: 'work',
      type: 'physical',
      line: [clinic.addressLine1, ...(clinic.addressLine2 ? [clinic.addressLine2] : [])],
      city: clinic.city,
      state: clinic.region ?? undefined,
      postalCode: clinic.postalCode ?? undefined,
      country: clinic.country,
    }),
    managingOrganization: refs.ref('Organization', organizationId),
  });
}

export function practitionerResource(p: PractitionerRecord): FhirResource {
  return compact({
    resourceType: 'Practitioner',
    id: p.id,
    active: p.archivedAt === null,
    name: [{ text: p.displayName }],
    telecom: p.email ? [{ system: 'email', value: p.email, use: 'work' }] : undefined,
  });
}

/** The practitioner's role in the organization: their discipline, their modalities, the clinics given. */
export function practitionerRoleResource(p: PractitionerRecord, organizationId: string, clinicIds: string[], refs: Refs): FhirResource {
  return compact({
    resourceType: 'PractitionerRole',
    id: p.id,
    active: p.archivedAt === null,
    practitioner: refs.ref('Practitioner', p.id, p.displayName),
    organization: refs.ref('Organization', organizationId),
    code: [{ coding: [{ system: FASCIA_SYSTEM.discipline, code: p.discipline, display: DISCIPLINE_TEXT[p.discipline] ?? words(p.discipline) }], text: DISCIPLINE_TEXT[p.discipline] ?? words(p.discipline) }],
    specialty: p.modalities.map((m) => ({ coding: [{ system: FASCIA_SYSTEM.modality, code: m, display: words(m) }], text: words(m) })),
    location: clinicIds.map((id) => refs.ref('Location', id)).filter((r): r is Reference => r?.reference !== undefined),
  });
}

export function patientResource(c: ClientRecord, organizationId: string, refs: Refs): FhirResource {
  const name = [{ use: 'official', family: c.lastName, given: [c.firstName], text: `${c.firstName} ${c.lastName}` }];
  if (c.preferredName) name.push({ use: 'usual', family: c.lastName, given: [c.preferredName], text: `${c.preferredName} ${c.lastName}` });
  const telecom = [
    ...(c.phone ? [{ system: 'phone', value: c.phone }] : []),
    ...(c.email ? [{ system: 'email', value: c.email }] : []),
  ];
  const ec = c.emergencyContact;
  return compact({
    resourceType: 'Patient',
    id: c.id,
    active: c.archivedAt === null,
    name,
    telecom,
    birthDate: c.dateOfBirth ?? undefined,
    contact: ec
      ? [compact({ relationship: ec.relationship ? [{ text: ec.relationship }] : undefined, name: { text: ec.name }, telecom: [{ system: 'phone', value: ec.phone }] })]
      : undefined,
    managingOrganization: refs.ref('Organization', organizationId),
  });
}

/** A plan phase's status from where the plan stands. */
function phaseStatus(planStatus: string, index: number, current: number): string {
  if (planStatus === 'COMPLETED') return 'completed';
  if (index < current) return 'completed';
  if (planStatus === 'DISCONTINUED') return index === current ? 'stopped' : 'cancelled';
  if (planStatus === 'PROPOSED') return 'not-started';
  return index === current ? 'in-progress' : 'not-started';
}

/**
 * The plan: its status, period (from its creation or its first appointment, whichever is earlier; to its last change once completed or
 * discontinued), and each phase as an activity with its rhythm as a Timing, the sessions
 * given in it as outcome Encounters.
 */
export function carePlanResource(plan: PlanWithBody, sessionsByPhase: Map<number, string[]>, refs: Refs, firstAppointmentAt: Date | null = null): FhirResource {
  // Care may predate the record (history entered later): the period starts at whichever came first.
  const start = firstAppointmentAt && firstAppointmentAt < plan.createdAt ? firstAppointmentAt : plan.createdAt;
  const body = plan.body as unknown as TreatmentPlan | null;
  const ended = plan.status === 'COMPLETED' || plan.status === 'DISCONTINUED';
  const activity = (body?.phases ?? []).map((phase) => {
    const f = phase.frequency?.value;
    const sessions = phase.sessions?.value;
    const weeks = phase.durationWeeks?.value;
    const minutes = phase.sessionLengthMinutes?.value;
    const span = (r: { min: number; likely: number; max: number }) => (r.min === r.max ? `${r.likely}` : `${r.min}–${r.max}`);
    const rhythm = [f ? describeFrequency(f) : null, sessions ? `${span(sessions)} sessions` : null, minutes ? `of ${minutes} minutes` : null, weeks ? `over ${span(weeks)} weeks` : null]
      .filter(Boolean)
      .join(' ');
    const repeat = compact({ frequency: f?.sessions, period: f?.perWeeks, periodUnit: f ? 'wk' : undefined, duration: minutes, durationUnit: minutes ? 'min' : undefined, count: sessions?.likely });
    return compact({
      outcomeReference: (sessionsByPhase.get(phase.index) ?? []).map((id) => refs.ref('Encounter', id)).filter((r): r is Reference => r?.reference !== undefined),
      detail: compact({
        kind: 'Appointment',
        code: { coding: [{ system: FASCIA_SYSTEM.planPhase, code: phase.kind, display: phase.label }], text: phase.label },
        status: phaseStatus(plan.status, phase.index, body?.currentPhaseIndex ?? 0),
        scheduledTiming: Object.keys(repeat).length ? { repeat } : undefined,
        location: refs.ref('Location', plan.clinicId),
        performer: [refs.ref('Practitioner', plan.practitionerId)].filter((r): r is Reference => r !== undefined),
        description: [`${phase.label}${rhythm ? `: ${rhythm}` : ''}.`, phase.purpose].filter(Boolean).join(' '),
      }),
    });
  });
  return compact({
    resourceType: 'CarePlan',
    id: plan.id,
    status: CARE_PLAN_STATUS[plan.status] ?? 'unknown',
    intent: plan.status === 'PROPOSED' ? 'proposal' : 'plan',
    title: body?.protocol?.description ? `Treatment plan: ${body.protocol.description}` : `Treatment plan for ${words(plan.complaintKey)}`,
    description: body
      ? [`Version ${plan.currentVersion}`, body.pathway ? `${body.pathway} pathway` : null, body.severity?.value ? `${body.severity.value} severity` : null, body.expectedSessions?.value ? `about ${body.expectedSessions.value.likely} sessions of active care` : null]
          .filter(Boolean)
          .join('; ') + '.'
      : undefined,
    subject: refs.ref('Patient', plan.clientId),
    period: compact({ start: iso(start), end: ended ? iso(plan.updatedAt) : undefined }),
    created: iso(plan.createdAt),
    author: refs.ref('Practitioner', plan.practitionerId),
    supportingInfo: [refs.ref('QuestionnaireResponse', plan.intakeId)].filter((r): r is Reference => r?.reference !== undefined),
    activity,
  });
}

export function serviceRequestResource(r: ReferralRecord, organizationId: string, refs: Refs): FhirResource {
  const target = [r.targetNames.practitionerName, r.targetNames.clinicName, r.targetNames.organizationName].filter(Boolean).join(', ');
  return compact({
    resourceType: 'ServiceRequest',
    id: r.id,
    status: SERVICE_REQUEST_STATUS[r.status] ?? 'unknown',
    intent: 'order',
    priority: REQUEST_PRIORITY[r.urgency] ?? 'routine',
    code: { text: `Referral to a ${(DISCIPLINE_TEXT[r.targetDiscipline] ?? words(r.targetDiscipline)).toLowerCase()}` },
    subject: refs.ref('Patient', r.clientId),
    authoredOn: iso(r.sentAt ?? r.createdAt),
    occurrencePeriod: r.sentAt && r.validUntil ? { start: iso(r.sentAt), end: iso(r.validUntil) } : undefined,
    requester: (r.referringPractitionerId ? refs.ref('Practitioner', r.referringPractitionerId) : undefined) ?? refs.ref('Organization', organizationId),
    performerType: { coding: [{ system: FASCIA_SYSTEM.discipline, code: r.targetDiscipline, display: DISCIPLINE_TEXT[r.targetDiscipline] ?? words(r.targetDiscipline) }] },
    // The receiving clinic is another organization: named, not referenced (it is not in this export).
    performer: target ? [{ display: target }] : undefined,
    locationReference: [refs.ref('Location', r.referringClinicId)].filter((x): x is Reference => x?.reference !== undefined),
    reasonCode: [{ text: r.reason }],
    note: [{ text: `Clinical question: ${r.clinicalQuestion}` }],
  });
}

export function appointmentResource(a: AppointmentRecord, refs: Refs): FhirResource {
  const kind = APPOINTMENT_KIND_TEXT[a.kind] ?? words(a.kind);
  return compact({
    resourceType: 'Appointment',
    id: a.id,
    status: APPOINTMENT_STATUS[a.status] ?? 'booked',
    cancelationReason: (a.status === 'CANCELLED' || a.status === 'LATE_CANCELLED') ? { text: a.statusReason ?? (a.status === 'LATE_CANCELLED' ? 'Late cancellation' : 'Cancelled') } : undefined,
    serviceType: [{ coding: [{ system: FASCIA_SYSTEM.appointmentKind, code: a.kind, display: kind }], text: kind }],
    description: a.sessionNumber ? `${kind}, session ${a.sessionNumber}` : kind,
    supportingInformation: [refs.ref('CarePlan', a.planId)].filter((r): r is Reference => r?.reference !== undefined),
    start: iso(a.startsAt),
    end: iso(a.endsAt),
    minutesDuration: Math.round((a.endsAt.getTime() - a.startsAt.getTime()) / 60_000),
    created: iso(a.createdAt),
    participant: [
      { actor: refs.ref('Patient', a.clientId), required: 'required', status: 'accepted' },
      { actor: refs.ref('Practitioner', a.practitionerId), required: 'required', status: 'accepted' },
      { actor: refs.ref('Location', a.clinicId), required: 'required', status: 'accepted' },
    ].filter((p) => p.actor !== undefined),
  });
}

/** Whether an appointment was a session given (so it has an Encounter): completed, checked in, or with a note. */
export function isEncounter(a: AppointmentRecord, hasNote: boolean): boolean {
  return a.status in ENCOUNTER_STATUS || hasNote;
}

export function encounterResource(a: AppointmentRecord, organizationId: string, note: NoteRecord | null, refs: Refs): FhirResource {
  const kind = APPOINTMENT_KIND_TEXT[a.kind] ?? words(a.kind);
  const end = note?.durationMinutes ? new Date(a.startsAt.getTime() + note.durationMinutes * 60_000) : a.endsAt;
  return compact({
    resourceType: 'Encounter',
    id: a.id,
    status: ENCOUNTER_STATUS[a.status] ?? (note?.signedAt ? 'finished' : 'in-progress'),
    class: AMBULATORY,
    type: [{ coding: [{ system: FASCIA_SYSTEM.appointmentKind, code: a.kind, display: kind }], text: kind }],
    subject: refs.ref('Patient', a.clientId),
    participant: [{ individual: refs.ref('Practitioner', a.practitionerId) }].filter((p) => p.individual !== undefined),
    appointment: [refs.ref('Appointment', a.id)].filter((r): r is Reference => r?.reference !== undefined),
    period: { start: iso(a.startsAt), end: iso(end) },
    location: [{ location: refs.ref('Location', a.clinicId) }].filter((l) => l.location !== undefined),
    serviceProvider: refs.ref('Organization', organizationId),
  });
}

interface BodySite {
  region: string;
  side?: string;
}
function bodySite(sites: BodySite[]): Record<string, unknown> | undefined {
  if (sites.length === 0) return undefined;
  return {
    coding: sites.map((s) => ({ system: FASCIA_SYSTEM.bodyRegion, code: s.region, display: words(s.region) })),
    text: sites.map((s) => (s.side ? `${words(s.region)} (${s.side})` : words(s.region))).join(', '),
  };
}

interface PainInput {
  id: string;
  score: number;
  at: Date;
  sites: BodySite[];
  status: 'final' | 'preliminary';
  patientId: string;
  performerId: string | null;
  encounterId: string | null;
  derivedFrom: { type: string; id: string } | null;
  note?: string;
}

/** A pain score: LOINC 72514-3, 0–10 as valueInteger, category survey. */
export function painObservation(p: PainInput, refs: Refs): FhirResource {
  if (!Number.isInteger(p.score) || p.score < 0 || p.score > 10) throw new RangeError(`pain score ${p.score} of ${p.id} is not an integer 0–10`);
  return compact({
    resourceType: 'Observation',
    id: p.id,
    status: p.status,
    category: [{ coding: [SURVEY_CATEGORY] }],
    code: { coding: [PAIN_SEVERITY], text: 'Pain severity (0-10)' },
    subject: refs.ref('Patient', p.patientId),
    encounter: refs.ref('Encounter', p.encounterId),
    effectiveDateTime: iso(p.at),
    performer: [refs.ref('Practitioner', p.performerId)].filter((r): r is Reference => r?.reference !== undefined),
    valueInteger: p.score,
    bodySite: bodySite(p.sites),
    derivedFrom: p.derivedFrom ? [refs.ref(p.derivedFrom.type, p.derivedFrom.id)].filter((r): r is Reference => r?.reference !== undefined) : undefined,
    note: p.note ? [{ text: p.note }] : undefined,
  });
}

interface FunctionInput {
  id: string;
  measure: FunctionMeasure;
  value: number;
  items?: { activity: string; score: number }[];
  at: Date;
  patientId: string;
  performerId: string | null;
  encounterId: string | null;
  derivedFrom: { type: string; id: string } | null;
}

/** A function measure (PSFS mean with its activities as components, ODI, NDI), category survey. */
export function functionObservation(f: FunctionInput, refs: Refs): FhirResource {
  const m = FUNCTION_MEASURES[f.measure];
  if (!(f.value >= m.min && f.value <= m.max)) throw new RangeError(`${f.measure} ${f.value} of ${f.id} is outside ${m.min}–${m.max}`);
  const unit = f.measure === 'odi' ? { unit: '%', system: UCUM, code: '%' } : { unit: 'score', system: UCUM, code: '{score}' };
  return compact({
    resourceType: 'Observation',
    id: f.id,
    status: 'final',
    category: [{ coding: [SURVEY_CATEGORY] }],
    code: { coding: [{ system: FASCIA_SYSTEM.functionMeasure, code: m.code, display: m.display }], text: m.display },
    subject: refs.ref('Patient', f.patientId),
    encounter: refs.ref('Encounter', f.encounterId),
    effectiveDateTime: iso(f.at),
    performer: [refs.ref('Practitioner', f.performerId)].filter((r): r is Reference => r?.reference !== undefined),
    valueQuantity: { value: Math.round(f.value * 10) / 10, ...unit },
    derivedFrom: f.derivedFrom ? [refs.ref(f.derivedFrom.type, f.derivedFrom.id)].filter((r): r is Reference => r?.reference !== undefined) : undefined,
    component: (f.items ?? []).map((i) => ({ code: { text: i.activity }, valueInteger: i.score })),
  });
}

/** The two pain scores a session note records: at check-in, and after the session when given. */
export function noteObservations(note: NoteRecord, appointment: AppointmentRecord, refs: Refs): FhirResource[] {
  const base = {
    patientId: note.clientId,
    performerId: note.practitionerId,
    encounterId: appointment.id,
    derivedFrom: null,
    status: note.signedAt ? ('final' as const) : ('preliminary' as const),
    sites: note.checkin.painAreas.map((region) => ({ region })),
  };
  const out = [painObservation({ ...base, id: `${note.id}-pain-start`, score: note.checkin.painNow, at: appointment.startsAt, note: 'Reported at check-in, before the session.' }, refs)];
  if (note.painAfter !== null) {
    const end = new Date(appointment.startsAt.getTime() + (note.durationMinutes ?? Math.round((appointment.endsAt.getTime() - appointment.startsAt.getTime()) / 60_000)) * 60_000);
    out.push(painObservation({ ...base, id: `${note.id}-pain-end`, score: note.painAfter, at: end, note: 'Reported after the session.' }, refs));
  }
  return out;
}

type ComplaintSites = Map<string, BodySite>;
/** Each complaint's body site, by complaint id, from an intake's data. */
export function complaintSites(intake: IntakeRecord): ComplaintSites {
  const data = intake.data as unknown as Intake;
  return new Map((data.complaints ?? []).map((c) => [c.id, { region: c.region, side: c.side }]));
}

function measureObservations(
  idPrefix: string,
  measures: Measures,
  sites: ComplaintSites,
  common: { at: Date; patientId: string; performerId: string | null; encounterId: string | null; derivedFrom: { type: string; id: string } | null },
  refs: Refs,
): FhirResource[] {
  const out = measures.pain.map((p, i) =>
    painObservation({ ...common, id: `${idPrefix}-pain-${i + 1}`, score: p.score, sites: sites.has(p.complaintId) ? [sites.get(p.complaintId)!] : [], status: 'final' }, refs),
  );
  if (measures.psfs?.length) {
    const mean = measures.psfs.reduce((s, i) => s + i.score, 0) / measures.psfs.length;
    out.push(functionObservation({ ...common, id: `${idPrefix}-psfs`, measure: 'psfs', value: mean, items: measures.psfs }, refs));
  }
  if (measures.odi !== undefined && measures.odi !== null) out.push(functionObservation({ ...common, id: `${idPrefix}-odi`, measure: 'odi', value: measures.odi }, refs));
  if (measures.ndi !== undefined && measures.ndi !== null) out.push(functionObservation({ ...common, id: `${idPrefix}-ndi`, measure: 'ndi', value: measures.ndi }, refs));
  return out;
}

/** An intake's baseline: pain per complaint at its body site, and the function measures, derived from its QuestionnaireResponse. */
export function intakeObservations(intake: IntakeRecord, refs: Refs): FhirResource[] {
  const data = intake.data as unknown as Intake;
  const measures: Measures = {
    pain: (data.complaints ?? []).map((c) => ({ complaintId: c.id, score: c.painNow })),
    ...(data.function?.psfs?.length ? { psfs: data.function.psfs } : {}),
    ...(data.function?.odi !== undefined ? { odi: data.function.odi } : {}),
    ...(data.function?.ndi !== undefined ? { ndi: data.function.ndi } : {}),
  };
  return measureObservations(`${intake.id}`, measures, complaintSites(intake), {
    at: intake.createdAt,
    patientId: intake.clientId,
    performerId: intake.practitionerId,
    encounterId: null,
    derivedFrom: { type: 'QuestionnaireResponse', id: intake.id },
  }, refs);
}

/** A re-assessment's measures; body sites from the plan's intake, performer the session's practitioner (or the plan's). */
export function reassessmentObservations(r: ReassessmentRecord, sites: ComplaintSites, performerId: string | null, refs: Refs): FhirResource[] {
  return measureObservations(`${r.id}`, r.measures as unknown as Measures, sites, {
    at: r.assessedAt,
    patientId: r.clientId,
    performerId,
    encounterId: r.appointmentId,
    derivedFrom: null,
  }, refs);
}

type Answer = Record<string, unknown>;
function answerOf(v: unknown): Answer | null {
  if (typeof v === 'boolean') return { valueBoolean: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { valueInteger: v } : { valueDecimal: v };
  if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(v) ? { valueDate: v } : v.length ? { valueString: v } : null;
  return null;
}
const label = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** The intake's answers as items: objects as groups, lists of objects as repeated groups, lists of values as repeated answers. */
function itemsOf(value: Record<string, unknown>, path: string): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const [key, v] of Object.entries(value)) {
    const linkId = path ? `${path}.${key}` : key;
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      if (v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
        for (const x of v) {
          const sub = itemsOf(x as Record<string, unknown>, linkId);
          if (sub.length) items.push({ linkId, text: label(key), item: sub });
        }
      } else {
        const answer = v.map(answerOf).filter((a): a is Answer => a !== null);
        if (answer.length) items.push({ linkId, text: label(key), answer });
      }
    } else if (typeof v === 'object') {
      const sub = itemsOf(v as Record<string, unknown>, linkId);
      if (sub.length) items.push({ linkId, text: label(key), item: sub });
    } else {
      const a = answerOf(v);
      if (a) items.push({ linkId, text: label(key), answer: [a] });
    }
  }
  return items;
}

/** One intake version: every answer the intake holds, as the practitioner recorded it. */
export function questionnaireResponseResource(intake: IntakeRecord, refs: Refs): FhirResource {
  return compact({
    resourceType: 'QuestionnaireResponse',
    id: intake.id,
    identifier: { system: FASCIA_SYSTEM.intake, value: `${intake.clientId}/v${intake.version}` },
    status: 'completed',
    subject: refs.ref('Patient', intake.clientId),
    authored: iso(intake.createdAt),
    author: refs.ref('Practitioner', intake.practitionerId),
    source: refs.ref('Patient', intake.clientId),
    item: [{ linkId: 'intakeVersion', text: 'Intake version', answer: [{ valueInteger: intake.version }] }, ...itemsOf(intake.data, '')],
  });
}
