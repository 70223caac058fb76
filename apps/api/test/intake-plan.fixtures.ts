import { randomUUID } from 'node:crypto';
import { Membership, User, type Role } from '@fascia/db';
import { hashPassword } from '../src/auth/passwords';
import { CREATE_CLINIC, clinicInput, PASSWORD, SIGN_IN, type TestApi } from './harness';

/** Shared set-up for the client, intake, plan and re-assessment tests. */

let n = 0;

export const CREATE_CLIENT = `mutation C($input: CreateClientInput!) { createClient(input: $input) {
  id firstName lastName preferredName dateOfBirth email phone preferredChannels reminderConsent
  emergencyContact { name phone relationship } paymentMethod paymentNotes clinicIds } }`;
export const RECORD_INTAKE = `mutation I($input: RecordIntakeInput!) { recordIntake(input: $input) {
  id clientId version clinicId practitionerId blocked complaints { id region painNow chronicity }
  findings { rule outcome finding referTo urgency excludedTechniques evidence { kind text } } } }`;
export const PLAN_FIELDS = `id clientId intakeId status currentVersion complaintKey
  current { blocked blockedReason pathway protocol currentPhaseIndex referral { to urgency reason }
    findings { rule outcome }
    phases { index kind label frequency { sessions perWeeks description reason evidence { kind text source } }
      sessionLengthMinutes { value reason } sessions { min likely max reason evidence { kind } }
      durationWeeks { min likely max } reassessment { everySessions everyWeeks reason } }
    expectedSessions { min likely max reason }
    techniques { complaintId technique pressure reason evidence { kind } } excludedTechniques { technique reason }
    homeCare { kind description daysPerWeek { value reason } }
    benchmarks { id measure baseline target thresholdPoints thresholdPercent reason evidence { kind citation } } warnings { code message } }
  versions { version changeKind reason changedBy changedAt }`;
export const PROPOSE = `mutation P($intakeId: ID!) { proposePlan(intakeId: $intakeId) { ${PLAN_FIELDS} } }`;
export const ACCEPT = `mutation A($planId: ID!, $reason: String) { acceptPlan(planId: $planId, reason: $reason) { ${PLAN_FIELDS} } }`;
export const EDIT = `mutation E($planId: ID!, $input: EditPlanInput!) { editPlan(planId: $planId, input: $input) { ${PLAN_FIELDS} } }`;
export const SET_STATUS = `mutation S($planId: ID!, $status: SettablePlanStatus!, $reason: String!) { setPlanStatus(planId: $planId, status: $status, reason: $reason) { id status currentVersion versions { version changeKind reason } } }`;

/** A chronic low-back intake with moderate pain (PSFS and ODI measured); override per test. */
export function intakeInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    age: 45,
    generalHealth: 'good',
    complaints: [{ id: 'lb', region: 'lower-back', side: 'central', onsetDate: '2025-01-15', cause: 'posture', painNow: 6, painWorst: 7 }],
    function: { psfs: [{ activity: 'gardening', score: 4 }], odi: 30 },
    pressureTolerance: 'firm',
    lifestyle: { activity: 'moderate', workPosture: 'mixed', stress: 4, sleep: 'good' },
    goals: ['pain-relief', 'mobility'],
    commitment: { sessionsPerWeek: 2 },
    selfCareWillingness: 'some',
    health: {},
    ...overrides,
  };
}

/** A signed-in member of the organization with one role (inserted directly; invitations are tested elsewhere). */
export async function member(t: TestApi, organizationId: string, role: Role, clinicIds: string[] = []): Promise<{ userId: string; token: string }> {
  const email = `${role.toLowerCase()}-${++n}-${randomUUID().slice(0, 8)}@clinical.example`;
  const ds = t.tdb.dataSource;
  const user = await ds.getRepository(User).save({ email, displayName: `${role} ${n}`, passwordHash: await hashPassword(PASSWORD), status: 'ACTIVE', lastSignInAt: null });
  await ds.getRepository(Membership).insert({ organizationId, userId: user.id, role, clinicIds, status: 'ACTIVE' });
  const res = await t.gql(SIGN_IN, { input: { email, password: PASSWORD } });
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return { userId: user.id, token: res.data.signIn.accessToken };
}

