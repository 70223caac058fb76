import { Client } from 'pg';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';

/**
 * An organization can neither read nor change another's clinics, practitioners or users:
 * through the API (first lock: tenant-scoped repositories) and, as the application's
 * database role, through SQL directly (second lock: row-level security).
 */
describe('tenant isolation', () => {
  let t: TestApi;
  let a: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let b: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let bClinic: string;
  let bPractitioner: string;
  beforeAll(async () => {
    t = await startTestApi();
    a = await t.orgWithAdmin('Alpha Chain');
    b = await t.orgWithAdmin('Beta Chain');
    bClinic = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Beta Main' }) }, b.token)).data?.createClinic.id;
    bPractitioner = (
      await t.gql(
        `mutation { createPractitioner(input: { displayName: "Beta Therapist", discipline: MASSAGE_THERAPIST, modalities: [SWEDISH] }) { id } }`,
        {},
        b.token,
      )
    ).data?.createPractitioner.id;
    await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Alpha Main' }) }, a.token);
  });
  afterAll(() => t.stop());

  describe('through the API', () => {
    it('does not show another organization’s clinic, practitioner or members', async () => {
      const res = await t.gql(
        `query Q($c: ID!, $p: ID!) { clinic(id: $c) { id } practitioner(id: $p) { id }
          clinics { nodes { name } } practitioners { nodes { displayName } } members { nodes { user { email } } } }`,
        { c: bClinic, p: bPractitioner },
        a.token,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.clinic).toBeNull();
      expect(res.data?.practitioner).toBeNull();
      expect(res.data?.clinics.nodes).toEqual([{ name: 'Alpha Main' }]);
      expect(res.data?.practitioners.nodes).toEqual([]);
      expect(res.data?.members.nodes).toEqual([{ user: { email: a.email } }]);
    });

    it.each([
      ['update its clinic', `mutation M($c: ID!) { updateClinic(id: $c, input: { name: "Taken" }) { id } }`, 'NOT_FOUND'],
      ['add a room to its clinic', `mutation M($c: ID!) { createRoom(input: { clinicId: $c, name: "Sneaky" }) { id } }`, 'NOT_FOUND'],
      ['set its practitioner’s availability', `mutation M($p: ID!, $c: ID!) { setPractitionerAvailability(practitionerId: $p, windows: [{ clinicId: $c, weekday: 1, start: "09:00", end: "10:00" }]) { id } }`, 'NOT_FOUND'],
      ['clear its practitioner’s availability', `mutation M($p: ID!, $c: ID!) { clearPractitionerAvailability(practitionerId: $p, clinicId: $c) { id } }`, 'NOT_FOUND'],
      ['link its practitioner to my login', `mutation M($p: ID!, $u: ID!) { linkPractitionerLogin(practitionerId: $p, userId: $u) { id } }`, 'NOT_FOUND'],
      ['rename its practitioner', `mutation M($p: ID!) { updatePractitioner(id: $p, input: { displayName: "Mine" }) { id } }`, 'NOT_FOUND'],
      ['schedule availability at its clinic', `mutation M($c: ID!) { createPractitioner(input: { displayName: "X", discipline: PHYSICIAN, modalities: [], availability: [{ clinicId: $c, weekday: 1, start: "09:00", end: "10:00" }] }) { id } }`, 'BAD_USER_INPUT'],
      ['invite staff into its clinic', `mutation M($c: ID!) { inviteStaff(input: { email: "spy@example.org", displayName: "Spy", role: FRONT_DESK, clinicIds: [$c] }) { id } }`, 'BAD_USER_INPUT'],
    ])('cannot %s', async (_label, mutation, code) => {
      const res = await t.gql(mutation, { c: bClinic, p: bPractitioner, u: a.userId }, a.token);
      expect(codeOf(res)).toBe(code);
      const check = await t.gql(`query Q($c: ID!, $p: ID!) { clinic(id: $c) { name rooms { name } } practitioner(id: $p) { displayName availability { id } } }`, { c: bClinic, p: bPractitioner }, b.token);
      expect(check.data?.clinic).toEqual({ name: 'Beta Main', rooms: [] });
      expect(check.data?.practitioner).toEqual({ displayName: 'Beta Therapist', availability: [] });
    });

    it('refuses a token of one organization replayed with another’s id in it (signature check)', async () => {
      const [h, p, s] = a.token.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const tampered = [h, Buffer.from(JSON.stringify({ ...claims, org: b.organizationId })).toString('base64url'), s].join('.');
      expect(codeOf(await t.gql(`{ clinics { nodes { name } } }`, {}, tampered))).toBe('UNAUTHENTICATED');
    });
  });

  describe('as the application role, in SQL', () => {
    let sql: Client;
    beforeAll(async () => {
      sql = new Client({ connectionString: t.tdb.url });
      await sql.connect();
    });
    afterAll(() => sql.end());

    const asTenant = async (org: string | null, fn: () => Promise<void>): Promise<void> => {
      await sql.query('BEGIN');
      try {
        await sql.query(`SELECT set_config('role', 'fascia_app', true), set_config('fascia.org_id', $1, true)`, [org ?? '']);
        await fn();
      } finally {
        await sql.query('ROLLBACK');
      }
    };

    it('sees none of another organization’s rows, even when asking for them by id', async () => {
      await asTenant(a.organizationId, async () => {
        expect((await sql.query('SELECT id FROM clinic WHERE organization_id = $1', [b.organizationId])).rowCount).toBe(0);
        expect((await sql.query('SELECT id FROM practitioner WHERE id = $1', [bPractitioner])).rowCount).toBe(0);
        expect((await sql.query('SELECT id FROM app_user WHERE id = $1', [b.userId])).rowCount).toBe(0);
        expect((await sql.query('SELECT id FROM membership WHERE organization_id = $1', [b.organizationId])).rowCount).toBe(0);
        expect((await sql.query('SELECT id FROM organization WHERE id = $1', [b.organizationId])).rowCount).toBe(0);
        expect((await sql.query('SELECT count(*)::int AS n FROM clinic')).rows[0].n).toBe(1);
      });
    });

    it('changes none of them', async () => {
      await asTenant(a.organizationId, async () => {
        expect((await sql.query(`UPDATE clinic SET name = 'Taken' WHERE id = $1`, [bClinic])).rowCount).toBe(0);
        expect((await sql.query(`DELETE FROM practitioner_availability WHERE organization_id = $1`, [b.organizationId])).rowCount).toBe(0);
        expect((await sql.query(`UPDATE app_user SET display_name = 'x' WHERE id = $1`, [b.userId])).rowCount).toBe(0);
      });
      await asTenant(a.organizationId, async () => {
        await expect(
          sql.query(
            `INSERT INTO clinic (organization_id, name, address_line1, city, country, time_zone) VALUES ($1, 'Planted', 'x', 'y', 'GB', 'Europe/London')`,
            [b.organizationId],
          ),
        ).rejects.toThrow(/row-level security/);
      });
      await asTenant(a.organizationId, async () => {
        await expect(sql.query(`UPDATE clinic SET organization_id = $1`, [b.organizationId])).rejects.toThrow(/row-level security/);
      });
    });

    it('sees nothing at all without a tenant, and cannot read auth tables or bypass RLS', async () => {
      await asTenant(null, async () => {
        expect((await sql.query('SELECT id FROM clinic')).rowCount).toBe(0);
        expect((await sql.query('SELECT id FROM app_user')).rowCount).toBe(0);
      });
      await asTenant(a.organizationId, async () => {
        await expect(sql.query('SELECT * FROM refresh_token')).rejects.toThrow(/permission denied/);
      });
      await asTenant(a.organizationId, async () => {
        await expect(sql.query('ALTER TABLE clinic DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
      });
      await asTenant(a.organizationId, async () => {
        const { rows } = await sql.query(`SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = 'fascia_app'`);
        expect(rows[0]).toEqual({ rolbypassrls: false, rolsuper: false });
      });
    });

    it('keeps the audit log append-only, even for the owner', async () => {
      await asTenant(a.organizationId, async () => {
        await expect(sql.query(`UPDATE audit_event SET action = 'x'`)).rejects.toThrow(/permission denied/);
      });
      await expect(sql.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'clinic.create'`);
      expect(rows[0].n).toBe(2);
    });
  });
});
