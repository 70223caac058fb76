import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FhirResource } from '@fascia/fhir';
import { allErrors, referencesIn, structureErrors, unresolvedReferences } from '../../../packages/fhir/src/testing/check';
import pino from 'pino';
import { type RunningWorker, startWorker } from '../../worker/src/runtime';
import { testWorkerConfig, waitFor } from '../../worker/test/support';
import { DEMO_ADMIN, seedDemo } from '../src/seed';
import { PARTNER_ADMIN } from '../src/seed-referrals';
import { SIGN_IN, startTestApi, type TestApi } from './harness';

type Outcome = { resourceType: string; issue: { severity: string; code: string; diagnostics: string }[] };
type Bundle = FhirResource & { entry: { fullUrl: string; resource: FhirResource; search: { mode: string } }[] };

/** Issue 15: the FHIR R4 export, on the demo seed, checked by Medplum's R4 validator and the code checks. */
describe('FHIR export', () => {
  let t: TestApi;
  let exportDir: string;
  let admin: string;
  let manager: string;
  let frontDesk: string;
  let partner: string;
  let orgId: string;
  let clients: { id: string; clinic_ids: string[] }[];

  const signIn = async (email: string, password = DEMO_ADMIN.password) => {
    const res = await t.gql(SIGN_IN, { input: { email, password } });
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.signIn.accessToken as string;
  };
  const get = (p: string, token?: string) => fetch(`${t.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    exportDir = mkdtempSync(path.join(tmpdir(), 'fascia-fhir-export-'));
    t = await startTestApi({ env: { FHIR_EXPORT_DIR: exportDir, FHIR_BASE_URL: 'https://fhir.fascia.test/fhir' } });
    orgId = (await seedDemo(t.tdb.dataSource)).organizationId;
    admin = await signIn(DEMO_ADMIN.email);
    manager = await signIn('manager@demo.fascia.test');
    frontDesk = await signIn('frontdesk@demo.fascia.test');
    partner = await signIn(PARTNER_ADMIN.email, PARTNER_ADMIN.password);
    clients = await t.tdb.dataSource.query(`SELECT id, clinic_ids FROM client WHERE organization_id = $1 ORDER BY last_name, id`, [orgId]);
    // Seeding months of care for the demo chain takes minutes on a busy machine.
  }, 600_000);
  afterAll(async () => {
    await t.stop();
    rmSync(exportDir, { recursive: true, force: true });
  });

  it("exports every demo client's record as a valid R4 searchset Bundle whose references resolve", async () => {
    const seen: Record<string, number> = {};
    let pain = 0;
    // Fetched first, validated after: the validator's first run blocks the process for seconds,
    // longer than the server keeps an idle keep-alive connection.
    const bundles: [string, Bundle][] = [];
    for (const c of clients) {
      const res = await get(`/fhir/Patient/${c.id}/$everything`, admin);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      bundles.push([c.id, (await res.json()) as Bundle]);
    }
    for (const [id, bundle] of bundles) {
      expect(bundle.type).toBe('searchset');
      expect(bundle.entry[0]).toMatchObject({ fullUrl: `https://fhir.fascia.test/fhir/Patient/${id}`, search: { mode: 'match' } });
      expect(structureErrors(bundle)).toEqual([]);
      const resources = bundle.entry.map((e) => e.resource);
      expect(allErrors(resources)).toEqual([]);
      expect(unresolvedReferences(bundle)).toEqual([]);
      for (const r of resources) seen[r.resourceType] = (seen[r.resourceType] ?? 0) + 1;
      pain += resources.filter((r) => (r.code as { coding?: { code: string }[] } | undefined)?.coding?.[0]?.code === '72514-3').length;
    }
    // Across the demo chain, every kind of resource the issue lists.
    for (const type of ['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'CarePlan', 'ServiceRequest', 'Appointment', 'Encounter', 'Observation', 'QuestionnaireResponse']) {
      expect(seen[type]).toBeGreaterThan(0);
    }
    expect(seen.Patient).toBe(clients.length);
    // Every pain score on record: each intake complaint, each session's check-in and end, each re-assessment's.
    const [{ n }] = await t.tdb.dataSource.query(
      `SELECT (SELECT coalesce(sum(jsonb_array_length(data->'complaints')), 0) FROM intake WHERE organization_id = $1)
            + (SELECT count(*) FROM session_note WHERE organization_id = $1)
            + (SELECT count(*) FROM session_note WHERE organization_id = $1 AND pain_after IS NOT NULL)
            + (SELECT coalesce(sum(jsonb_array_length(measures->'pain')), 0) FROM reassessment WHERE organization_id = $1) AS n`,
      [orgId],
    );
    expect(pain).toBe(Number(n));
  });

  it('audits the export like the chart read, plus the export itself', async () => {
    const c = clients[0];
    const res = await get(`/fhir/Patient/${c.id}/$everything`, admin);
    const requestId = res.headers.get('x-request-id');
    const events: { action: string; outcome: string }[] = await t.tdb.dataSource.query(`SELECT action, outcome FROM audit_event WHERE request_id = $1`, [requestId]);
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['chart.read', 'fhir.patient.everything', 'intake.read', 'plan.read']));
    expect(events.every((e) => e.outcome === 'SUCCESS')).toBe(true);
  });

  it('refuses the front desk (403), a missing token (401) and a malformed id (400), each as an OperationOutcome', async () => {
    const id = clients[0].id;
    const desk = await get(`/fhir/Patient/${id}/$everything`, frontDesk);
    expect(desk.status).toBe(403);
    const outcome = (await desk.json()) as Outcome;
    expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] });
    expect(outcome.issue[0].diagnostics).toMatch(/^Only an organization admin, a clinic manager or a practitioner can export a client’s record \(FHIR\); you are signed in as the front desk\.$/);
    expect(structureErrors(outcome as unknown as FhirResource)).toEqual([]);
    const anon = await get(`/fhir/Patient/${id}/$everything`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as Outcome).issue[0].code).toBe('login');
    const bad = await get(`/fhir/Patient/not-a-uuid/$everything`, admin);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Outcome).issue[0].diagnostics).toMatch(/id: must be an id/);
    expect((await get(`/fhir/Patient/${id}/$everything`, admin).then((r) => r.status))).toBe(200);
  });

  it("answers another organization's client with 404, saying nothing of it, and audits the attempt DENIED", async () => {
    const id = clients[0].id;
    const res = await get(`/fhir/Patient/${id}/$everything`, partner);
    expect(res.status).toBe(404);
    const body = (await res.json()) as Outcome;
    expect(body.issue[0].code).toBe('not-found');
    expect(JSON.stringify(body)).not.toMatch(/Fascia Demo|\d{4}-\d{2}-\d{2}/);
    const [denied] = await t.tdb.dataSource.query(`SELECT organization_id, outcome, record_id FROM audit_event WHERE request_id = $1 AND action = 'fhir.patient.everything'`, [res.headers.get('x-request-id')]);
    expect(denied).toMatchObject({ outcome: 'DENIED', record_id: id });
    expect(denied.organization_id).not.toBe(orgId);
    // The same for a client that exists nowhere.
    expect((await get(`/fhir/Patient/00000000-0000-4000-8000-000000000000/$everything`, admin)).status).toBe(404);
    expect((await get('/fhir/Patient/%E0%A4%A/$everything', admin)).status).toBe(404);
  });

  it("answers 404 to a clinic manager for a client of clinics their role does not reach", async () => {
    const [london] = await t.tdb.dataSource.query(`SELECT clinic_ids FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.email = 'manager@demo.fascia.test'`);
    const elsewhere = (
      await t.tdb.dataSource.query(
        `SELECT c.id FROM client c WHERE c.organization_id = $1 AND NOT c.clinic_ids && $2::uuid[]
           AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.client_id = c.id AND a.clinic_id = ANY($2::uuid[]))
           AND NOT EXISTS (SELECT 1 FROM intake i WHERE i.client_id = c.id AND i.clinic_id = ANY($2::uuid[])) LIMIT 1`,
        [orgId, london.clinic_ids],
      )
    )[0];
    expect(elsewhere).toBeDefined();
    expect((await get(`/fhir/Patient/${elsewhere.id}/$everything`, manager)).status).toBe(404);
  });

  describe('whole-organization export (NDJSON, through the worker)', () => {
    let worker: RunningWorker;
    beforeAll(async () => {
      worker = await startWorker(testWorkerConfig(t.tdb.runtimeUrl, { kind: 'postgres', connectionString: t.tdb.runtimeUrl }, { schedulers: false, fhirExportDir: exportDir }), {
        logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      });
    });
    afterAll(() => worker?.stop());

    const EXPORT = `query($id: ID!) { fhirExport(id: $id) { id status rowsDone rowsTotal error expiresAt files { type count bytes url } } }`;

    it('is for organization admins only', async () => {
      const res = await t.gql(`mutation { startFhirExport { id } }`, {}, manager);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(res.errors?.[0].message).toBe('Only an organization admin can export the whole organization (FHIR); you are signed in as a clinic manager.');
    });

    it('writes one file per resource type with progress, every resource valid R4 and every reference resolving; downloads need the token; old exports expire', async () => {
      const started = await t.gql(`mutation { startFhirExport { id status } }`, {}, admin);
      expect(started.errors).toBeUndefined();
      const id = started.data!.startFhirExport.id as string;
      expect(started.data!.startFhirExport.status).toBe('QUEUED');
      // A second one while it runs is refused.
      const again = await t.gql(`mutation { startFhirExport { id } }`, {}, admin);
      expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');

      const progress: number[] = [];
      const done = await waitFor(
        'the export to finish',
        async () => {
          const e = (await t.gql(EXPORT, { id }, admin)).data?.fhirExport;
          if (e && !progress.includes(e.rowsDone)) progress.push(e.rowsDone);
          return e?.status === 'DONE' || e?.status === 'FAILED' ? e : undefined;
        },
        { progress: async () => progress[progress.length - 1] ?? 0 },
      );
      expect([done.status, done.error]).toEqual(['DONE', null]);
      expect(done.rowsDone).toBe(done.rowsTotal);
      expect(done.rowsTotal).toBeGreaterThan(500);
      expect(new Set(done.files.map((f: { type: string }) => f.type))).toEqual(
        new Set(['Patient', 'Organization', 'Location', 'Practitioner', 'PractitionerRole', 'QuestionnaireResponse', 'CarePlan', 'ServiceRequest', 'Appointment', 'Encounter', 'Observation']),
      );

      const all: FhirResource[] = [];
      for (const f of done.files as { type: string; count: number; bytes: number; url: string }[]) {
        expect((await get(f.url)).status).toBe(401);
        expect((await get(f.url, manager)).status).toBe(403);
        const res = await get(f.url, admin);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/fhir+ndjson');
        const text = await res.text();
        expect(Buffer.byteLength(text)).toBe(f.bytes);
        const lines = text.trimEnd().split('\n');
        expect(lines).toHaveLength(f.count);
        const resources = lines.map((l) => JSON.parse(l) as FhirResource);
        expect(resources.every((r) => r.resourceType === f.type)).toBe(true);
        all.push(...resources);
      }
      expect(allErrors(all)).toEqual([]);
      const ids = new Set(all.map((r) => `${r.resourceType}/${r.id}`));
      expect(ids.size).toBe(all.length);
      const dangling = all.flatMap((r) => referencesIn(r).filter((ref: string) => !ids.has(ref)).map((ref: string) => `${r.resourceType}/${r.id} → ${ref}`));
      expect(dangling).toEqual([]);
      const [{ n }] = await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM appointment WHERE organization_id = $1`, [orgId]);
      expect(all.filter((r) => r.resourceType === 'Appointment')).toHaveLength(n);
      // Another organization's admin cannot fetch it.
      expect((await get(done.files[0].url, partner)).status).toBe(404);

      // Expiry: once past it, the files are refused (410) and deleted by the next export.
      await t.tdb.dataSource.query(`UPDATE fhir_export SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
      expect((await get(done.files[0].url, admin)).status).toBe(410);
      const folder = path.join(exportDir, orgId, id);
      expect(existsSync(folder)).toBe(true);
      const next = (await t.gql(`mutation { startFhirExport { id } }`, {}, admin)).data!.startFhirExport.id as string;
      await waitFor('the second export', async () => ((await t.gql(EXPORT, { id: next }, admin)).data?.fhirExport.status === 'DONE' ? true : undefined));
      expect(existsSync(folder)).toBe(false);
      const [old] = await t.tdb.dataSource.query(`SELECT status, files FROM fhir_export WHERE id = $1`, [id]);
      expect(old).toEqual({ status: 'EXPIRED', files: [] });
    });
  });
});
