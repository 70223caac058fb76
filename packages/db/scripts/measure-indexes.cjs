/**
 * The figures of docs/operations.md, "Indexes at scale": p50 and p95 of each heavy read of the
 * clients page, search, chart, calendar and tasks, as the API sends it (`after`: the SQL of this
 * code; `before`: the SQL the API sent before migration IndexesAtScale), as fascia_app under
 * row-level security, one transaction a run, on a database filled by `npm run scale` (default size).
 *
 *   node packages/db/scripts/measure-indexes.cjs postgres://owner@host/db after [runs] > after.json
 */
const { Client } = require('pg');
const [url, mode = 'after', runsArg = '20'] = process.argv.slice(2);
const runs = Number(runsArg);
if (!url || !['before', 'after'].includes(mode) || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: node measure-indexes.cjs <owner database url> before|after [runs]');
  process.exit(2);
}
(async () => {
  const c = new Client({ connectionString: url }); await c.connect();
  const one = async (sql, p = []) => (await c.query(sql, p)).rows[0];
  const slug = process.env.SCALE_SLUG ?? 'scale-100000-2000000';
  const org = (await one(`select id from organization where slug=$1`, [slug])).id;
  const clinic = (await one(`select id from clinic where organization_id=$1 order by name limit 1`, [org])).id;
  const client = (await one(`select client_id as id from appointment where organization_id=$1 group by client_id order by count(*) desc limit 1`, [org])).id;
  const noteIds = (await c.query(`select id from session_note where client_id=$1`, [client])).rows.map((r) => r.id);
  const admin = (await one(`select id from app_user where email=$1`, [`admin@${slug}.scale.test`])).id;
  const monday = new Date(); monday.setUTCHours(0,0,0,0); monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const sunday = new Date(monday.getTime() + 7 * 864e5);
  const cols = `c.*`;
  const SORT_OLD = `lower(c.last_name) || chr(9) || lower(c.first_name)`;
  const like6 = (p) => `(lower(c.first_name) LIKE ${p} OR lower(c.last_name) LIKE ${p} OR lower(coalesce(c.preferred_name, '')) LIKE ${p} OR lower(c.first_name || ' ' || c.last_name) LIKE ${p} OR lower(coalesce(c.preferred_name, c.first_name) || ' ' || c.last_name) LIKE ${p} OR lower(coalesce(c.email, '')) LIKE ${p})`;
  const oldSearch = (term) => {
    const digits = term.replace(/[^0-9]/g, '');
    const where = `c.organization_id = $1 AND c.archived_at IS NULL AND (${like6('$2')}${digits.length >= 3 ? ` OR regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g') LIKE $3` : ''})`;
    const params = [org, `%${term}%`, ...(digits.length >= 3 ? [`%${digits}%`] : [])];
    return [[`SELECT COUNT(DISTINCT(c.id)) FROM client c WHERE ${where}`, params], [`SELECT ${cols} FROM client c WHERE ${where} ORDER BY ${SORT_OLD}, c.id LIMIT 51`, params]];
  };
  const newSearch = (term) => {
    const where = `c.organization_id = $1 AND c.archived_at IS NULL AND c.id = ANY(ARRAY(SELECT fascia_client_search(CAST($2 AS text), NULL, NULL)))`;
    return [[`SELECT ${cols}, (SELECT count(*)::int FROM (SELECT 1 FROM client c WHERE ${where} ORDER BY c.sort_name, c.id LIMIT 1001) capped) FROM client c WHERE ${where} ORDER BY c.sort_name, c.id LIMIT 51`, [org, term]]];
  };
  const terms = { 'search: name fragment "hwort"': 'hwort', 'search: full name "amara adeyemi"': 'amara adeyemi', 'search: email fragment "i.12345@"': 'i.12345@', 'search: phone fragment "7100 000"': '7100 000', 'search: 2 letters "ad"': 'ad' };
  const Q = {
    'calendar week (busy clinic)': [[`SELECT a.* FROM appointment a WHERE a.organization_id = $1 AND a.clinic_id = $2 AND a.starts_at >= $3 AND a.starts_at < $4 AND a.status IN ('BOOKED','CHECKED_IN','COMPLETED') ORDER BY a.starts_at, a.id`, [org, clinic, monday, sunday]]],
    'chart: re-assessments by client': [[`SELECT * FROM reassessment r WHERE r.client_id = $1 AND r.organization_id = $2 ORDER BY r.assessed_at`, [client, org]]],
    'chart: appointments by client': [[`SELECT * FROM appointment a WHERE a.client_id = $1 AND a.organization_id = $2 ORDER BY a.starts_at`, [client, org]]],
    'chart: notes by client': [[`SELECT * FROM session_note n WHERE n.client_id = $1 AND n.organization_id = $2`, [client, org]]],
    'chart: addenda of the notes': [[`SELECT * FROM session_addendum s WHERE s.organization_id = $1 AND s.note_id = ANY($2::uuid[]) ORDER BY s.created_at, s.id`, [org, noteIds]]],
    'clients page 1': mode === 'before'
      ? [[`SELECT COUNT(DISTINCT(c.id)) FROM client c WHERE c.organization_id = $1 AND c.archived_at IS NULL`, [org]], [`SELECT ${cols} FROM client c WHERE c.organization_id = $1 AND c.archived_at IS NULL ORDER BY ${SORT_OLD}, c.id LIMIT 51`, [org]]]
      : [[`SELECT ${cols}, (SELECT count(*)::int FROM (SELECT 1 FROM client c WHERE c.organization_id = $1 AND c.archived_at IS NULL ORDER BY c.sort_name, c.id LIMIT 1001) capped) FROM client c WHERE c.organization_id = $1 AND c.archived_at IS NULL ORDER BY c.sort_name, c.id LIMIT 51`, [org]]],
    'clients page after "m" (keyset)': mode === 'before'
      ? [[`SELECT ${cols} FROM client c WHERE c.organization_id = $1 AND c.archived_at IS NULL AND (${SORT_OLD}, c.id) > ($2, $3) ORDER BY ${SORT_OLD}, c.id LIMIT 51`, [org, 'm', '00000000-0000-0000-0000-000000000000']]]
      : [[`SELECT ${cols} FROM client c WHERE c.organization_id = $1 AND c.archived_at IS NULL AND (c.sort_name, c.id) > ($2, $3) ORDER BY c.sort_name, c.id LIMIT 51`, [org, 'm', '00000000-0000-0000-0000-000000000000']]],
    'open tasks (admin)': mode === 'before'
      ? [[`SELECT COUNT(DISTINCT(t.id)) FROM practitioner_task t WHERE t.organization_id = $1 AND t.status = 'OPEN'`, [org]], [`SELECT t.* FROM practitioner_task t WHERE t.organization_id = $1 AND t.status = 'OPEN' ORDER BY t.due_at, t.id LIMIT 51`, [org]]]
      : [[`SELECT t.*, (SELECT count(*)::int FROM (SELECT 1 FROM practitioner_task t WHERE t.organization_id = $1 AND t.status = 'OPEN' ORDER BY t.due_at, t.id LIMIT 1001) capped) FROM practitioner_task t WHERE t.organization_id = $1 AND t.status = 'OPEN' ORDER BY t.due_at, t.id LIMIT 51`, [org]]],
  };
  const clinic3 = (await one(`select id from clinic where organization_id=$1 order by name offset 3 limit 1`, [org])).id;
  const scopeOne = `(c.clinic_ids && CAST($2 AS uuid[]) OR EXISTS (SELECT 1 FROM intake si WHERE si.organization_id = $1 AND si.client_id = c.id AND si.clinic_id = ANY(CAST($2 AS uuid[]))) OR EXISTS (SELECT 1 FROM appointment sa WHERE sa.organization_id = $1 AND sa.client_id = c.id AND sa.clinic_id = ANY(CAST($2 AS uuid[]))))`;
  const scopeList = `(c.clinic_ids && CAST($2 AS uuid[]) OR c.id IN (SELECT si.client_id FROM intake si WHERE si.organization_id = $1 AND si.clinic_id = ANY(CAST($2 AS uuid[]))) OR c.id IN (SELECT sa.client_id FROM appointment sa WHERE sa.organization_id = $1 AND sa.clinic_id = ANY(CAST($2 AS uuid[]))))`;
  if (mode === 'before') {
    const w1 = `c.organization_id = $1 AND c.archived_at IS NULL AND $2 = ANY(c.clinic_ids)`;
    Q['clients of one clinic'] = [[`SELECT COUNT(DISTINCT(c.id)) FROM client c WHERE ${w1}`, [org, clinic3]], [`SELECT ${cols} FROM client c WHERE ${w1} ORDER BY ${SORT_OLD}, c.id LIMIT 51`, [org, clinic3]]];
    const w2 = `c.organization_id = $1 AND c.archived_at IS NULL AND ${scopeList}`;
    Q['clients page, manager of one clinic'] = [[`SELECT COUNT(DISTINCT(c.id)) FROM client c WHERE ${w2}`, [org, [clinic]]], [`SELECT ${cols} FROM client c WHERE ${w2} ORDER BY ${SORT_OLD}, c.id LIMIT 51`, [org, [clinic]]]];
  } else {
    const w1 = `c.organization_id = $1 AND c.archived_at IS NULL AND c.id = ANY(ARRAY(SELECT fascia_client_search(NULL, CAST($2 AS uuid), NULL))) AND $2 = ANY(c.clinic_ids)`;
    Q['clients of one clinic'] = [[`SELECT ${cols}, (SELECT count(*)::int FROM (SELECT 1 FROM client c WHERE ${w1} ORDER BY c.sort_name, c.id LIMIT 1001) capped) FROM client c WHERE ${w1} ORDER BY c.sort_name, c.id LIMIT 51`, [org, clinic3]]];
    const w2 = `c.organization_id = $1 AND c.archived_at IS NULL AND c.id = ANY(ARRAY(SELECT fascia_client_search(NULL, NULL, CAST($2 AS uuid[])))) AND ${scopeOne}`;
    Q['clients page, manager of one clinic'] = [[`SELECT ${cols}, (SELECT count(*)::int FROM (SELECT 1 FROM client c WHERE ${w2} ORDER BY c.sort_name, c.id LIMIT 1001) capped) FROM client c WHERE ${w2} ORDER BY c.sort_name, c.id LIMIT 51`, [org, [clinic]]]];
  }
  for (const [k, term] of Object.entries(terms)) Q[k] = mode === 'before' ? oldSearch(term) : newSearch(term);
  const out = {};
  for (const [name, stmts] of Object.entries(Q)) {
    const times = [];
    let rows = 0;
    for (let i = 0; i < runs + 2; i++) {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('role', 'fascia_app', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`, [org, admin]);
      const t = process.hrtime.bigint();
      for (const [sql, p] of stmts) rows = (await c.query(sql, p)).rowCount;
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      await c.query('COMMIT');
      if (i >= 2) times.push(ms);
    }
    times.sort((a, b) => a - b);
    out[name] = { p50: +times[Math.floor(times.length / 2)].toFixed(2), p95: +times[Math.floor(times.length * 0.95)].toFixed(2), statements: stmts.length, rows };
    console.error(name, JSON.stringify(out[name]));
  }
  console.log(JSON.stringify(out));
  await c.end();
})().catch((e) => { console.error(e); process.exit(1); });