export interface Practice {
  organizationId: string;
  admin: { userId: string; token: string };
  clinicId: string;
  practitionerId: string;
  /** A practitioner login linked to practitionerId. */
  therapist: { userId: string; token: string };
  frontDesk: { userId: string; token: string };
}

/** An organization with a clinic, a practitioner who can sign in, and a front-desk member. */
export async function practice(t: TestApi, name: string): Promise<Practice> {
  const admin = await t.orgWithAdmin(name);
  const clinic = await t.gql(CREATE_CLINIC, { input: clinicInput() }, admin.token);
  const clinicId = clinic.data?.createClinic.id;
  const p = await t.gql(
    `mutation P($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`,
    { input: { displayName: `Therapist ${++n}`, discipline: 'MASSAGE_THERAPIST', modalities: ['SWEDISH', 'DEEP_TISSUE'] } },
    admin.token,
  );
  const practitionerId = p.data?.createPractitioner.id;
  const therapist = await member(t, admin.organizationId, 'PRACTITIONER');
  await t.tdb.dataSource.query(`UPDATE practitioner SET user_id = $1 WHERE id = $2`, [therapist.userId, practitionerId]);
  const frontDesk = await member(t, admin.organizationId, 'FRONT_DESK');
  return { organizationId: admin.organizationId, admin: { userId: admin.userId, token: admin.token }, clinicId, practitionerId, therapist, frontDesk };
}

export async function newClient(t: TestApi, token: string, input: Record<string, unknown> = {}): Promise<string> {
  const res = await t.gql(CREATE_CLIENT, { input: { firstName: 'Client', lastName: `Number${++n}`, ...input } }, token);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.createClient.id;
}

/** Records an intake as the practice's therapist and returns its id. */
export async function intakeFor(t: TestApi, p: Practice, clientId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput(overrides) } }, p.therapist.token);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.recordIntake.id;
}

/** A new client with an ACTIVE plan from the given intake. */
export async function activePlan(t: TestApi, p: Practice, overrides: Record<string, unknown> = {}): Promise<{ clientId: string; planId: string; intakeId: string }> {
  const clientId = await newClient(t, p.therapist.token);
  const intakeId = await intakeFor(t, p, clientId, overrides);
  const proposed = await t.gql(PROPOSE, { intakeId }, p.therapist.token);
  if (!proposed.data) throw new Error(JSON.stringify(proposed.errors));
  const planId = proposed.data.proposePlan.id;
  const accepted = await t.gql(ACCEPT, { planId }, p.therapist.token);
  if (!accepted.data) throw new Error(JSON.stringify(accepted.errors));
  return { clientId, planId, intakeId };
}

let slot = 0;
/** Marks `count` past sessions of the plan as given (appointments are the scheduling module's; inserted directly here). */
export async function completeSessions(t: TestApi, p: Practice, plan: { clientId: string; planId: string }, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const start = new Date(Date.UTC(2025, 0, 1) + ++slot * 2 * 3600_000);
    await t.tdb.dataSource.query(
      `INSERT INTO appointment (organization_id, clinic_id, practitioner_id, client_id, plan_id, starts_at, ends_at, status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'COMPLETED', $8)`,
      [p.organizationId, p.clinicId, p.practitionerId, plan.clientId, plan.planId, start, new Date(start.getTime() + 3600_000), p.admin.userId],
    );
  }
}

export async function count(t: TestApi, table: string): Promise<number> {
  const rows = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

/** Audit events of `action` (on `recordId`: naming it, or a read of several records including it). */
export async function audits(t: TestApi, action: string, recordId?: string): Promise<number> {
  const rows = await t.tdb.dataSource.query(
    `SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND ($2::uuid IS NULL OR record_id = $2::uuid OR record_ids @> ARRAY[$2::uuid])`,
    [action, recordId ?? null],
  );
  return rows[0].n;
}
