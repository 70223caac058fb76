// The five queries of the API benchmark (issue 10), each written three times: Fascia's GraphQL,
// PostGraphile 4's GraphQL over its generated schema, and a hand-written `pg` handler (the raw
// floor) that runs the SQL the request needs in one row-level-security transaction and returns
// the JSON Fascia returns. `ids` pulls out what the correctness check compares (the same rows, in
// the same order where the API defines one).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { DateTime } = require('luxon');

/** Fascia's calendar shows the appointments that hold time (BLOCKING_STATUSES in @fascia/db). */
export const BLOCKING = ['BOOKED', 'CHECKED_IN', 'COMPLETED'];
const PAGE = 50;

/** Fascia's clients order (client.service.ts): `lower(last) || chr(9) || lower(first)`, then id. */
const CLIENT_SORT = `lower(c.last_name) || chr(9) || lower(c.first_name)`;
const escapeLike = (s) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const cursor = (sort, id) => Buffer.from(JSON.stringify([sort, id])).toString('base64url');

/**
 * SQL the bench runs on its database so PostGraphile can order clients as Fascia does: when the
 * schema has no `client.sort_name` column (issue 10's migration adds it), a computed column of
 * the same name (an inlinable SQL function) marked sortable; once it has one, the function goes
 * (the column is then PostGraphile's `sortName`). Nothing Fascia or the raw handler reads.
 */
export const POSTGRAPHILE_SETUP_SQL = `
DO $do$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'public.client'::regclass AND attname = 'sort_name' AND NOT attisdropped) THEN
    DROP FUNCTION IF EXISTS public.client_sort_name(public.client);
  ELSE
    CREATE OR REPLACE FUNCTION public.client_sort_name(c public.client) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT lower(c.last_name) || chr(9) || lower(c.first_name) $f$;
    COMMENT ON FUNCTION public.client_sort_name(public.client) IS E'@sortable\\nFascia''s clients order (bench only).';
  END IF;
END $do$;
`;

/**
 * What the raw handler's SQL adapts to (read once when it starts): the `client.sort_name`
 * column and the `fascia_client_search(term[, clinic, reach])` function of issue 10's indexes
 * migration, and
 * `fascia_tenant_session(org, user)` (the role, the settings and the membership check in one
 * statement, as Fascia's request transaction does once it exists). Under
 * row-level security neither lower() nor LIKE is leakproof, so no index serves them as
 * conditions; the column and the SECURITY DEFINER search are how the API reaches its indexes,
 * and the floor uses them when they exist.
 */
export const RAW_FEATURES_SQL = `SELECT
  EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'public.client'::regclass AND attname = 'sort_name' AND NOT attisdropped) AS "sortName",
  CASE WHEN to_regprocedure('public.fascia_client_search(text, uuid, uuid[])') IS NOT NULL THEN 'term, clinic, reach'
       WHEN to_regprocedure('public.fascia_client_search(text)') IS NOT NULL THEN 'term' END AS "searchFunction",
  to_regprocedure('public.fascia_tenant_session(uuid, uuid)') IS NOT NULL AS "tenantSession"`;

const sortSet = (xs) => [...xs].sort();

/** ids of a client page, in order, and its total. */
const pageIds = (conn) => ({ ids: conn.nodes.map((n) => n.id), totalCount: conn.totalCount });

/**
 * Lists count their matches up to COUNT_LIMIT (issue 10: "page counts never scan the
 * organization"), in the page's own statement: `SELECT count(*) FROM (… LIMIT 1001)`.
 */
export const COUNT_LIMIT = 1000;
const cappedCount = (from, where) => `(SELECT count(*)::int FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${COUNT_LIMIT + 1}) capped)`;

/**
 * Search: one condition on the text a trigram index can hold — the full name, the preferred
 * name with the last name, the email, chr(1) between them — for three or more characters (the
 * bench's fragment), and the phone's digits when three or more are typed. For a fragment without
 * spaces this matches what the six LIKEs of the earlier ClientService did.
 */
