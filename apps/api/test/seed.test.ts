import { Clinic, Practitioner, PractitionerAvailability } from '@fascia/db';
import { DEMO_ADMIN, DEMO_THERAPIST, seedDemo } from '../src/seed';
import { PARTNER_ADMIN, PARTNER_SLUG } from '../src/seed-referrals';
import { SIGN_IN, startTestApi, type TestApi } from './harness';

describe('demo seed', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.stop());

  it('creates three clinics in three time zones and every discipline, once', async () => {
    const first = await seedDemo(t.tdb.dataSource);
    const second = await seedDemo(t.tdb.dataSource);
    expect(first.created).toBe(true);
    expect(second).toEqual({ created: false, organizationId: first.organizationId });
    const clinics = await t.tdb.dataSource.getRepository(Clinic).find();
    expect(new Set(clinics.map((c) => c.timeZone)).size).toBe(3);
    const disciplines = new Set((await t.tdb.dataSource.getRepository(Practitioner).find()).map((p) => p.discipline));
    expect([...disciplines].sort()).toEqual(['ACUPUNCTURIST', 'MASSAGE_THERAPIST', 'PAIN_SPECIALIST', 'PHYSICIAN', 'PHYSIOTHERAPIST']);
    expect(await t.tdb.dataSource.getRepository(PractitionerAvailability).count()).toBeGreaterThan(20);
    const signIn = await t.gql(SIGN_IN, { input: DEMO_ADMIN });
    expect(signIn.data?.signIn.me.organization.name).toBe('Fascia Demo Chain');
    // A therapist with her own login, acting as her practitioner record (she lands on her day).
    const maya = await t.gql(SIGN_IN, { input: DEMO_THERAPIST });
    expect(maya.data?.signIn.me.roles).toEqual(['PRACTITIONER']);
    const [linked] = await t.tdb.dataSource.query(`SELECT p.display_name FROM practitioner p JOIN app_user u ON u.id = p.user_id WHERE u.email = $1`, [DEMO_THERAPIST.email]);
    expect(linked.display_name).toBe('Maya Okafor');
  });

  it('gives the chain months of care to show: improving and stalling clients, re-assessments, a blocked intake, upcoming visits', async () => {
    const q = async (sql: string): Promise<Record<string, number | string>[]> => t.tdb.dataSource.query(sql);
    const [{ clients }] = await q(`SELECT count(*)::int AS clients FROM client WHERE organization_id = (SELECT id FROM organization WHERE slug = 'fascia-demo-chain')`);
    expect(clients).toBe(24);
    const [{ blocked }] = await q(`SELECT count(*)::int AS blocked FROM intake WHERE blocked`);
    expect(blocked).toBe(1);
    const [past] = await q(`SELECT count(*)::int AS n, min(starts_at) AS first FROM appointment WHERE status = 'COMPLETED' AND starts_at < now()`);
    expect(past.n).toBeGreaterThan(150);
    expect(new Date(past.first as string).getTime()).toBeLessThan(Date.now() - 12 * 7 * 86_400_000);
    const [{ signed }] = await q(`SELECT count(*)::int AS signed FROM session_note WHERE signed_at IS NOT NULL`);
    expect(signed).toBe(past.n);
    const [{ upcoming }] = await q(`SELECT count(*)::int AS upcoming FROM appointment WHERE status = 'BOOKED' AND starts_at > now()`);
    expect(upcoming).toBeGreaterThan(30);
    const decisions = (await q(`SELECT DISTINCT decision FROM reassessment WHERE status = 'ACCEPTED'`)).map((r) => r.decision);
    expect(decisions).toEqual(expect.arrayContaining(['STEP_DOWN', 'CHANGE_APPROACH', 'MOVE_TO_MAINTENANCE', 'REFER']));
    const statuses = (await q(`SELECT DISTINCT status FROM treatment_plan`)).map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining(['ACTIVE', 'MAINTENANCE', 'PROPOSED']));
    // Trajectories: first and last check-in pain per client; most fall, some stay flat.
    const courses = await q(`SELECT n.client_id,
        (array_agg((checkin->>'painNow')::int ORDER BY a.starts_at))[1] AS first,
        (array_agg((checkin->>'painNow')::int ORDER BY a.starts_at DESC))[1] AS last
      FROM session_note n JOIN appointment a ON a.id = n.appointment_id GROUP BY n.client_id`);
    const falling = courses.filter((c) => Number(c.last) <= Number(c.first) - 2).length;
    const flat = courses.filter((c) => Math.abs(Number(c.last) - Number(c.first)) <= 1).length;
    expect(falling).toBeGreaterThanOrEqual(10);
    expect(flat).toBeGreaterThanOrEqual(4);
    // Nothing overlaps (the exclusion constraints held while seeding).
    const [{ overlaps }] = await q(`SELECT count(*)::int AS overlaps FROM appointment a JOIN appointment b
      ON a.id < b.id AND a.practitioner_id = b.practitioner_id AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
      WHERE a.status IN ('BOOKED','CHECKED_IN','COMPLETED') AND b.status IN ('BOOKED','CHECKED_IN','COMPLETED')`);
    expect(overlaps).toBe(0);
  });

  it('gives the chain a referral partner: an independent physiotherapy and pain clinic with its own logins, in an ACTIVE partnership', async () => {
    const q = async (sql: string, params: unknown[] = []): Promise<Record<string, string>[]> => t.tdb.dataSource.query(sql, params);
    const [partner] = await q(`SELECT id, name FROM organization WHERE slug = $1`, [PARTNER_SLUG]);
    expect(partner.name).toBe('Harbour Physio & Pain Clinic');
    const sides = await q(`SELECT organization_id, direction, status FROM partnership WHERE $1 IN (organization_id, partner_organization_id) ORDER BY direction`, [partner.id]);
    expect(sides.map((s) => [s.direction, s.status])).toEqual([['INCOMING', 'ACTIVE'], ['OUTGOING', 'ACTIVE']]);
    const signIn = await t.gql(SIGN_IN, { input: PARTNER_ADMIN });
    expect(signIn.data?.signIn.me.organization.name).toBe('Harbour Physio & Pain Clinic');
    const directory = await t.gql(`{ referralDirectory(filter: { discipline: PHYSIOTHERAPIST }) { nodes { isOwnOrganization organization { name } practitioner { displayName } } } }`, {}, signIn.data?.signIn.accessToken);
    const names = directory.data?.referralDirectory.nodes.map((n: { organization: { name: string }; practitioner: { displayName: string } | null }) => `${n.organization.name}/${n.practitioner?.displayName ?? 'POOL'}`);
    expect(names).toEqual(expect.arrayContaining(['Harbour Physio & Pain Clinic/Dr. Owen Hale', 'Fascia Demo Chain/Dr. Priya Nair']));
  });

  it('seeds referrals between the two in every state, each with its other side, events and a few threads', async () => {
    const q = async (sql: string): Promise<Record<string, any>[]> => t.tdb.dataSource.query(sql);
    const statuses = (await q(`SELECT DISTINCT status FROM referral`)).map((r) => r.status).sort();
    expect(statuses).toEqual(['ACCEPTED', 'CANCELLED', 'CLOSED', 'COMPLETED', 'DECLINED', 'DRAFT', 'EXPIRED', 'SCHEDULED', 'SENT']);
    // Every sent referral has its receiver's row with the same status.
    const [{ unmatched }] = await q(`SELECT count(*)::int AS unmatched FROM referral r LEFT JOIN referral_inbox i ON i.id = r.id AND i.status = r.status WHERE r.status <> 'DRAFT' AND i.id IS NULL`);
    expect(unmatched).toBe(0);
    const [{ directions }] = await q(`SELECT count(DISTINCT organization_id)::int AS directions FROM referral`);
    expect(directions).toBe(2);
    const [{ withdrawn }] = await q(`SELECT count(*)::int AS withdrawn FROM referral WHERE consent_withdrawn_at IS NOT NULL`);
    expect(withdrawn).toBe(1);
    const [{ booked }] = await q(`SELECT count(*)::int AS booked FROM referral_inbox WHERE appointment_id IS NOT NULL AND local_client_id IS NOT NULL`);
    expect(booked).toBeGreaterThanOrEqual(3);
    const [{ replies }] = await q(`SELECT count(*)::int AS replies FROM referral WHERE reply IS NOT NULL`);
    expect(replies).toBe(2);
    const [{ threads }] = await q(`SELECT count(DISTINCT referral_id)::int AS threads FROM referral_message`);
    expect(threads).toBeGreaterThanOrEqual(4);
    // The expired one was expired as the worker's sweep does it: its notice and its webhook event, one transaction.
    const expiry = await q(
      `SELECT o.job_name, o.created_at FROM outbox_message o JOIN referral r ON r.status = 'EXPIRED' AND o.organization_id = r.organization_id
        WHERE (o.job_name = 'referral.changed' AND o.payload->>'referralId' = r.id::text AND o.payload->>'toStatus' = 'EXPIRED')
           OR (o.job_name = 'webhook.event' AND o.payload->>'type' = 'referral.expired' AND o.payload->'data'->>'referralId' = r.id::text)
        ORDER BY o.job_name`,
    );
    expect(expiry.map((e) => e.job_name)).toEqual(['referral.changed', 'webhook.event']);
    expect(expiry[0].created_at.getTime()).toBe(expiry[1].created_at.getTime());
  });
});
