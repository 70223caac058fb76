import fc from 'fast-check';
import { Db, drainReportMarks } from '@fascia/db';
import { type BaselineScope, baselineReport } from '@fascia/db/testing';
import { type BuiltReportName, type Grouping, REPORTS, previousPeriod } from '@fascia/reporting';
import { edgeDays, PLAN_EDGE_SHARE, reportStatement } from '../src/modules/report/report.service';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';
import { activePlan, member, newClient, practice, type Practice } from './intake-plan.fixtures';
import { ACCEPT, CREATE, DECLINE, SEND, network, referralInput, type Network } from './referrals.fixtures';

/**
 * Issue 14's reports: after random bookings, reschedules, cancellations, no-shows, signed notes,
 * re-assessments, plan moves and referrals between two organizations (sent, accepted, declined:
 * the receiver's rows written through the exchange door), and the worker's drain, every report equals the same metric
 * computed from the raw tables (packages/db/src/testing/report-baseline.ts). Also: scope, bad
 * input, a constant statement count, and the CSV export matching GraphQL.
 */
const REPORT_FIELDS = `name title headline note columns { key label kind } rows { key label values } total { key values } previousTotal { values }
  freshness { computedAt pendingChanges oldestPendingAt }`;
const FIELD: Record<string, string> = {
  utilisation: 'utilisationReport',
  attendance: 'attendanceReport',
  clients: 'clientsReport',
  'plan-sessions': 'planSessionsReport',
  outcomes: 'outcomesReport',
  'outcome-distribution': 'outcomeDistributionReport',
  'reassessment-timeliness': 'reassessmentTimelinessReport',
  retention: 'retentionReport',
  'referral-flow': 'referralFlowReport',
};
const query = (name: string) => `query R($scope: ReportScope!) { report: ${FIELD[name]}(scope: $scope) { ${REPORT_FIELDS} } }`;

interface ApiReport {
  rows: { key: string; label: string; values: (number | null)[] }[];
  total: { values: (number | null)[] };
  previousTotal: { values: (number | null)[] };
  freshness: { pendingChanges: number; computedAt: string | null };
  note: string | null;
  columns: { label: string }[];
}

