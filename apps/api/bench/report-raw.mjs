// The raw-SQL baseline alone (`baselineReport` of @fascia/db/testing), timed for some reports in
// one of the reports bench's scopes, on a generated database — for the scales where the bench's own
// raw runs take too long (at 0.1 the organization-year takes 8–14 minutes a report on this machine).
// `DB=fascia_scale_reports SCOPE=org-year REPORTS=utilisation,outcomes node apps/api/bench/report-raw.mjs`
// (after `npx turbo run build`); SCOPE is clinic-month (the month the first clinic's plans started,
// by day) or org-year (the last 365 days, by month), as in reports.mjs. Prints ms and the total.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const testing = require('@fascia/db/testing');
const { Client } = require('pg');
const db = process.env.DB; const scopeKey = process.env.SCOPE ?? 'org-year';
const c = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${db}`, application_name: 'fascia-bench-reports-raw' });
await c.connect();
const [org] = (await c.query(`SELECT o.id FROM organization o JOIN clinic c ON c.organization_id = o.id GROUP BY o.id ORDER BY count(*) DESC LIMIT 1`)).rows;
const clinics = (await c.query(`SELECT id, time_zone FROM clinic WHERE organization_id = $1 ORDER BY name`, [org.id])).rows;
const [span] = (await c.query(`SELECT to_char(min(tp.created_at AT TIME ZONE $2), 'YYYY-MM-DD') AS first, to_char((now() AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS today FROM treatment_plan tp WHERE tp.organization_id = $1 AND tp.clinic_id = $3`, [org.id, clinics[0].time_zone, clinics[0].id])).rows;
const first = new Date(`${span.first}T00:00:00Z`); const ms = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)); const me = new Date(Date.UTC(ms.getUTCFullYear(), ms.getUTCMonth() + 1, 0));
const today = new Date(`${span.today}T00:00:00Z`); const yf = new Date(today.getTime() - 364 * 86400000); const d = (x) => x.toISOString().slice(0, 10);
const scope = scopeKey === 'org-year' ? { organizationId: org.id, clinicIds: null, from: d(yf), to: d(today), groupBy: 'MONTH' } : { organizationId: org.id, clinicIds: [clinics[0].id], from: d(ms), to: d(me), groupBy: 'DAY' };
for (const name of process.env.REPORTS.split(',')) {
  const t = performance.now();
  const r = await testing.baselineReport({ query: async (s, p) => (await c.query(s, p)).rows }, name, scope);
  console.log(`${scopeKey} ${name} raw ${(performance.now() - t).toFixed(0)} ms total ${JSON.stringify(r.total)}`);
}
await c.end();
