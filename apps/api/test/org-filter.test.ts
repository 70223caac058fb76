import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Invitation } from '@fascia/db';
import { signInvitationToken, signLinkToken } from '@fascia/jobs';
import { DateTime } from 'luxon';
import { type DocumentNode, type OperationDefinitionNode, type TypeNode, print } from 'graphql';
import { type DbFunction, describeViolations, FUNCTIONS_SQL, functionsReached, functionViolations, loadOrgFilterParser, orgFilterViolations, TENANT_TABLES_SQL, unexcused, type OrgFilterViolation } from '../../../packages/db/src/testing/org-filter';
import { DEMO_ADMIN, DEMO_STAFF, DEMO_THERAPIST, seedDemo } from '../src/seed';
import { ORG_FILTER_EXCEPTIONS } from './org-filter.exceptions';
import { SIGN_IN, startTestApi, TEST_SECRET, type TestApi } from './harness';
import { ACCEPT, PROPOSE, RECORD_INTAKE, intakeInput, newClient, practice, type Practice } from './intake-plan.fixtures';
import { ACCEPT as ACCEPT_REFERRAL, CREATE as CREATE_REFERRAL, GET as GET_REFERRAL, SEND as SEND_REFERRAL, SHARED, network, referralInput, signedNote } from './referrals.fixtures';

/**
 * Issue 16 §1: every statement the API sends to a tenant table names its organization
 * (`organization_id = …` on that table's alias; tenant tables joined on equal
 * `organization_id`s), as a database distributed by organization needs to route it to one
 * shard. Captured from real work — every query the admin app sends (its generated documents),
 * with variables drawn from the demo seed, as each role that uses it, and the clinical flow's
 * and the referral flow's mutations — and each statement parsed with PostgreSQL's parser.
 * Exceptions are listed, with their reasons, in org-filter.exceptions.ts.
 */

const BOOK_SERIES = `mutation B($input: BookPlanSeriesInput!) { bookPlanSeries(input: $input) { appointments { id } } }`;
const START_NOTE = `mutation S($id: ID!, $checkin: SessionCheckInInput!) { startSessionNote(appointmentId: $id, checkin: $checkin) { id } }`;
const UPDATE_NOTE = `mutation U($id: ID!, $input: UpdateSessionNoteInput!) { updateSessionNote(id: $id, input: $input) { id } }`;
const SIGN_NOTE = `mutation G($id: ID!) { signSessionNote(id: $id) { id signed } }`;
const ADDENDUM = `mutation D($id: ID!, $body: String!) { addAddendum(noteId: $id, body: $body) { id } }`;
const RECORD_REASSESSMENT = `mutation R($input: RecordReassessmentInput!) { recordReassessment(input: $input) { id decision } }`;
const ACCEPT_REASSESSMENT = `mutation A($id: ID!) { acceptReassessment(id: $id) { id status } }`;
const RESCHEDULE = `mutation R($id: ID!, $input: RescheduleAppointmentInput!) { rescheduleAppointment(id: $id, input: $input) { id } }`;
const CANCEL = `mutation C($id: ID!, $reason: String!) { cancelAppointment(id: $id, reason: $reason) { appointment { id status } } }`;
const CHECK_IN = `mutation K($id: ID!) { checkIn(id: $id) { id status } }`;

/**
 * The queries of the admin app: its generated documents (apps/admin/src/gql/graphql.ts, by
 * `npm run codegen -w @fascia/admin`), each with its fragments. Read as the file's text (the
 * admin app is an ES module; this test is CommonJS): each document is one JSON literal.
 */