const close = (a: number | null, b: number | null): boolean => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-9);
const nonZero = (values: (number | null)[]): boolean => values.some((v) => v !== null && v !== 0);
const isoDay = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** The first and the last day of the month of a day. */
const firstOfMonth = (day: string): string => `${day.slice(0, 7)}-01`;
const lastOfMonth = (day: string): string => {
  const d = new Date(`${firstOfMonth(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return new Date(d.getTime() - 86_400_000).toISOString().slice(0, 10);
};

/**
 * Plan starts a random change moves a plan to (with its clinic: London or New York): month edges
 * where the two zones' local days fall in different months, and the DST changes of 2026 (London:
 * 29 March and 25 October; New York: 8 March and 1 November). Null: now.
 */
const PLAN_STARTS = [
  null,
  '2026-03-01T03:30:00Z', // London 1 March, New York 28 February
  '2026-03-29T00:30:00Z', // London's DST day (29 March), New York 28 March
  '2026-04-01T00:30:00Z', // London 1 April (BST), New York 31 March
  '2026-10-31T23:30:00Z', // London 31 October (GMT again), New York 31 October
  '2026-11-01T03:30:00Z', // London 1 November, New York 31 October (EDT until 06:00 UTC)
  '2026-11-30T23:30:00Z', // London 30 November, New York 30 November
] as const;
/**
 * Ranges the month roll-ups serve (docs/reports.md "Month roll-ups"): whole months with a previous
 * period of whole months (March–April 2026: the previous is 30 Dec – 28 Feb, two whole months and
 * two edge days; October–November: the previous is August–September), edge days on both sides, a
 * single day, a year of whole months; and around today: the months the random bookings fall in,
 * whole, and with edges.
 */
const MONTH_RANGES = (): { from: string; to: string }[] => [
  { from: '2026-03-01', to: '2026-04-30' },
  { from: '2026-10-01', to: '2026-11-30' },
  { from: '2026-02-20', to: '2026-04-10' },
  { from: '2026-10-31', to: '2026-11-01' },
  { from: '2026-01-01', to: '2026-12-31' },
  { from: firstOfMonth(isoDay(-14)), to: lastOfMonth(isoDay(14)) },
  { from: isoDay(-20), to: isoDay(45) },
];
const CONDITIONS = ['test-neck', 'test-shoulder'];

describe('reports', () => {
  let t: TestApi;
  let p: Practice;
  let db: Db;
  let newYork: string;
  let clinics: string[];
  let practitioners: string[];
  let clients: string[];
  let plans: { planId: string; clientId: string }[];
  const appointments: { id: string; clinicId: string }[] = [];
  let manager: { userId: string; token: string };
  /** Two partner organizations: A's therapist refers to B's physiotherapist, who accepts or declines. */
  let n: Network;
  const referrals: string[] = [];

  beforeAll(async () => {
    t = await startTestApi();
    db = new Db(t.tdb.dataSource);
    p = await practice(t, 'Report Chain');
    newYork = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'New York', timeZone: 'America/New_York', country: 'US', city: 'New York', postalCode: '10001' }) }, p.admin.token)).data
      ?.createClinic.id;
    const second = await t.gql(`mutation { createPractitioner(input: { displayName: "Physio Two", discipline: PHYSIOTHERAPIST, modalities: [SWEDISH] }) { id } }`, {}, p.admin.token);
    clinics = [p.clinicId, newYork];
    practitioners = [p.practitionerId, second.data?.createPractitioner.id];
    // Weekly hours: every weekday 09:00–17:00 at the first clinic, 12:00–18:00 at New York (no overlap for one person).
    for (const w of [1, 2, 3, 4, 5, 6, 7]) {
      await t.tdb.dataSource.query(
        `INSERT INTO practitioner_availability (organization_id, practitioner_id, clinic_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4, 540, 1020), ($1, $5, $6, $4, 720, 1080)`,
        [p.organizationId, practitioners[0], clinics[0], w, practitioners[1], clinics[1]],
      );
    }
    plans = [];
    for (let i = 0; i < 5; i++) plans.push(await activePlan(t, p));
    clients = [...plans.map((x) => x.clientId), await newClient(t, p.admin.token), await newClient(t, p.admin.token)];
    manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [newYork]);
    n = await network(t, 'Report Flow');
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  // ------------------------------------------------------------------ random changes
  type Cmd =
    | { kind: 'book'; client: number; clinic: number; day: number; slot: number; length: number; plan: boolean }
    | { kind: 'reschedule'; appt: number; day: number; slot: number }
    | { kind: 'status'; appt: number; status: 'CANCELLED' | 'LATE_CANCELLED' | 'NO_SHOW' | 'COMPLETED' | 'CHECKED_IN' }
    | { kind: 'note'; appt: number; pain: number }
    | { kind: 'reassess'; plan: number; pain: number; met: boolean; days: number }
    | { kind: 'plan-status'; plan: number; status: 'ACTIVE' | 'MAINTENANCE' | 'COMPLETED' }
    | { kind: 'plan-move'; plan: number; clinic: number; start: number }
    | { kind: 'plan-condition'; plan: number; condition: number }
    | { kind: 'refer'; pool: boolean }
    | { kind: 'answer'; referral: number; accept: boolean };

  const cmd: fc.Arbitrary<Cmd> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('book' as const), client: fc.nat(6), clinic: fc.nat(1), day: fc.integer({ min: -14, max: 14 }), slot: fc.nat(12), length: fc.integer({ min: 1, max: 3 }), plan: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reschedule' as const), appt: fc.nat(40), day: fc.integer({ min: -14, max: 14 }), slot: fc.nat(12) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('status' as const), appt: fc.nat(40), status: fc.constantFrom('CANCELLED' as const, 'LATE_CANCELLED' as const, 'NO_SHOW' as const, 'COMPLETED' as const, 'CHECKED_IN' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('note' as const), appt: fc.nat(40), pain: fc.integer({ min: 0, max: 10 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reassess' as const), plan: fc.nat(2), pain: fc.integer({ min: 0, max: 10 }), met: fc.boolean(), days: fc.integer({ min: 1, max: 70 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('plan-status' as const), plan: fc.nat(2), status: fc.constantFrom('ACTIVE' as const, 'MAINTENANCE' as const, 'COMPLETED' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('plan-move' as const), plan: fc.nat(4), clinic: fc.nat(1), start: fc.nat(PLAN_STARTS.length - 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('plan-condition' as const), plan: fc.nat(4), condition: fc.nat(CONDITIONS.length - 1) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('refer' as const), pool: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('answer' as const), referral: fc.nat(20), accept: fc.boolean() }) },
  );

  const sql = (text: string, params: unknown[]) => t.tdb.dataSource.query(text, params);
  /** A booking's start: clinic-local 09:00 (the first clinic) or 12:00 (New York) plus half-hour slots. */
  const startSql = `(((now() AT TIME ZONE c.time_zone)::date + $1::int)::timestamp + make_interval(mins => $2::int)) AT TIME ZONE c.time_zone`;

  /** Through the API: the receiver's inbox row is inserted (send) and the referrer's row updated (answer) through the exchange door. */
  async function applyReferral(c: Extract<Cmd, { kind: 'refer' | 'answer' }>): Promise<void> {
    if (c.kind === 'refer') {
      const created = await t.gql(CREATE, { input: referralInput(n, c.pool ? { targetPractitionerId: null } : {}) }, n.a.therapist.token);
      if (created.errors) throw new Error(JSON.stringify(created.errors));
      const id: string = created.data?.createReferral.id;
      const sent = await t.gql(SEND, { id }, n.a.therapist.token);
      if (sent.errors) throw new Error(JSON.stringify(sent.errors));
      referrals.push(id);
      return;
    }
    const id = referrals[c.referral % Math.max(1, referrals.length)];
    if (!id) return;
    const [row] = await sql(`SELECT status, practitioner_id FROM referral_inbox WHERE id = $1`, [id]);
    if (row.status !== 'SENT') return;
    // A named referral is answered by the physiotherapist, a pool's by the receiving clinic's manager.
    const token = row.practitioner_id ? n.physio.token : n.manager.token;
    const res = c.accept
      ? await t.gql(ACCEPT, { input: { id, note: 'Happy to see them' } }, token)
      : await t.gql(DECLINE, { input: { id, reason: 'No capacity this month' } }, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }

  async function apply(c: Cmd): Promise<void> {
    if (c.kind === 'refer' || c.kind === 'answer') return applyReferral(c);
    try {
      if (c.kind === 'book') {
        const clinicId = clinics[c.clinic];
        const plan = c.plan && c.client < plans.length && c.clinic === 0 ? plans[c.client].planId : null;
        const [row] = await sql(
          `INSERT INTO appointment (organization_id, clinic_id, practitioner_id, client_id, plan_id, starts_at, ends_at, created_by)
           SELECT $3, c.id, $4, $5, $6, ${startSql}, ${startSql} + make_interval(mins => 30 * $7::int), $8 FROM clinic c WHERE c.id = $9 RETURNING id`,
          [c.day, (c.clinic === 0 ? 540 : 720) + 30 * c.slot, p.organizationId, practitioners[c.clinic], clients[c.client], plan, c.length, p.admin.userId, clinicId],
        );
        appointments.push({ id: row.id, clinicId });
      } else if (c.kind === 'reschedule') {
        const a = appointments[c.appt % Math.max(1, appointments.length)];
        if (!a) return;
        await t.tdb.dataSource.transaction(async (em) => {
          const [old] = await em.query(`SELECT * FROM appointment WHERE id = $1 AND status IN ('BOOKED','CHECKED_IN') FOR UPDATE`, [a.id]);
          if (!old) return;
          await em.query(`UPDATE appointment SET status = 'CANCELLED' WHERE id = $1`, [a.id]);
          const [row] = await em.query(
            `INSERT INTO appointment (organization_id, clinic_id, practitioner_id, client_id, plan_id, starts_at, ends_at, created_by, rescheduled_from)
             SELECT $3, c.id, $4, $5, $6, ${startSql}, ${startSql} + ($7::timestamptz - $8::timestamptz), $9, $10 FROM clinic c WHERE c.id = $11 RETURNING id`,
            [c.day, (old.clinic_id === clinics[0] ? 540 : 720) + 30 * c.slot, p.organizationId, old.practitioner_id, old.client_id, old.plan_id, old.ends_at, old.starts_at, p.admin.userId, old.id, old.clinic_id],
          );
          appointments.push({ id: row.id, clinicId: old.clinic_id });
        });
      } else if (c.kind === 'status') {
        const a = appointments[c.appt % Math.max(1, appointments.length)];
        if (a) await sql(`UPDATE appointment SET status = $2, status_changed_at = now() WHERE id = $1 AND status IN ('BOOKED','CHECKED_IN')`, [a.id, c.status]);
      } else if (c.kind === 'note') {
        const a = appointments[c.appt % Math.max(1, appointments.length)];
        if (!a) return;
        await sql(
          `INSERT INTO session_note (organization_id, appointment_id, client_id, practitioner_id, plan_id, checkin, pain_after, signed_at, signed_by, created_by)
           SELECT organization_id, id, client_id, practitioner_id, plan_id, '{}', $2, clock_timestamp(), $3, $3 FROM appointment WHERE id = $1 AND status = 'COMPLETED'
           ON CONFLICT (organization_id, appointment_id) DO NOTHING`,
          [a.id, c.pain, p.admin.userId],
        );
      } else if (c.kind === 'reassess') {
        const plan = plans[c.plan];
        await sql(
          `INSERT INTO reassessment (organization_id, client_id, plan_id, plan_version, sessions_completed, measures, evaluation, proposal, decision, assessed_by, assessed_at)
           SELECT tp.organization_id, tp.client_id, tp.id, tp.current_version, 0, $2::jsonb, $3::jsonb, '{}', 'CONTINUE', $4,
                  greatest(clock_timestamp(), (SELECT max(assessed_at) FROM reassessment r WHERE r.plan_id = tp.id)) + make_interval(days => $5::int)
           FROM treatment_plan tp WHERE tp.id = $1`,
          [plan.planId, JSON.stringify({ pain: [{ complaintId: 'c1', score: c.pain }] }), JSON.stringify({ overall: c.met ? 'all-met' : 'improving' }), p.admin.userId, c.days],
        );
      } else if (c.kind === 'plan-move') {
        // A plan moved to another clinic (zone) and start: its month can change with either. (Naming status fires the plan's trigger.)
        await sql(`UPDATE treatment_plan SET clinic_id = $2, created_at = coalesce($3::timestamptz, now()), status = status WHERE id = $1`, [
          plans[c.plan].planId,
          clinics[c.clinic],
          PLAN_STARTS[c.start],
        ]);
      } else if (c.kind === 'plan-condition') {
        // A new version of the plan under another protocol: the plan changes condition.
        const planId = plans[c.plan].planId;
        await t.tdb.dataSource.transaction(async (em) => {
          await em.query(
            `INSERT INTO plan_version (organization_id, plan_id, version, body, change_kind, reason, changed_by)
             SELECT pv.organization_id, pv.plan_id, pv.version + 1, jsonb_set(pv.body, '{protocol}', coalesce(pv.body->'protocol', '{}') || jsonb_build_object('id', $2::text)), 'EDITED', 'Report test', $3
             FROM treatment_plan tp JOIN plan_version pv ON pv.plan_id = tp.id AND pv.version = tp.current_version WHERE tp.id = $1`,
            [planId, CONDITIONS[c.condition], p.admin.userId],
          );
          await em.query(`UPDATE treatment_plan SET current_version = current_version + 1 WHERE id = $1`, [planId]);
        });
      } else {
        await sql(`UPDATE treatment_plan SET status = $2 WHERE id = $1`, [plans[c.plan].planId, c.status]);
      }
    } catch (err) {
      // Overlapping bookings are refused by the exclusion constraints, as in production: nothing to count.
      if (!/no_overlap|conflicting key value violates exclusion constraint/.test(String((err as Error).message))) throw err;
    }
  }

  async function report(name: string, scope: Record<string, unknown>, token = p.admin.token): Promise<ApiReport> {
    const res = await t.gql(query(name), { scope }, token);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.report as ApiReport;
  }

  /** `apiClinicId` undefined: the scope's clinic (or the organization); null: none named (a clinic-limited manager's own clinics). */
  async function expectMatchesBaseline(name: BuiltReportName, scope: BaselineScope, token = p.admin.token, apiClinicId?: string | null): Promise<void> {
    const api = await report(name, { clinicId: apiClinicId === undefined ? (scope.clinicIds?.[0] ?? null) : apiClinicId, from: scope.from, to: scope.to, groupBy: scope.groupBy }, token);
    const raw = await baselineReport(t.tdb.dataSource, name, scope);
    const where = `${name} ${scope.groupBy} ${scope.clinicIds?.[0] ?? 'org'}`;
    expect({ where, total: api.total.values.every((v, i) => close(v, raw.total[i])) ? 'equal' : [api.total.values, raw.total] }).toEqual({ where, total: 'equal' });
    expect({ where, previous: api.previousTotal.values.every((v, i) => close(v, raw.previousTotal[i])) ? 'equal' : [api.previousTotal.values, raw.previousTotal] }).toEqual({ where, previous: 'equal' });
    const apiRows = new Map(api.rows.filter((r) => nonZero(r.values)).map((r) => [r.key, r.values]));
    const rawRows = new Map(raw.rows.filter((r) => nonZero(r.values)).map((r) => [r.key, r.values]));
    expect({ where, keys: [...apiRows.keys()].sort() }).toEqual({ where, keys: [...rawRows.keys()].sort() });
    for (const [key, values] of rawRows) {
      const got = apiRows.get(key) ?? [];
      expect({ where, key, values: values.every((v, i) => close(got[i] ?? null, v)) ? 'equal' : [got, values] }).toEqual({ where, key, values: 'equal' });
    }
    expect(api.freshness.pendingChanges).toBe(0);
  }

  /**
   * The organization-day roll-ups as the drain left them equal a full recompute from report_plan (every row, every
   * column, computed_at included): no (condition, day) was left behind when a plan moved clinic, day or condition.
   */
  async function expectOrgDaysEqualFullRecompute(): Promise<void> {
    const cols = `plans, sessions, expected_min, expected_max, within_range, below_range, above_range, pain_measured, pain_change::text AS pain_change,
                  reached_benchmark, on_time, late, missed, in_maintenance, booked_within_interval, computed_at`;
    const kept = await sql(`SELECT organization_id, condition, to_char(day, 'YYYY-MM-DD') AS day, ${cols} FROM report_plan_org_day ORDER BY 1, 2, 3`, []);
    const full = await sql(
      `SELECT organization_id, condition, to_char(day, 'YYYY-MM-DD') AS day, ${cols} FROM (
         SELECT organization_id, condition, day, count(*)::int AS plans, sum(sessions)::int AS sessions, sum(expected_min)::int AS expected_min,
                sum(expected_max)::int AS expected_max, sum(within_range)::int AS within_range, sum(below_range)::int AS below_range,
                sum(above_range)::int AS above_range, count(pain_change)::int AS pain_measured, coalesce(sum(pain_change), 0) AS pain_change,
                sum(reached_benchmark)::int AS reached_benchmark, sum(on_time)::int AS on_time, sum(late)::int AS late, sum(missed)::int AS missed,
                sum(in_maintenance)::int AS in_maintenance, sum(booked_within_interval)::int AS booked_within_interval, max(computed_at) AS computed_at
         FROM report_plan GROUP BY 1, 2, 3) f ORDER BY 1, 2, 3`,
      [],
    );
    expect(kept).toEqual(full);
    const keptPain = await sql(`SELECT organization_id, condition, to_char(day, 'YYYY-MM-DD') AS day, bucket, plans, reached_benchmark, computed_at FROM report_plan_org_day_pain ORDER BY 1, 2, 3, 4`, []);
    const fullPain = await sql(
      `SELECT organization_id, condition, to_char(day, 'YYYY-MM-DD') AS day, greatest(-10, least(10, floor(pain_change + 0.5)))::smallint AS bucket,
              count(*)::int AS plans, sum(reached_benchmark)::int AS reached_benchmark, max(computed_at) AS computed_at
       FROM report_plan WHERE pain_change IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      [],
    );
    expect(keptPain).toEqual(fullPain);
    expect(full.length).toBeGreaterThan(0);
  }

  it('after random changes and the drain, every report equals the raw-table computation', async () => {
    const groupings: Grouping[] = ['DAY', 'WEEK', 'MONTH', 'CLINIC', 'PRACTITIONER', 'DISCIPLINE', 'CONDITION'];
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 40 }), fc.constantFrom(...groupings), async (cmds, groupBy) => {
        for (const c of cmds) await apply(c);
        const pending = await report('attendance', { from: isoDay(-14), to: isoDay(0), groupBy: 'DAY' });
        const drained = await drainReportMarks(db, { batch: 50 });
        expect(drained.batches).toBeGreaterThan(0);
        if (process.env.R1_DEBUG) console.log(drained, await t.tdb.dataSource.query(`SELECT count(*), sum(available_minutes), min(day), max(day) FROM report_clinic_day`), await t.tdb.dataSource.query(`SELECT count(*) FROM report_dirty`));
        expect(pending.freshness.pendingChanges).toBeGreaterThanOrEqual(0);
        // The 15 days from today and the 15 before (the previous period): inside the window the hours triggers mark.
        const range = { from: isoDay(0), to: isoDay(14) };
        for (const name of Object.keys(REPORTS) as BuiltReportName[]) {
          for (const clinicIds of [null, [newYork]]) {
            await expectMatchesBaseline(name, { organizationId: p.organizationId, clinicIds, ...range, groupBy });
          }
        }
        // Referral flows on both sides (sent today: the range that holds today and its previous period).
        for (const side of [n.a, n.b]) {
          for (const clinicIds of [null, [side.clinicId]]) {
            await expectMatchesBaseline('referral-flow', { organizationId: side.organizationId, clinicIds, from: isoDay(-7), to: isoDay(7), groupBy }, side.admin.token);
          }
        }
        // Plans were started today: a range that holds today and the days before.
        for (const name of ['outcomes', 'plan-sessions', 'reassessment-timeliness', 'retention', 'outcome-distribution'] as BuiltReportName[]) {
          await expectMatchesBaseline(name, { organizationId: p.organizationId, clinicIds: null, from: isoDay(-7), to: isoDay(7), groupBy });
        }
        // The whole organization's last 365 days (the organization-day roll-ups: every grouping without clinic or practitioner),
        // in this run's grouping and by day and condition.
        for (const name of ['outcomes', 'plan-sessions', 'reassessment-timeliness', 'retention', 'outcome-distribution'] as BuiltReportName[]) {
          for (const g of new Set<Grouping>([groupBy, 'DAY', 'CONDITION'])) {
            await expectMatchesBaseline(name, { organizationId: p.organizationId, clinicIds: null, from: isoDay(-364), to: isoDay(0), groupBy: g });
          }
        }
        await expectOrgDaysEqualFullRecompute();
        // The month roll-ups' ranges (whole months, edge days, DST months; plans moved between zones and months): every report but
        // referral flows (not rolled up by month), for the organization, a clinic, and the clinic-limited manager naming none.
        for (const range of MONTH_RANGES()) {
          for (const name of Object.keys(REPORTS).filter((x) => x !== 'referral-flow') as BuiltReportName[]) {
            await expectMatchesBaseline(name, { organizationId: p.organizationId, clinicIds: null, ...range, groupBy });
            await expectMatchesBaseline(name, { organizationId: p.organizationId, clinicIds: [p.clinicId], ...range, groupBy });
            await expectMatchesBaseline(name, { organizationId: p.organizationId, clinicIds: [newYork], ...range, groupBy }, manager.token, null);
          }
        }
      }),
      { numRuns: 6 },
    );
    // Something was counted at all (the property is not vacuous).
    const total = await report('attendance', { from: isoDay(-14), to: isoDay(14), groupBy: 'MONTH' });
    expect(total.total.values[0]).toBeGreaterThan(0);
    const sentFlow = await report('referral-flow', { from: isoDay(-7), to: isoDay(7), groupBy: 'DISCIPLINE' }, n.a.admin.token);
    const receivedFlow = await report('referral-flow', { from: isoDay(-7), to: isoDay(7), groupBy: 'DISCIPLINE' }, n.b.admin.token);
    expect(sentFlow.total.values[0]).toBe(referrals.length);
    expect(receivedFlow.total.values[1]).toBe(referrals.length);
    expect(referrals.length).toBeGreaterThan(0);
  }, 600_000);

  it('the organization-day roll-ups follow completed sessions and pain by difference, and moves by recompute: equal to a full recompute', async () => {
    // Three plans on one (condition, day): today, at the first clinic, the first condition.
    for (const plan of [0, 1, 2]) {
      await apply({ kind: 'plan-move', plan, clinic: 0, start: 0 });
      await apply({ kind: 'plan-condition', plan, condition: 0 });
    }
    await drainReportMarks(db, { batch: 200 });
    await expectOrgDaysEqualFullRecompute();
    const sessionsToday = async (): Promise<number> =>
      (await sql(`SELECT coalesce(sum(sessions), 0)::int AS n FROM report_plan_org_day WHERE organization_id = $1 AND condition = $2`, [p.organizationId, CONDITIONS[0]]))[0].n as number;
    const before = await sessionsToday();
    // A completed session for two of them, one drain each (a plan replaced in place: the difference is added), then pain.
    let completed = 0;
    for (const client of [0, 1]) {
      for (let slot = 0; slot < 14; slot++) {
        const n0 = appointments.length;
        await apply({ kind: 'book', client, clinic: 0, day: -2 - client, slot, length: 1, plan: true });
        if (appointments.length === n0) continue; // the slot was taken
        await apply({ kind: 'status', appt: appointments.length - 1, status: 'COMPLETED' });
        completed += 1;
        await drainReportMarks(db, { batch: 200 });
        await expectOrgDaysEqualFullRecompute();
        await apply({ kind: 'note', appt: appointments.length - 1, pain: 2 + client });
        await drainReportMarks(db, { batch: 200 });
        await expectOrgDaysEqualFullRecompute();
        break;
      }
    }
    expect(completed).toBeGreaterThan(0);
    expect(await sessionsToday()).toBe(before + completed);
    // A plan moved to another day and condition: both keys recomputed.
    await apply({ kind: 'plan-move', plan: 1, clinic: 1, start: 3 });
    await apply({ kind: 'plan-condition', plan: 2, condition: 1 });
    await drainReportMarks(db, { batch: 200 });
    await expectOrgDaysEqualFullRecompute();
  });

  it('a referral sent and accepted across organizations marks both sides in its own transaction (the receiver\'s through the exchange door)', async () => {
    const marks = async (org: string, clinic: string): Promise<number> =>
      (await sql(`SELECT count(*)::int AS n FROM report_dirty WHERE organization_id = $1 AND clinic_id = $2 AND day IS NOT NULL`, [org, clinic]))[0].n as number;
    await drainReportMarks(db, { batch: 200 });
    expect(await marks(n.b.organizationId, n.b.clinicId)).toBe(0);
    await applyReferral({ kind: 'refer', pool: false });
    const id = referrals[referrals.length - 1];
    // Sending inserted B's inbox row as fascia_exchange: its trigger marked B's clinic-day; A's own row marked A's.
    expect(await marks(n.b.organizationId, n.b.clinicId)).toBeGreaterThan(0);
    expect(await marks(n.a.organizationId, n.a.clinicId)).toBeGreaterThan(0);
    await drainReportMarks(db, { batch: 200 });
    const accepted = await t.gql(ACCEPT, { input: { id, note: 'Yes' } }, n.physio.token);
    expect(accepted.errors).toBeUndefined();
    // Accepting updated A's referral row through the door: A's clinic-day is marked again.
    expect(await marks(n.a.organizationId, n.a.clinicId)).toBeGreaterThan(0);
    await drainReportMarks(db, { batch: 200 });
    const [{ discipline }] = await sql(`SELECT p.discipline FROM referral r JOIN practitioner p ON p.id = r.referring_practitioner_id WHERE r.id = $1`, [id]);
    const flow = await report('referral-flow', { from: isoDay(-1), to: isoDay(1), groupBy: 'DISCIPLINE' }, n.b.admin.token);
    const row = flow.rows.find((r) => r.key === `${discipline}→PHYSIOTHERAPIST`);
    expect(row?.label).toMatch(/ → Physiotherapist$/);
    expect(row?.values[2]).toBeGreaterThan(0);
    expect(flow.freshness.pendingChanges).toBe(0);
    expect(flow.note).toBeNull();
  });

  it("a clinic-limited manager's reports hold only their clinics; another clinic is FORBIDDEN", async () => {
    const mine = await report('attendance', { from: isoDay(-14), to: isoDay(14), groupBy: 'CLINIC' }, manager.token);
    expect(mine.rows.map((r) => r.key).every((k) => k === newYork)).toBe(true);
    const other = await t.gql(query('attendance'), { scope: { clinicId: p.clinicId, from: isoDay(-14), to: isoDay(14), groupBy: 'DAY' } }, manager.token);
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(other.errors?.[0].message).toMatch(/clinic/);
    const frontDesk = await t.gql(query('attendance'), { scope: { from: isoDay(-14), to: isoDay(14), groupBy: 'DAY' } }, p.frontDesk.token);
    expect(codeOf(frontDesk)).toBe('FORBIDDEN');
  });

  it('refuses bad dates and ranges, naming the field', async () => {
    for (const [scope, field] of [
      [{ from: '2026-13-01', to: '2026-12-31', groupBy: 'DAY' }, 'scope.from'],
      [{ from: '2026-03-01', to: 'tomorrow', groupBy: 'DAY' }, 'scope.to'],
      [{ from: '2026-03-31', to: '2026-03-01', groupBy: 'DAY' }, 'scope.to'],
      [{ from: '2020-01-01', to: '2026-01-01', groupBy: 'MONTH' }, 'scope.to'],
      [{ clinicId: 'nope', from: '2026-03-01', to: '2026-03-31', groupBy: 'DAY' }, 'scope.clinicId'],
    ] as const) {
      const res = await t.gql(query('utilisation'), { scope }, p.admin.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe(field);
    }
  });

  it('reads the same small number of statements whatever the range and grouping (no N+1)', async () => {
    const counts: number[] = [];
    for (const [name, scope] of [
      ['utilisation', { from: isoDay(0), to: isoDay(0), groupBy: 'DAY' }],
      ['utilisation', { from: isoDay(-300), to: isoDay(300), groupBy: 'DAY' }],
      ['attendance', { from: isoDay(-300), to: isoDay(300), groupBy: 'PRACTITIONER' }],
      ['outcomes', { from: isoDay(-300), to: isoDay(300), groupBy: 'CONDITION' }],
    ] as const) {
      t.tdb.queries.length = 0;
      await report(name, scope);
      counts.push(t.tdb.queries.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK|START|SAVEPOINT|RELEASE)/i.test(q.trim())).length);
    }
    expect(new Set(counts).size).toBe(1);
    // The session and membership check, the report's aggregate with its freshness, the audit event.
    expect(counts[0]).toBeLessThanOrEqual(4);
  });

  it('a report over whole months reads the month roll-ups only; edge days and finer groupings read the day and plan rows; the whole organization\'s plan reports read the organization-day roll-ups', async () => {
    /** Rows each roll-up table gave the statement as the API runs it (EXPLAIN ANALYZE). */
    const rowsRead = async (name: BuiltReportName, from: string, to: string, groupBy: Grouping, clinicIds: string[] | null = null): Promise<Record<string, number>> => {
      const { sql: text, params, months, orgDays } = reportStatement(p.organizationId, name, { clinicIds, from, to, prev: previousPeriod(from, to), groupBy });
      // As planned at scale (index scans of each range; a test database's tables are small enough to scan whole).
      const [{ 'QUERY PLAN': plan }] = await t.tdb.dataSource.transaction(async (em) => {
        await em.query(`SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off`);
        return em.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
      });
      const out: Record<string, number> = { months: months ? 1 : 0, orgDays: orgDays ? 1 : 0 };
      const walk = (node: { 'Relation Name'?: string; 'Actual Rows'?: number; 'Actual Loops'?: number; Plans?: unknown[] }): void => {
        const rel = node['Relation Name'];
        if (rel?.startsWith('report_') && rel !== 'report_dirty') out[rel] = (out[rel] ?? 0) + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1);
        for (const child of (node.Plans ?? []) as (typeof node)[]) walk(child);
      };
      walk((plan as { Plan: Parameters<typeof walk>[0] }[])[0].Plan);
      return out;
    };
    // A plan started now with a measured pain change (so this year has a pain bucket), and every roll-up current.
    await apply({ kind: 'plan-move', plan: 0, clinic: 0, start: 0 });
    await apply({ kind: 'reassess', plan: 0, pain: 3, met: true, days: 1 });
    await drainReportMarks(db, { batch: 200 });
    // The current year and the one before, both whole months when the year has 365 days; a leap year's previous period has one edge day.
    const year = new Date().getUTCFullYear();
    const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
    const yearFrom = `${year}-01-01`;
    const yearTo = `${year}-12-31`;
    for (const [name, table, dayTable] of [
      ['plan-sessions', 'report_plan_month', 'report_plan'],
      ['outcomes', 'report_plan_month', 'report_plan'],
      ['outcome-distribution', 'report_plan_month_pain', 'report_plan'],
      ['attendance', 'report_clinic_month', 'report_clinic_day'],
    ] as const) {
      const planReport = table !== 'report_clinic_month';
      const orgDayTable = name === 'outcome-distribution' ? 'report_plan_org_day_pain' : 'report_plan_org_day';
      for (const groupBy of ['MONTH', 'CLINIC', 'CONDITION'] as Grouping[]) {
        const read = await rowsRead(name, yearFrom, yearTo, groupBy);
        if (planReport && (groupBy !== 'CLINIC' || name === 'outcome-distribution')) {
          // The whole organization's plan report: the organization-day roll-up alone (no plan, no month row).
          expect({ name, groupBy, orgDays: read.orgDays, orgDayRows: (read[orgDayTable] ?? 0) > 0, planRows: read.report_plan ?? 0, monthRows: read[table] ?? 0 }).toEqual({
            name, groupBy, orgDays: 1, orgDayRows: true, planRows: 0, monthRows: 0,
          });
          continue;
        }
        expect({ name, groupBy, months: read.months, orgDays: read.orgDays, monthRows: (read[table] ?? 0) > 0 }).toEqual({ name, groupBy, months: 1, orgDays: 0, monthRows: true });
        if (!leap) expect({ name, groupBy, dayRows: read[dayTable] ?? 0 }).toEqual({ name, groupBy, dayRows: 0 });
      }
      // A clinic's year reads its month rows (no organization-day row: they hold every clinic).
      const clinic = await rowsRead(name, yearFrom, yearTo, 'MONTH', [p.clinicId]);
      expect({ name, monthRows: (clinic[table] ?? 0) > 0, orgDays: clinic.orgDays }).toEqual({ name, monthRows: true, orgDays: 0 });
      // By day or week, practitioner or discipline: the day and plan rows — but the whole organization's plan reports by day or week
      // read the organization-day roll-up.
      for (const groupBy of ['DAY', 'WEEK', 'PRACTITIONER', 'DISCIPLINE'] as Grouping[]) {
        if (name === 'outcome-distribution') continue; // the grouping is ignored: always by month
        const read = await rowsRead(name, yearFrom, yearTo, groupBy);
        const org = planReport && (groupBy === 'DAY' || groupBy === 'WEEK') ? 1 : 0;
        expect({ name, groupBy, months: read.months, orgDays: read.orgDays, monthRows: read[table] ?? 0, planRows: org ? (read.report_plan ?? 0) : 0 }).toEqual({
          name, groupBy, months: 0, orgDays: org, monthRows: 0, planRows: 0,
        });
      }
    }
    // Edge days only (no whole month in the range): the day rows.
    const edges = await rowsRead('attendance', isoDay(-3), isoDay(3), 'MONTH');
    expect((edges.report_clinic_day ?? 0) > 0).toBe(true);
    // The whole organization's last 365 days (issue 14's organization-year): a plan report reads the organization-day roll-up
    // alone — no plan row, no month row, whatever the edges — in every grouping without clinic or practitioner.
    // On the last day of a month the last 365 days are twelve whole months (on 30 November: 1 December – 30 November), with no
    // edge day for the edge guard below to weigh (its assertions failed on those days): then the year starts on the 20th of the
    // month after instead, which gives both periods their edges again (12 + 43 days of 692). The test's data lie around today.
    const monthEnd = isoDay(1).endsWith('-01');
    const lastYear = { from: isoDay(monthEnd ? -345 : -364), to: isoDay(0) };
    for (const name of ['plan-sessions', 'outcomes', 'reassessment-timeliness', 'retention', 'outcome-distribution'] as const) {
      const orgDayTable = name === 'outcome-distribution' ? 'report_plan_org_day_pain' : 'report_plan_org_day';
      for (const groupBy of ['MONTH', 'WEEK', 'DAY', 'CONDITION'] as Grouping[]) {
        const read = await rowsRead(name, lastYear.from, lastYear.to, groupBy);
        const monthRows = (read.report_plan_month ?? 0) + (read.report_plan_month_pain ?? 0);
        expect({ name, groupBy, orgDays: read.orgDays, orgDayRows: (read[orgDayTable] ?? 0) > 0, planRows: read.report_plan ?? 0, monthRows }).toEqual({
          name, groupBy, orgDays: 1, orgDayRows: true, planRows: 0, monthRows: 0,
        });
      }
      // By clinic, and for a clinic, or a clinic-limited manager naming none (their clinics, not the organization): as before.
      for (const [groupBy, clinicIds] of [['CLINIC', null], ['MONTH', [p.clinicId]], ['MONTH', [newYork]]] as [Grouping, string[] | null][]) {
        if (name === 'outcome-distribution' && clinicIds === null) continue; // its grouping is ignored: the organization-days
        const read = await rowsRead(name, lastYear.from, lastYear.to, groupBy, clinicIds);
        expect({ name, groupBy, clinicIds, orgDays: read.orgDays, orgDayRows: (read.report_plan_org_day ?? 0) + (read.report_plan_org_day_pain ?? 0) }).toEqual({
          name, groupBy, clinicIds, orgDays: 0, orgDayRows: 0,
        });
      }
    }
    // The edge guard (docs/reports.md "Edge days: the guard") for a clinic's plan reports: the last 365 days have about 60 edge
    // days of 730 (8 %, above PLAN_EDGE_SHARE): a plan report reads its plan rows alone, no month row; a day report (here the
    // whole organization's) still reads the month roll-ups. Whole months with 2 edge days of 122 (1.6 %, March–April: the
    // previous period is 30 December – 28 February) keep them.
    expect(edgeDays({ ...lastYear, prev: previousPeriod(lastYear.from, lastYear.to) }).edge).toBeGreaterThan(730 * PLAN_EDGE_SHARE);
    for (const [name, table, months, clinicIds] of [
      ['plan-sessions', 'report_plan_month', 0, [p.clinicId]],
      ['outcome-distribution', 'report_plan_month_pain', 0, [p.clinicId]],
      ['attendance', 'report_clinic_month', 1, null],
    ] as const) {
      const read = await rowsRead(name, lastYear.from, lastYear.to, 'MONTH', clinicIds ? [...clinicIds] : null);
      // (The test's clinic-days lie around today, in this month's edge: the whole months before may have no month row to read.)
      expect({ name, months: read.months }).toEqual({ name, months });
      if (months === 0) expect({ name, monthRows: read[table] ?? 0, planRows: (read.report_plan ?? 0) > 0 }).toEqual({ name, monthRows: 0, planRows: true });
      // (On a month's last day this month is whole too: its clinic-days come from the month row, and the edges hold none.)
      else expect({ name, dayRows: (read.report_clinic_day ?? 0) > 0 }).toEqual({ name, dayRows: !monthEnd });
      const unguarded = reportStatement(p.organizationId, name, { clinicIds: clinicIds ? [...clinicIds] : null, ...lastYear, prev: previousPeriod(lastYear.from, lastYear.to), groupBy: 'MONTH' }, { edgeGuard: false });
      expect({ name, unguarded: unguarded.months }).toEqual({ name, unguarded: true });
    }
    const springEdges = edgeDays({ from: '2026-03-01', to: '2026-04-30', prev: previousPeriod('2026-03-01', '2026-04-30') });
    expect(springEdges).toEqual({ edge: 2, range: 122 });
    const spring = await rowsRead('plan-sessions', '2026-03-01', '2026-04-30', 'MONTH', [p.clinicId]);
    expect(spring.months).toBe(1);
  });

  it('the CSV export has the GraphQL rows, the total, and the same scope', async () => {
    const scope = { from: isoDay(-14), to: isoDay(14), groupBy: 'WEEK' };
    const api = await report('attendance', scope);
    const res = await fetch(`${t.url}/reports/attendance.csv?from=${scope.from}&to=${scope.to}&groupBy=WEEK`, { headers: { authorization: `Bearer ${p.admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe(['key', 'label', ...api.columns.map((c) => c.label)].join(','));
    const fmt = (v: number | null) => (v === null ? '' : String(v));
    expect(lines.slice(1, -1)).toEqual(api.rows.map((r) => [r.key, r.label.includes(',') ? `"${r.label}"` : r.label, ...r.values.map(fmt)].join(',')));
    expect(lines[lines.length - 1]).toBe(['total', 'Total', ...api.total.values.map(fmt)].join(','));

    // The referral flow export: the receiver's rows by discipline pair, then its total.
    const flowScope = { from: isoDay(-7), to: isoDay(7), groupBy: 'DISCIPLINE' };
    const flow = await report('referral-flow', flowScope, n.b.admin.token);
    const flowCsv = await fetch(`${t.url}/reports/referral-flow.csv?from=${flowScope.from}&to=${flowScope.to}&groupBy=DISCIPLINE`, { headers: { authorization: `Bearer ${n.b.admin.token}` } });
    expect(flowCsv.status).toBe(200);
    const flowLines = (await flowCsv.text()).trim().split('\r\n');
    expect(flowLines[0]).toBe('key,label,Sent,Received,Accepted,Acceptance rate,Mean hours to accept');
    expect(flowLines.slice(1, -1)).toEqual(flow.rows.map((r) => [r.key, r.label, ...r.values.map(fmt)].join(',')));
    expect(flowLines[flowLines.length - 1]).toBe(['total', 'Total', ...flow.total.values.map(fmt)].join(','));
    expect(flow.rows.length).toBeGreaterThan(0);

    const forbidden = await fetch(`${t.url}/reports/attendance.csv?clinicId=${p.clinicId}&from=${scope.from}&to=${scope.to}&groupBy=DAY`, { headers: { authorization: `Bearer ${manager.token}` } });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const anonymous = await fetch(`${t.url}/reports/attendance.csv?from=${scope.from}&to=${scope.to}&groupBy=DAY`);
    expect(anonymous.status).toBe(401);
    const bad = await fetch(`${t.url}/reports/attendance.csv?from=2026-01-01&to=2025-01-01&groupBy=DAY`, { headers: { authorization: `Bearer ${p.admin.token}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
    const audited = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'report.export' AND actor_user_id = $1`, [p.admin.userId]);
    expect(audited[0].n).toBeGreaterThan(0);
  });
});