export const SEARCH_TEXT = `lower(c.first_name || ' ' || c.last_name || chr(1) || coalesce(c.preferred_name, c.first_name) || ' ' || c.last_name || chr(1) || coalesce(c.email, ''))`;
const PHONE_DIGITS = `regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g')`;
const clientSearchSql = (search) => {
  const parts = [`${SEARCH_TEXT} LIKE $2`];
  const params = [`%${escapeLike(search)}%`];
  const digits = search.replace(/[^0-9]/g, '');
  if (digits.length >= 3) {
    parts.push(`${PHONE_DIGITS} LIKE $3`);
    params.push(`%${digits}%`);
  }
  return { sql: `(${parts.join(' OR ')})`, params };
};

async function clientPage(q, orgId, search, features) {
  if (search && search.length < 3) throw Object.assign(new Error('the raw handler searches three or more characters'), { status: 400 });
  const where = [`c.organization_id = $1`, `c.archived_at IS NULL`];
  let params = [orgId];
  if (search && features.searchFunction) {
    // As ClientService.list: an admin names no clinic and has no clinic scope.
    where.push(features.searchFunction === 'term' ? `c.id IN (SELECT fascia_client_search($2))` : `c.id = ANY(ARRAY(SELECT fascia_client_search($2::text, NULL::uuid, NULL::uuid[])))`);
    params.push(search);
  } else if (search) {
    const s = clientSearchSql(search);
    where.push(s.sql);
    params = params.concat(s.params);
  }
  const sort = features.sortName ? 'c.sort_name' : CLIENT_SORT;
  const w = where.join(' AND ');
  const name = search ? (params.length > 2 ? 'clients_search_phone' : 'clients_search') : 'clients_page';
  const rows = await q({
    name,
    text: `SELECT c.id, c.first_name, c.last_name, c.preferred_name, c.email, c.phone, ${sort} AS sort, ${cappedCount('client c', w)} AS total
             FROM client c WHERE ${w} ORDER BY ${sort}, c.id LIMIT ${PAGE + 1}`,
    values: params,
  });
  const page = rows.rows.slice(0, PAGE);
  const last = page[page.length - 1];
  const total = rows.rows[0]?.total ?? 0;
  return {
    clients: {
      totalCount: Math.min(total, COUNT_LIMIT),
      nodes: page.map((r) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name, preferredName: r.preferred_name, email: r.email, phone: r.phone })),
      pageInfo: { hasNextPage: rows.rows.length > PAGE, endCursor: last ? cursor(last.sort, last.id) : null },
    },
  };
}

const CLIENT_FIELDS = 'id firstName lastName preferredName email phone';
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

/**
 * Each query: `fascia` (query, variables from the fixture), `postgraphile` (same), `raw` (the
 * handler: `q` runs one statement in the request's transaction; `features` from
 * RAW_FEATURES_SQL) and `ids` per server kind.
 */