const queries = (): { op: OperationDefinitionNode; text: string }[] => {
  const source = readFileSync(join(__dirname, '..', '..', 'admin', 'src', 'gql', 'graphql.ts'), 'utf8');
  const docs = [...source.matchAll(/^export const \w+Document = (\{"kind":"Document".*\}) as unknown as DocumentNode</gm)].map((m) => JSON.parse(m[1]) as DocumentNode);
  return docs
    .map((doc) => ({ doc, op: doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition') }))
    .filter((d): d is { doc: DocumentNode; op: OperationDefinitionNode } => d.op?.operation === 'query')
    .map(({ doc, op }) => ({ op, text: print(doc) }));
};

const named = (t: TypeNode): string => (t.kind === 'NamedType' ? t.name.value : named(t.type));

describe('every statement the API sends names its organization (issue 16 §1)', () => {
  let t: TestApi;
  let tenantTables: Set<string>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const ran: { operation: string; as: string; errors: string | null }[] = [];

  const signIn = async (email: string, password: string): Promise<string> => {
    const res = await t.gql(SIGN_IN, { input: { email, password } });
    if (!res.data) throw new Error(`sign-in of ${email}: ${JSON.stringify(res.errors)}`);
    return res.data.signIn.accessToken;
  };
  const one = async (sql: string, params: unknown[] = []): Promise<string> => ((await t.tdb.dataSource.query(sql, params)) as { id: string }[])[0]?.id;

  beforeAll(async () => {
    await loadOrgFilterParser();
    t = await startTestApi();
    const { organizationId } = await seedDemo(t.tdb.dataSource);
    tenantTables = new Set(((await t.tdb.dataSource.query(TENANT_TABLES_SQL)) as { name: string }[]).map((r) => r.name));
    tokens.admin = await signIn(DEMO_ADMIN.email, DEMO_ADMIN.password);
    tokens.manager = await signIn(DEMO_STAFF.manager, DEMO_ADMIN.password);
    tokens.frontDesk = await signIn(DEMO_STAFF.frontDesk, DEMO_ADMIN.password);
    tokens.therapist = await signIn(DEMO_THERAPIST.email, DEMO_THERAPIST.password);
    const org = [organizationId];
    ids.clinic = await one(`SELECT id FROM clinic WHERE organization_id = $1 ORDER BY name`, org);
    ids.client = await one(`SELECT c.id FROM client c WHERE c.organization_id = $1 AND EXISTS (SELECT 1 FROM treatment_plan p WHERE p.client_id = c.id) ORDER BY c.last_name`, org);
    ids.plan = await one(`SELECT id FROM treatment_plan WHERE organization_id = $1 AND client_id = $2`, [organizationId, ids.client]);
    ids.appointment = await one(`SELECT id FROM appointment WHERE organization_id = $1 AND client_id = $2 ORDER BY starts_at`, [organizationId, ids.client]);
    ids.practitioner = await one(`SELECT id FROM practitioner WHERE organization_id = $1 AND user_id IS NOT NULL`, org);
    ids.reassessment = await one(`SELECT id FROM reassessment WHERE organization_id = $1 ORDER BY decision IN ('REFER', 'STOP_AND_REFER') DESC, id`, org);
    ids.referral = await one(`SELECT id FROM referral WHERE organization_id = $1`, org);
    ids.inbox = await one(`SELECT id FROM referral_inbox WHERE organization_id = $1`, org);
    const hook = await t.gql(
      `mutation C($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { url: 'https://93.184.215.14/hooks/fascia', events: ['appointment.*'] } },
      tokens.admin,
    );
    if (!hook.data) throw new Error(JSON.stringify(hook.errors));
    ids.webhook = hook.data.createWebhookEndpoint.endpoint.id;
    t.tdb.appQueries.length = 0;
  });
  afterAll(() => t?.stop());

  /** Variables a person using the page would send, from the demo's rows. */
  const variablesFor = (op: OperationDefinitionNode): Record<string, unknown> => {
    const today = DateTime.now().toISODate()!;
    const scope = { from: DateTime.now().minus({ months: 3 }).toISODate(), to: today, groupBy: 'CLINIC' };
    const idFor: Record<string, string> = {
      CalendarClinic: ids.clinic,
      Clinic: ids.clinic,
      ClientPage: ids.client,
      IntakeClient: ids.client,
      PlanClient: ids.client,
      ReassessmentClient: ids.client,
      ReferClient: ids.client,
      PlanPage: ids.plan,
      PractitionerHours: ids.practitioner,
      Referral: ids.referral,
      ReferralThread: ids.referral,
      SessionAppointment: ids.appointment,
    };
    const byName: Record<string, unknown> = {
      first: 20,
      search: 'a',
      clinicId: ids.clinic,
      clientId: ids.client,
      planId: ids.plan,
      practitionerId: ids.practitioner,
      reassessmentId: ids.reassessment,
      referralId: ids.inbox,
      endpointId: ids.webhook,
      from: today,
      days: 7,
      when: 'PAST',
      scope,
      input: { channel: 'EMAIL', kind: 'APPOINTMENT' },
      id: idFor[op.name?.value ?? ''],
    };
    const vars: Record<string, unknown> = {};
    for (const v of op.variableDefinitions ?? []) {
      const name = v.variable.name.value;
      if (name in byName && byName[name] !== undefined) vars[name] = byName[name];
      else if (v.type.kind === 'NonNullType') throw new Error(`${op.name?.value}: no value for required $${name}: ${named(v.type)}`);
    }
    return vars;
  };

  /** Who opens the page: the therapist's own pages as the therapist, the rest as the admin and the manager (clinic-scoped reads differ). */
  const rolesFor = (name: string): string[] => (/^(MyDay|PractitionerFeed|SessionAppointment|ClientChartPage)$/.test(name) ? ['therapist', 'admin'] : /Report$|^(Dashboard|Clients|ClinicCalendar)$/.test(name) ? ['admin', 'manager', 'frontDesk'] : ['admin']);

  it('runs every query of the admin app on the demo seed', async () => {
    const ops = queries();
    expect(ops.length).toBeGreaterThan(50);
    for (const { op, text } of ops) {
      for (const as of rolesFor(op.name!.value)) {
        const res = await t.gql(text, variablesFor(op), tokens[as]);
        ran.push({ operation: op.name!.value, as, errors: res.errors ? res.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ') : null });
      }
    }
    // Every page's query works for the admin: a failing one would send less SQL than the page does.
    // Only the assigned practitioner (or the receiving clinic's manager) reads a referral's shared
    // records: the referral flow below reads them as the physiotherapist.
    const failed = ran.filter((r) => r.as === 'admin' && r.errors && !(r.operation === 'ReferralSharedRecords' && r.errors.startsWith('FORBIDDEN')));
    expect(failed).toEqual([]);
    console.info(`[org-filter] ${ops.length} admin queries, ${ran.length} requests, ${ran.filter((r) => r.errors).length} refused (a role without access)`);
  });

  it('runs the clinical flow and the referral flow', async () => {
    const p: Practice = await practice(t, 'Orgfilter Flow');
    const avail = await t.gql(
      `mutation A($id: ID!, $w: [AvailabilityInput!]!) { setPractitionerAvailability(practitionerId: $id, windows: $w) { id } }`,
      { id: p.practitionerId, w: [1, 2, 3, 4, 5].map((weekday) => ({ clinicId: p.clinicId, weekday, start: '09:00', end: '17:00' })) },
      p.admin.token,
    );
    expect(avail.errors).toBeUndefined();
    const clientId = await newClient(t, p.frontDesk.token, { email: 'rosa@example.org', preferredChannels: ['EMAIL'], reminderConsent: true, clinicIds: [p.clinicId] });
    const intake = await t.gql(RECORD_INTAKE, { input: { clientId, clinicId: p.clinicId, intake: intakeInput() } }, p.therapist.token);
    expect(intake.errors).toBeUndefined();
    const proposed = await t.gql(PROPOSE, { intakeId: intake.data?.recordIntake.id }, p.therapist.token);
    const planId = proposed.data?.proposePlan.id;
    expect((await t.gql(ACCEPT, { planId, reason: 'Agreed' }, p.therapist.token)).errors).toBeUndefined();
    const monday = DateTime.now().setZone('Europe/London').plus({ weeks: 1 }).startOf('week').toISODate();
    const series = await t.gql(BOOK_SERIES, { input: { planId, clinicId: p.clinicId, practitionerId: p.practitionerId, startFrom: monday } }, p.frontDesk.token);
    expect(series.errors).toBeUndefined();
    const sessions: { id: string }[] = series.data?.bookPlanSeries.appointments;
    const moved = await t.gql(RESCHEDULE, { id: sessions[sessions.length - 1].id, input: { startsAt: DateTime.fromISO(`${monday}T16:00`).plus({ weeks: 12 }).toFormat("yyyy-MM-dd'T'HH:mm") } }, p.frontDesk.token);
    ran.push({ operation: 'rescheduleAppointment', as: 'frontDesk', errors: moved.errors ? JSON.stringify(moved.errors) : null });
    const cancelled = await t.gql(CANCEL, { id: sessions[sessions.length - 2].id, reason: 'Client away' }, p.frontDesk.token);
    ran.push({ operation: 'cancelAppointment', as: 'frontDesk', errors: cancelled.errors ? JSON.stringify(cancelled.errors) : null });
    // The weeks go by (the one step not done through the API).
    await t.tdb.dataSource.query(`UPDATE appointment SET starts_at = starts_at - interval '280 days', ends_at = ends_at - interval '280 days' WHERE plan_id = $1`, [planId]);
    await t.tdb.dataSource.query(`UPDATE intake SET created_at = created_at - interval '280 days' WHERE client_id = $1`, [clientId]);
    const checkedIn = await t.gql(CHECK_IN, { id: sessions[0].id }, p.frontDesk.token);
    ran.push({ operation: 'checkInAppointment', as: 'frontDesk', errors: checkedIn.errors ? JSON.stringify(checkedIn.errors) : null });
    let lastNote = '';
    for (const [i, s] of sessions.slice(0, 4).entries()) {
      const started = await t.gql(START_NOTE, { id: s.id, checkin: { painNow: 6 - i, painAreas: ['lower-back'], pressureToday: 'FIRM' } }, p.therapist.token);
      expect(started.errors).toBeUndefined();
      lastNote = started.data?.startSessionNote.id;
      const updated = await t.gql(
        UPDATE_NOTE,
        { id: lastNote, input: { techniques: [{ technique: 'MYOFASCIAL_RELEASE', pressure: 'FIRM', areas: ['lower-back'], minutes: 30 }], durationMinutes: 60, painAfter: 4 - i > 0 ? 4 - i : 1, soap: { subjective: 'Sore', objective: 'Tight', assessment: 'Improving', plan: 'Continue' }, homeCare: [{ kind: 'stretch', description: 'Knee-to-chest', daysPerWeek: 5 }] } },
        p.therapist.token,
      );
      expect(updated.errors).toBeUndefined();
      expect((await t.gql(SIGN_NOTE, { id: lastNote }, p.therapist.token)).errors).toBeUndefined();
    }
    const addendum = await t.gql(ADDENDUM, { id: lastNote, body: 'Client called: easier' }, p.therapist.token);
    ran.push({ operation: 'addSessionAddendum', as: 'therapist', errors: addendum.errors ? JSON.stringify(addendum.errors) : null });
    const r = await t.gql(RECORD_REASSESSMENT, { input: { planId, measures: { pain: [{ complaintId: 'lb', score: 3 }], psfs: [{ activity: 'gardening', score: 7 }], odi: 18 } } }, p.therapist.token);
    expect(r.errors).toBeUndefined();
    expect((await t.gql(ACCEPT_REASSESSMENT, { id: r.data?.recordReassessment.id }, p.therapist.token)).errors).toBeUndefined();

    // A referral from one organization to a partner, accepted on the other side.
    const n = await network(t, 'Orgfilter Referral');
    await signedNote(t, n);
    const created = await t.gql(CREATE_REFERRAL, { input: referralInput(n, { sharedRecords: ['INTAKE_SUMMARY', 'CURRENT_PLAN', 'SIGNED_NOTES'] }) }, n.a.therapist.token);
    expect(created.errors).toBeUndefined();
    const referralId = created.data?.createReferral.id;
    expect((await t.gql(SEND_REFERRAL, { id: referralId }, n.a.therapist.token)).errors).toBeUndefined();
    expect((await t.gql(GET_REFERRAL, { id: referralId }, n.physio.token)).errors).toBeUndefined();
    expect((await t.gql(SHARED, { id: referralId }, n.physio.token)).errors).toBeUndefined();
    const accepted = await t.gql(ACCEPT_REFERRAL, { input: { id: referralId } }, n.physio.token);
    ran.push({ operation: 'acceptReferral', as: 'physio', errors: accepted.errors ? JSON.stringify(accepted.errors) : null });
    expect(ran.filter((x) => x.errors && !/^(admin|manager|frontDesk|therapist)$/.test(x.as))).toEqual([]);
  });

  it('runs the doors opened by a token: an invitation accepted, an appointment confirmed and cancelled from its reminder links, a calendar feed read', async () => {
    const invited = await t.gql(`mutation I($input: InviteStaffInput!) { inviteStaff(input: $input) { id } }`, { input: { email: 'new.hire@orgfilter.example', displayName: 'New Hire', role: 'FRONT_DESK', clinicIds: [ids.clinic] } }, tokens.admin);
    expect(invited.errors).toBeUndefined();
    const inv = await t.tdb.dataSource.getRepository(Invitation).findOneByOrFail({ id: invited.data?.inviteStaff.id });
    const accepted = await t.gql(`mutation A($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }`, {
      input: { token: signInvitationToken(inv.id, inv.expiresAt, TEST_SECRET), password: 'a long enough password' },
    });
    expect(accepted.errors).toBeUndefined();

    const [a, b] = (await t.tdb.dataSource.query(`SELECT id, starts_at FROM appointment WHERE status = 'BOOKED' AND starts_at > now() + interval '2 days' ORDER BY starts_at LIMIT 2`)) as { id: string; starts_at: Date }[];
    const confirmed = await t.gql(`mutation C($token: String!) { confirmAppointmentByLink(token: $token) { status } }`, { token: signLinkToken('appointment-confirm', a.id, new Date(a.starts_at), TEST_SECRET) });
    expect(confirmed.errors).toBeUndefined();
    const cancelled = await t.gql(`mutation X($token: String!) { cancelAppointmentByLink(token: $token) { status } }`, { token: signLinkToken('appointment-cancel', b.id, new Date(b.starts_at), TEST_SECRET) });
    expect(cancelled.errors).toBeUndefined();

    const rotated = await t.gql(`mutation R($p: ID!) { rotatePractitionerFeed(practitionerId: $p, includeClientNames: false) { path } }`, { p: ids.practitioner }, tokens.admin);
    expect(rotated.errors).toBeUndefined();
    const feed = await fetch(`${t.url}${rotated.data?.rotatePractitionerFeed.path}`);
    expect(feed.status).toBe(200);
    await feed.text();
  });

  it('names the organization in every statement it sent, and in the functions they run, save the listed exceptions', async () => {
    const statements = [...new Set(t.tdb.appQueries)];
    expect(statements.length).toBeGreaterThan(100);
    const functions = functionsReached(statements, (await t.tdb.dataSource.query(FUNCTIONS_SQL)) as DbFunction[], { triggers: true });
    console.info(`[org-filter] functions run on the server for these statements: ${functions.map((f) => f.name).join(', ')}`);
    const found: OrgFilterViolation[] = [...statements.flatMap((sql) => orgFilterViolations(sql, tenantTables)), ...functionViolations(functions, tenantTables)];
    const reading = statements.filter((sql) => /\b(FROM|JOIN|UPDATE)\b/i.test(sql) && [...tenantTables].some((tbl) => new RegExp(`\\b${tbl}\\b`).test(sql)));
    console.info(`[org-filter] ${statements.length} distinct statements, ${reading.length} on tenant tables, ${found.length} findings before exceptions`);
    const left = unexcused(found, ORG_FILTER_EXCEPTIONS);
    if (left.length) throw new Error(`${new Set(left.map((v) => v.sql)).size} statement(s) read a tenant table without naming the organization:\n\n${describeViolations(left)}`);
    // Every exception is still needed: one that matches nothing is stale and goes.
    const used = new Set(found.flatMap((v) => ORG_FILTER_EXCEPTIONS.filter((e) => e.table === v.table && e.statement.test(v.sql))));
    expect(ORG_FILTER_EXCEPTIONS.filter((e) => e.app === 'api' && !used.has(e)).map((e) => e.reason)).toEqual([]);
  });
});