export const QUERIES = [
  {
    key: 'calendar',
    label: 'clinic-week calendar',
    fascia: {
      query: `query BenchCalendar($clinicId: ID!, $from: String!) {
        calendar(clinicId: $clinicId, from: $from, days: 7) {
          from to timeZone
          appointments { id startsAt endsAt status kind clientId clientName practitioner { id displayName } room { id name } }
        }
      }`,
      variables: (f) => ({ clinicId: f.clinicId, from: f.weekFrom }),
    },
    postgraphile: {
      // The client (a browser) knows the clinic's time zone: the week's bounds are computed here.
      query: `query BenchCalendar($clinicId: UUID!, $start: Datetime!, $end: Datetime!, $statuses: [String!]!) {
        allAppointments(
          condition: { clinicId: $clinicId }
          filter: { startsAt: { greaterThanOrEqualTo: $start, lessThan: $end }, status: { in: $statuses } }
          orderBy: [STARTS_AT_ASC, ID_ASC]
        ) {
          nodes {
            id startsAt endsAt status kind clientId
            clientByOrganizationIdAndClientId { firstName lastName preferredName }
            practitionerByOrganizationIdAndPractitionerId { id displayName }
            roomByOrganizationIdAndRoomId { id name }
          }
        }
      }`,
      variables: (f) => {
        const start = DateTime.fromISO(f.weekFrom, { zone: f.timeZone }).startOf('day');
        return { clinicId: f.clinicId, start: start.toISO(), end: start.plus({ days: 7 }).toISO(), statuses: BLOCKING };
      },
    },
    raw: {
      variables: (f) => ({ clinicId: f.clinicId, from: f.weekFrom }),
      async handle(q, tenant, v) {
        const clinic = await q({ name: 'cal_clinic', text: `SELECT id, time_zone FROM clinic WHERE organization_id = $1 AND id = $2`, values: [tenant.organizationId, v.clinicId] });
        if (!clinic.rows.length) throw Object.assign(new Error('no such clinic'), { status: 404 });
        const tz = clinic.rows[0].time_zone;
        const start = DateTime.fromISO(v.from, { zone: tz }).startOf('day');
        const end = start.plus({ days: 7 });
        const rows = await q({
          name: 'cal_appointments',
          text: `SELECT a.id, a.starts_at, a.ends_at, a.status, a.kind, a.client_id,
                        coalesce(c.preferred_name, c.first_name) || ' ' || c.last_name AS client_name,
                        a.practitioner_id, p.display_name, a.room_id, r.name AS room_name
                   FROM appointment a
                   JOIN client c ON c.organization_id = a.organization_id AND c.id = a.client_id
                   JOIN practitioner p ON p.organization_id = a.organization_id AND p.id = a.practitioner_id
                   LEFT JOIN room r ON r.organization_id = a.organization_id AND r.id = a.room_id
                  WHERE a.organization_id = $1 AND a.clinic_id = $2 AND a.starts_at >= $3 AND a.starts_at < $4 AND a.status = ANY($5)
                  ORDER BY a.starts_at, a.id`,
          values: [tenant.organizationId, v.clinicId, start.toJSDate(), end.toJSDate(), BLOCKING],
        });
        return {
          calendar: {
            from: start.toISODate(),
            to: end.toISODate(),
            timeZone: tz,
            appointments: rows.rows.map((r) => ({
              id: r.id,
              startsAt: r.starts_at,
              endsAt: r.ends_at,
              status: r.status,
              kind: r.kind,
              clientId: r.client_id,
              clientName: r.client_name,
              practitioner: { id: r.practitioner_id, displayName: r.display_name },
              room: r.room_id ? { id: r.room_id, name: r.room_name } : null,
            })),
          },
        };
      },
    },
    ids: {
      fascia: (d) => ({ ids: d.calendar.appointments.map((a) => a.id) }),
      raw: (d) => ({ ids: d.calendar.appointments.map((a) => a.id) }),
      postgraphile: (d) => ({ ids: d.allAppointments.nodes.map((a) => a.id) }),
    },
  },
  {
    key: 'chart',
    label: "client's chart",
    fascia: {
      query: `query BenchChart($clientId: ID!) {
        clientChart(clientId: $clientId) {
          client {
            id firstName lastName preferredName
            intakes { id version createdAt blocked }
            plans { id status complaintKey currentVersion createdAt reassessments { id assessedAt decision status } }
          }
          appointments { id startsAt endsAt status note { id signedAt painAfter } }
        }
      }`,
      variables: (f) => ({ clientId: f.chartClientId }),
    },
    postgraphile: {
      // The client's key is (id, organization_id) (migration 1764970000000, docs/scale-out.md).
      query: `query BenchChart($clientId: UUID!, $organizationId: UUID!) {
        clientByIdAndOrganizationId(id: $clientId, organizationId: $organizationId) {
          id firstName lastName preferredName
          intakesByOrganizationIdAndClientId(orderBy: VERSION_DESC) { nodes { id version createdAt blocked } }
          treatmentPlansByOrganizationIdAndClientId(orderBy: [CREATED_AT_DESC, ID_ASC]) {
            nodes {
              id status complaintKey currentVersion createdAt
              reassessmentsByOrganizationIdAndPlanId(orderBy: [ASSESSED_AT_DESC, ID_ASC]) { nodes { id assessedAt decision status } }
            }
          }
          appointmentsByOrganizationIdAndClientId(orderBy: [STARTS_AT_ASC, ID_ASC]) {
            nodes { id startsAt endsAt status sessionNotesByOrganizationIdAndAppointmentId { nodes { id signedAt painAfter } } }
          }
        }
      }`,
      variables: (f) => ({ clientId: f.chartClientId, organizationId: f.organizationId }),
    },
    raw: {
      variables: (f) => ({ clientId: f.chartClientId }),
      async handle(q, tenant, v) {
        const org = tenant.organizationId;
        const client = await q({ name: 'chart_client', text: `SELECT id, first_name, last_name, preferred_name FROM client WHERE organization_id = $1 AND id = $2`, values: [org, v.clientId] });
        if (!client.rows.length) return { clientChart: null };
        const intakes = await q({ name: 'chart_intakes', text: `SELECT id, version, created_at, blocked FROM intake WHERE organization_id = $1 AND client_id = $2 ORDER BY version DESC`, values: [org, v.clientId] });
        const plans = await q({
          name: 'chart_plans',
          text: `SELECT id, status, complaint_key, current_version, created_at FROM treatment_plan WHERE organization_id = $1 AND client_id = $2 ORDER BY created_at DESC, id`,
          values: [org, v.clientId],
        });
        const reassessments = await q({
          name: 'chart_reassessments',
          text: `SELECT id, plan_id, assessed_at, decision, status FROM reassessment WHERE organization_id = $1 AND client_id = $2 ORDER BY assessed_at DESC, id`,
          values: [org, v.clientId],
        });
        const appointments = await q({
          name: 'chart_appointments',
          text: `SELECT a.id, a.starts_at, a.ends_at, a.status, n.id AS note_id, n.signed_at, n.pain_after
                   FROM appointment a LEFT JOIN session_note n ON n.organization_id = a.organization_id AND n.appointment_id = a.id
                  WHERE a.organization_id = $1 AND a.client_id = $2 ORDER BY a.starts_at, a.id`,
          values: [org, v.clientId],
        });
        // The read is audited as Fascia audits it (tenant-scope.ts, mergeReads): in one statement,
        // one row for the chart and one per kind of clinical record it shows — intakes, plans,
        // notes, re-assessments — carrying the ids of every one (`record_ids`; a kind with one
        // record names it in `record_id`, with none writes no row): the product's audit trail,
        // SPEC.md. A floor that wrote less would not do the same work.
        const notes = appointments.rows.filter((r) => r.note_id).map((r) => r.note_id);
        const kinds = [
          ['intake.read', 'intake', intakes.rows.map((r) => r.id)],
          ['plan.read', 'plan', plans.rows.map((r) => r.id)],
          ['note.read', 'session_note', notes],
          ['reassessment.read', 'reassessment', reassessments.rows.map((r) => r.id)],
        ].filter((k) => k[2].length > 0);
        await q({
          name: 'chart_audit',
          text: `INSERT INTO audit_event (organization_id, actor_user_id, action, record_type, record_id, record_ids, request_id, outcome, detail)
                 SELECT $1::uuid, $2::uuid, 'chart.read', 'client', $3::uuid, NULL::uuid[], $4::text, 'SUCCESS', $5::jsonb
                 UNION ALL SELECT $1, $2, a, t, r, ids::uuid[], $4, 'SUCCESS', NULL FROM unnest($6::text[], $7::text[], $8::uuid[], $9::text[]) AS u(a, t, r, ids)`,
          values: [
            org,
            tenant.userId,
            v.clientId,
            tenant.requestId,
            { intakes: intakes.rowCount, appointments: appointments.rowCount, notes: notes.length, reassessments: reassessments.rowCount },
            kinds.map((k) => k[0]),
            kinds.map((k) => k[1]),
            kinds.map((k) => (k[2].length === 1 ? k[2][0] : null)),
            kinds.map((k) => (k[2].length === 1 ? null : `{${k[2].join(',')}}`)),
          ],
        });
        const byPlan = new Map();
        for (const r of reassessments.rows) {
          if (!byPlan.has(r.plan_id)) byPlan.set(r.plan_id, []);
          byPlan.get(r.plan_id).push({ id: r.id, assessedAt: r.assessed_at, decision: r.decision, status: r.status });
        }
        const c = client.rows[0];
        return {
          clientChart: {
            client: {
              id: c.id,
              firstName: c.first_name,
              lastName: c.last_name,
              preferredName: c.preferred_name,
              intakes: intakes.rows.map((i) => ({ id: i.id, version: i.version, createdAt: i.created_at, blocked: i.blocked })),
              plans: plans.rows.map((p) => ({
                id: p.id,
                status: p.status,
                complaintKey: p.complaint_key,
                currentVersion: p.current_version,
                createdAt: p.created_at,
                reassessments: byPlan.get(p.id) ?? [],
              })),
            },
            appointments: appointments.rows.map((a) => ({
              id: a.id,
              startsAt: a.starts_at,
              endsAt: a.ends_at,
              status: a.status,
              note: a.note_id ? { id: a.note_id, signedAt: a.signed_at, painAfter: a.pain_after } : null,
            })),
          },
        };
      },
    },
    ids: (() => {
      const fasciaLike = (d) => {
        const ch = d.clientChart;
        return {
          client: ch.client.id,
          intakes: sortSet(ch.client.intakes.map((i) => i.id)),
          plans: sortSet(ch.client.plans.map((p) => p.id)),
          reassessments: sortSet(ch.client.plans.flatMap((p) => p.reassessments.map((r) => r.id))),
          appointments: sortSet(ch.appointments.map((a) => a.id)),
          notes: sortSet(ch.appointments.filter((a) => a.note).map((a) => a.note.id)),
        };
      };
      return {
        fascia: fasciaLike,
        raw: fasciaLike,
        postgraphile: (d) => {
          const c = d.clientByIdAndOrganizationId;
          const apps = c.appointmentsByOrganizationIdAndClientId.nodes;
          const plans = c.treatmentPlansByOrganizationIdAndClientId.nodes;
          return {
            client: c.id,
            intakes: sortSet(c.intakesByOrganizationIdAndClientId.nodes.map((i) => i.id)),
            plans: sortSet(plans.map((p) => p.id)),
            reassessments: sortSet(plans.flatMap((p) => p.reassessmentsByOrganizationIdAndPlanId.nodes.map((r) => r.id))),
            appointments: sortSet(apps.map((a) => a.id)),
            notes: sortSet(apps.flatMap((a) => a.sessionNotesByOrganizationIdAndAppointmentId.nodes.map((n) => n.id))),
          };
        },
      };
    })(),
  },
  {
    key: 'clients',
    label: 'clients list (page 1)',
    fascia: {
      query: `query BenchClients { clients(first: ${PAGE}) { totalCount nodes { ${CLIENT_FIELDS} } ${PAGE_INFO} } }`,
      variables: () => ({}),
    },
    postgraphile: {
      query: `query BenchClients {
        allClients(first: ${PAGE}, condition: { archivedAt: null }, orderBy: [SORT_NAME_ASC, ID_ASC]) { totalCount nodes { ${CLIENT_FIELDS} } ${PAGE_INFO} }
      }`,
      variables: () => ({}),
    },
    raw: {
      variables: () => ({}),
      handle: (q, tenant, _v, features) => clientPage(q, tenant.organizationId, null, features),
    },
    ids: { fascia: (d) => pageIds(d.clients), raw: (d) => pageIds(d.clients), postgraphile: (d) => pageIds(d.allClients) },
  },
  {
    key: 'search',
    label: 'client search (name fragment)',
    fascia: {
      query: `query BenchSearch($search: String!) { clients(first: ${PAGE}, search: $search) { totalCount nodes { ${CLIENT_FIELDS} } ${PAGE_INFO} } }`,
      variables: (f) => ({ search: f.searchFragment }),
    },
    postgraphile: {
      // A fragment without a space or digits: Fascia's full-name and phone alternatives add nothing.
      query: `query BenchSearch($search: String!) {
        allClients(
          first: ${PAGE}
          condition: { archivedAt: null }
          filter: { or: [
            { firstName: { includesInsensitive: $search } }
            { lastName: { includesInsensitive: $search } }
            { preferredName: { includesInsensitive: $search } }
            { email: { includesInsensitive: $search } }
          ] }
          orderBy: [SORT_NAME_ASC, ID_ASC]
        ) { totalCount nodes { ${CLIENT_FIELDS} } ${PAGE_INFO} }
      }`,
      variables: (f) => ({ search: f.searchFragment }),
    },
    raw: {
      variables: (f) => ({ search: f.searchFragment }),
      handle: (q, tenant, v, features) => clientPage(q, tenant.organizationId, v.search.trim().toLowerCase(), features),
    },
    ids: { fascia: (d) => pageIds(d.clients), raw: (d) => pageIds(d.clients), postgraphile: (d) => pageIds(d.allClients) },
  },
  {
    key: 'tasks',
    label: 'open tasks list',
    fascia: {
      query: `query BenchTasks {
        practitionerTasks(first: ${PAGE}) {
          totalCount
          nodes { id dueAt kind reason status clientId client { id firstName lastName } practitioner { id displayName } }
          ${PAGE_INFO}
        }
      }`,
      variables: () => ({}),
    },
    postgraphile: {
      query: `query BenchTasks {
        allPractitionerTasks(first: ${PAGE}, condition: { status: "OPEN" }, orderBy: [DUE_AT_ASC, ID_ASC]) {
          totalCount
          nodes {
            id dueAt kind reason status clientId
            clientByOrganizationIdAndClientId { id firstName lastName }
            practitionerByOrganizationIdAndPractitionerId { id displayName }
          }
          ${PAGE_INFO}
        }
      }`,
      variables: () => ({}),
    },
    raw: {
      variables: () => ({}),
      async handle(q, tenant) {
        const org = tenant.organizationId;
        const rows = await q({
          name: 'tasks_page',
          // The page first, then its clients and practitioners (joined before the LIMIT, the planner
          // may hash the whole client table).
          text: `SELECT t.id, t.due_at, t.kind, t.reason, t.status, t.client_id, c.first_name, c.last_name, t.practitioner_id, p.display_name,
                        ${cappedCount('practitioner_task t', `t.organization_id = $1 AND t.status = 'OPEN'`)} AS total
                   FROM (SELECT * FROM practitioner_task t WHERE t.organization_id = $1 AND t.status = 'OPEN' ORDER BY t.due_at, t.id LIMIT ${PAGE + 1}) t
                   JOIN client c ON c.organization_id = t.organization_id AND c.id = t.client_id
                   JOIN practitioner p ON p.organization_id = t.organization_id AND p.id = t.practitioner_id
                  ORDER BY t.due_at, t.id`,
          values: [org],
        });
        const page = rows.rows.slice(0, PAGE);
        const last = page[page.length - 1];
        return {
          practitionerTasks: {
            totalCount: Math.min(rows.rows[0]?.total ?? 0, COUNT_LIMIT),
            nodes: page.map((r) => ({
              id: r.id,
              dueAt: r.due_at,
              kind: r.kind,
              reason: r.reason,
              status: r.status,
              clientId: r.client_id,
              client: { id: r.client_id, firstName: r.first_name, lastName: r.last_name },
              practitioner: { id: r.practitioner_id, displayName: r.display_name },
            })),
            pageInfo: { hasNextPage: rows.rows.length > PAGE, endCursor: last ? cursor(last.due_at.toISOString(), last.id) : null },
          },
        };
      },
    },
    ids: {
      fascia: (d) => pageIds(d.practitionerTasks),
      raw: (d) => pageIds(d.practitionerTasks),
      postgraphile: (d) => pageIds(d.allPractitionerTasks),
    },
  },
];
