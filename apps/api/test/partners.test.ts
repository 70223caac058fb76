import { Partnership } from '@fascia/db';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';
import { member } from './intake-plan.fixtures';

const PARTNERS = `{ referralPartners { id direction status note endReason respondedAt endedAt partnerOrganization { id name slug } } }`;
const INVITE = `mutation I($input: InvitePartnerInput!) { invitePartner(input: $input) { id direction status note partnerOrganization { id name slug } } }`;
const RESPOND = `mutation R($input: RespondToPartnerInvitationInput!) { respondToPartnerInvitation(input: $input) { id direction status respondedAt } }`;
const END = `mutation E($input: EndPartnershipInput!) { endPartnership(input: $input) { id status endedAt endReason endedByOrganizationId } }`;
const DIRECTORY = `query D($filter: DirectoryFilter, $first: Int, $after: String) {
  referralDirectory(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id discipline isOwnOrganization practitioner { id displayName discipline modalities }
            clinic { id name city country timeZone addressLine1 postalCode } organization { id name slug } }
  }
}`;
const CREATE_PRACTITIONER = `mutation P($input: CreatePractitionerInput!) { createPractitioner(input: $input) { id } }`;

type Admin = Awaited<ReturnType<TestApi['orgWithAdmin']>>;
interface Org extends Admin {
  slug: string;
  clinicId: string;
}

describe('referral partners and the directory', () => {
  let t: TestApi;
  let slugs = 0;
  const org = async (name: string, city = 'London', country = 'GB', timeZone = 'Europe/London'): Promise<Org> => {
    const admin = await t.orgWithAdmin(name);
    const slug = `org-${++slugs}-${Date.now().toString(36)}`;
    await t.tdb.dataSource.query(`UPDATE organization SET slug = $1 WHERE id = $2`, [slug, admin.organizationId]);
    const clinic = await t.gql(CREATE_CLINIC, { input: clinicInput({ name: `${name} clinic`, city, country, timeZone }) }, admin.token);
    return { ...admin, slug, clinicId: clinic.data?.createClinic.id };
  };
  const practitioner = async (o: Org, displayName: string, discipline: string, modalities: string[], clinicId = o.clinicId) => {
    const res = await t.gql(
      CREATE_PRACTITIONER,
      { input: { displayName, discipline, modalities, availability: [{ clinicId, weekday: 1, start: '09:00', end: '12:00' }, { clinicId, weekday: 3, start: '09:00', end: '12:00' }] } },
      o.token,
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.createPractitioner.id as string;
  };
  const partnershipRows = (id: string) => t.tdb.dataSource.getRepository(Partnership).find({ where: { id }, order: { direction: 'ASC' } });
  const invite = async (from: Org, to: Org, note: string | null = null) => {
    const res = await t.gql(INVITE, { input: { organizationSlug: to.slug, note } }, from.token);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.invitePartner.id as string;
  };
  const directory = async (o: { token: string }, filter: Record<string, unknown> = {}, first = 200) => {
    const res = await t.gql(DIRECTORY, { filter, first }, o.token);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.referralDirectory as { totalCount: number; nodes: any[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };

  let massage: Org;
  let physio: Org;
  beforeAll(async () => {
    t = await startTestApi();
    massage = await org('Massage Chain');
    physio = await org('Physio And Pain', 'Bristol');
  });
  afterAll(() => t.stop());

  it('invites by slug, the other side accepts: one row per side with the same id, both ACTIVE', async () => {
    const res = await t.gql(INVITE, { input: { organizationSlug: ` ${physio.slug.toUpperCase()} `, note: 'Shared clients in Bristol' } }, massage.token);
    expect(res.errors).toBeUndefined();
    const inv = res.data?.invitePartner;
    expect(inv).toMatchObject({ direction: 'OUTGOING', status: 'INVITED', note: 'Shared clients in Bristol', partnerOrganization: { id: physio.organizationId, name: 'Physio And Pain', slug: physio.slug } });

    const incoming = (await t.gql(PARTNERS, {}, physio.token)).data?.referralPartners;
    expect(incoming).toEqual([expect.objectContaining({ id: inv.id, direction: 'INCOMING', status: 'INVITED', partnerOrganization: { id: massage.organizationId, name: 'Massage Chain', slug: massage.slug } })]);

    const accepted = await t.gql(RESPOND, { input: { id: inv.id, accept: true } }, physio.token);
    expect(accepted.data?.respondToPartnerInvitation).toMatchObject({ id: inv.id, direction: 'INCOMING', status: 'ACTIVE' });
    const rows = await partnershipRows(inv.id);
    expect(rows.map((r) => [r.organizationId, r.direction, r.status])).toEqual([
      [physio.organizationId, 'INCOMING', 'ACTIVE'],
      [massage.organizationId, 'OUTGOING', 'ACTIVE'],
    ]);
    expect((await t.gql(PARTNERS, {}, massage.token)).data?.referralPartners[0]).toMatchObject({ status: 'ACTIVE', respondedAt: expect.any(String) });
  });

  it('a non-admin cannot invite, answer or end, but can read the list', async () => {
    const other = await org('Non Admin Target');
    const frontDesk = await member(t, massage.organizationId, 'FRONT_DESK');
    const manager = await member(t, massage.organizationId, 'CLINIC_MANAGER', [massage.clinicId]);
    expect(codeOf(await t.gql(INVITE, { input: { organizationSlug: other.slug } }, frontDesk.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(INVITE, { input: { organizationSlug: other.slug } }, manager.token))).toBe('FORBIDDEN');
    const id = await invite(other, massage);
    expect(codeOf(await t.gql(RESPOND, { input: { id, accept: true } }, manager.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(END, { input: { id, reason: 'no' } }, frontDesk.token))).toBe('FORBIDDEN');
    expect((await partnershipRows(id)).map((r) => r.status)).toEqual(['INVITED', 'INVITED']);
    const list = (await t.gql(PARTNERS, {}, frontDesk.token)).data?.referralPartners;
    expect(list.map((p: { id: string }) => p.id)).toContain(id);
  });

  it('refuses an unknown slug (NOT_FOUND), your own (BAD_USER_INPUT), a malformed one, and a duplicate (CONFLICT), storing nothing', async () => {
    const before = await t.tdb.dataSource.getRepository(Partnership).count();
    const unknown = await t.gql(INVITE, { input: { organizationSlug: 'no-such-organization' } }, massage.token);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.organizationSlug' });
    expect(unknown.errors?.[0].message).toMatch(/no-such-organization/);
    const self = await t.gql(INVITE, { input: { organizationSlug: massage.slug } }, massage.token);
    expect(self.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.organizationSlug' });
    expect(codeOf(await t.gql(INVITE, { input: { organizationSlug: 'Not a slug!' } }, massage.token))).toBe('BAD_USER_INPUT');
    // Already ACTIVE, from either side.
    const again = await t.gql(INVITE, { input: { organizationSlug: physio.slug } }, massage.token);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0].message).toMatch(/already your referral partner/);
    expect(codeOf(await t.gql(INVITE, { input: { organizationSlug: massage.slug } }, physio.token))).toBe('CONFLICT');
    // Invited, not answered: a second invitation from either side.
    const third = await org('Third Party');
    await invite(massage, third);
    expect(codeOf(await t.gql(INVITE, { input: { organizationSlug: third.slug } }, massage.token))).toBe('CONFLICT');
    const back = await t.gql(INVITE, { input: { organizationSlug: massage.slug } }, third.token);
    expect(back.errors?.[0].message).toMatch(/already invited your organization; accept their invitation/);
    expect(await t.tdb.dataSource.getRepository(Partnership).count()).toBe(before + 2);
  });

  it('declines; only the invited side answers; answering twice is CONFLICT; an unknown id is NOT_FOUND', async () => {
    const a = await org('Decline A');
    const b = await org('Decline B');
    const id = await invite(a, b);
    expect(codeOf(await t.gql(RESPOND, { input: { id, accept: true } }, a.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(RESPOND, { input: { id, accept: true } }, massage.token))).toBe('NOT_FOUND');
    expect((await t.gql(RESPOND, { input: { id, accept: false } }, b.token)).data?.respondToPartnerInvitation.status).toBe('DECLINED');
    expect(codeOf(await t.gql(RESPOND, { input: { id, accept: true } }, b.token))).toBe('CONFLICT');
    expect((await partnershipRows(id)).map((r) => r.status)).toEqual(['DECLINED', 'DECLINED']);
    // Declined is not open: a new invitation may follow.
    expect(codeOf(await t.gql(INVITE, { input: { organizationSlug: a.slug } }, b.token))).toBeUndefined();
  });

  it('either side ends a partnership with a reason; ending twice is CONFLICT; a blank reason changes nothing', async () => {
    const a = await org('End A');
    const b = await org('End B');
    const id = await invite(a, b);
    await t.gql(RESPOND, { input: { id, accept: true } }, b.token);
    expect(codeOf(await t.gql(END, { input: { id, reason: '  ' } }, b.token))).toBe('BAD_USER_INPUT');
    expect((await partnershipRows(id)).map((r) => r.status)).toEqual(['ACTIVE', 'ACTIVE']);
    const ended = await t.gql(END, { input: { id, reason: 'Clinic closing' } }, b.token);
    expect(ended.data?.endPartnership).toMatchObject({ status: 'ENDED', endReason: 'Clinic closing', endedByOrganizationId: b.organizationId });
    const rows = await partnershipRows(id);
    expect(rows.map((r) => [r.status, r.endReason, r.endedByOrganizationId])).toEqual([
      ['ENDED', 'Clinic closing', b.organizationId],
      ['ENDED', 'Clinic closing', b.organizationId],
    ]);
    expect(codeOf(await t.gql(END, { input: { id, reason: 'again' } }, a.token))).toBe('CONFLICT');
    // The inviter withdraws an unanswered invitation the same way.
    const c = await org('End C');
    const pending = await invite(a, c);
    expect((await t.gql(END, { input: { id: pending, reason: 'Sent by mistake' } }, a.token)).data?.endPartnership.status).toBe('ENDED');
    expect(codeOf(await t.gql(RESPOND, { input: { id: pending, accept: true } }, c.token))).toBe('CONFLICT');
  });

  it('answering and ending at once: one wins, the other is CONFLICT, both sides agree', async () => {
    const a = await org('Race A');
    const b = await org('Race B');
    for (let i = 0; i < 4; i++) {
      const id = await invite(a, b);
      const [answer, end] = await Promise.all([
        t.gql(RESPOND, { input: { id, accept: true } }, b.token),
        t.gql(END, { input: { id, reason: 'Withdrawn' } }, a.token),
      ]);
      const rows = await partnershipRows(id);
      expect(rows[0].status).toBe(rows[1].status);
      const codes = [codeOf(answer), codeOf(end)];
      if (rows[0].status === 'ENDED') {
        // The end won outright, or came after the acceptance (ending an ACTIVE partnership): never a half-written pair.
        expect(codes[1]).toBeUndefined();
        expect([undefined, 'CONFLICT']).toContain(codes[0]);
      } else {
        expect(rows[0].status).toBe('ACTIVE');
        expect(codes).toEqual([undefined, 'CONFLICT']);
        await t.gql(END, { input: { id, reason: 'cleanup' } }, a.token);
      }
    }
  });

  describe('the directory', () => {
    let own: Org;
    let active: Org;
    let invited: Org;
    let declined: Org;
    let ended: Org;
    let stranger: Org;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      own = await org('Directory Own');
      active = await org('Directory Active Partner', 'Manchester');
      invited = await org('Directory Invited');
      declined = await org('Directory Declined');
      ended = await org('Directory Ended');
      stranger = await org('Directory Stranger');
      ids.ownMassage = await practitioner(own, 'Own Massage', 'MASSAGE_THERAPIST', ['SWEDISH', 'DEEP_TISSUE']);
      const second = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Active Second Clinic', city: 'Paris', country: 'FR', timeZone: 'Europe/Paris' }) }, active.token)).data?.createClinic.id;
      ids.activeSecondClinic = second;
      ids.activePhysio = await practitioner(active, 'Active Physio', 'PHYSIOTHERAPIST', ['PHYSIOTHERAPY']);
      ids.activePhysio2 = await practitioner(active, 'Active Physio Two', 'PHYSIOTHERAPIST', ['PHYSIOTHERAPY', 'ACUPUNCTURE']);
      ids.activePain = await practitioner(active, 'Active Pain', 'PAIN_SPECIALIST', [], second);
      ids.archived = await practitioner(active, 'Active Archived', 'PHYSIOTHERAPIST', ['PHYSIOTHERAPY']);
      await t.tdb.dataSource.query(`UPDATE practitioner SET archived_at = now() WHERE id = $1`, [ids.archived]);
      // Weekly hours only: a practitioner with none appears nowhere.
      await t.gql(CREATE_PRACTITIONER, { input: { displayName: 'Active Unscheduled', discipline: 'PHYSIOTHERAPIST', modalities: [], availability: [] } }, active.token);
      for (const o of [invited, declined, ended, stranger]) ids[o.slug] = await practitioner(o, `${o.slug} physio`, 'PHYSIOTHERAPIST', ['PHYSIOTHERAPY']);

      const a = await invite(own, active);
      await t.gql(RESPOND, { input: { id: a, accept: true } }, active.token);
      await invite(own, invited);
      const d = await invite(declined, own);
      await t.gql(RESPOND, { input: { id: d, accept: false } }, own.token);
      const e = await invite(own, ended);
      await t.gql(RESPOND, { input: { id: e, accept: true } }, ended.token);
      await t.gql(END, { input: { id: e, reason: 'Ended' } }, ended.token);
    });

    it('lists the own organization first, then ACTIVE partners; pools per clinic and discipline; nothing of invited, declined, ended or unrelated organizations', async () => {
      const d = await directory(own);
      const orgs = new Set(d.nodes.map((n) => n.organization.id));
      expect([...orgs]).toEqual([own.organizationId, active.organizationId]);
      const line = (n: any) => `${n.isOwnOrganization ? 'own' : 'partner'} | ${n.clinic.name} | ${n.discipline} | ${n.practitioner?.displayName ?? 'POOL'}`;
      expect(d.nodes.map(line)).toEqual([
        'own | Directory Own clinic | MASSAGE_THERAPIST | POOL',
        'own | Directory Own clinic | MASSAGE_THERAPIST | Own Massage',
        'partner | Active Second Clinic | PAIN_SPECIALIST | POOL',
        'partner | Active Second Clinic | PAIN_SPECIALIST | Active Pain',
        'partner | Directory Active Partner clinic | PHYSIOTHERAPIST | POOL',
        'partner | Directory Active Partner clinic | PHYSIOTHERAPIST | Active Physio',
        'partner | Directory Active Partner clinic | PHYSIOTHERAPIST | Active Physio Two',
      ]);
      expect(d.totalCount).toBe(7);
      expect(d.nodes[5]).toMatchObject({
        practitioner: { id: ids.activePhysio, displayName: 'Active Physio', discipline: 'PHYSIOTHERAPIST', modalities: ['PHYSIOTHERAPY'] },
        clinic: { name: 'Directory Active Partner clinic', city: 'Manchester', country: 'GB', timeZone: 'Europe/London', addressLine1: '1 High Street' },
        organization: { name: 'Directory Active Partner', slug: active.slug },
        isOwnOrganization: false,
      });
      const text = JSON.stringify(d);
      for (const o of [invited, declined, ended, stranger]) {
        expect(text).not.toContain(o.organizationId);
        expect(text).not.toContain(ids[o.slug]);
      }
      // The stranger sees only itself.
      expect(new Set((await directory(stranger)).nodes.map((n) => n.organization.id))).toEqual(new Set([stranger.organizationId]));
      // The partner sees the own organization in turn.
      expect(new Set((await directory(active)).nodes.map((n) => n.organization.id))).toEqual(new Set([active.organizationId, own.organizationId]));
    });

    it('filters by discipline, modality, city, country, organization and clinic', async () => {
      const names = async (filter: Record<string, unknown>) => (await directory(own, filter)).nodes.map((n) => `${n.clinic.name}/${n.practitioner?.displayName ?? 'POOL'}`);
      expect(await names({ discipline: 'PHYSIOTHERAPIST' })).toEqual([
        'Directory Active Partner clinic/POOL',
        'Directory Active Partner clinic/Active Physio',
        'Directory Active Partner clinic/Active Physio Two',
      ]);
      expect(await names({ modality: 'ACUPUNCTURE' })).toEqual(['Directory Active Partner clinic/POOL', 'Directory Active Partner clinic/Active Physio Two']);
      expect(await names({ city: 'paris' })).toEqual(['Active Second Clinic/POOL', 'Active Second Clinic/Active Pain']);
      expect(await names({ country: 'fr' })).toEqual(['Active Second Clinic/POOL', 'Active Second Clinic/Active Pain']);
      expect(await names({ organizationId: own.organizationId })).toEqual(['Directory Own clinic/POOL', 'Directory Own clinic/Own Massage']);
      expect(await names({ clinicId: ids.activeSecondClinic })).toEqual(['Active Second Clinic/POOL', 'Active Second Clinic/Active Pain']);
      // Naming an organization or clinic that is not a partner's finds nothing (no error that would confirm it exists).
      expect(await names({ organizationId: stranger.organizationId })).toEqual([]);
      expect(await names({ clinicId: stranger.clinicId })).toEqual([]);
      expect(codeOf(await t.gql(DIRECTORY, { filter: { country: 'Britain' } }, own.token))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(DIRECTORY, { filter: { clinicId: 'nope' } }, own.token))).toBe('BAD_USER_INPUT');
    });

    it('pages with cursors through the whole list, and refuses a forged cursor', async () => {
      const all = (await directory(own)).nodes.map((n) => n.id);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const res: any = await t.gql(DIRECTORY, { first: 3, after }, own.token);
        const page = res.data.referralDirectory;
        expect(page.totalCount).toBe(all.length);
        seen.push(...page.nodes.map((n: { id: string }) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(all);
      expect(codeOf(await t.gql(DIRECTORY, { first: 3, after: 'forged' }, own.token))).toBe('BAD_USER_INPUT');
    });

    it('hides a partner at the next request once the partnership ends', async () => {
      const a = await org('Directory Short Lived');
      await practitioner(a, 'Short Lived Physio', 'PHYSIOTHERAPIST', []);
      const id = await invite(own, a);
      await t.gql(RESPOND, { input: { id, accept: true } }, a.token);
      expect((await directory(own, { organizationId: a.organizationId })).totalCount).toBe(2);
      await t.gql(END, { input: { id, reason: 'Short' } }, own.token);
      expect((await directory(own, { organizationId: a.organizationId })).totalCount).toBe(0);
    });

    it('answers the partners list, the directory and the own clinics side by side in one query (the door does not leak its role to the other fields)', async () => {
      const partners = (await t.gql(PARTNERS, {}, own.token)).data?.referralPartners.length;
      for (let i = 0; i < 5; i++) {
        const res = await t.gql(
          `{ referralPartners { id partnerOrganization { name } } referralDirectory { totalCount } clinics(first: 50) { totalCount nodes { name } } d2: referralDirectory(filter: { discipline: PHYSIOTHERAPIST }) { totalCount } }`,
          {},
          own.token,
        );
        expect(res.errors).toBeUndefined();
        expect(res.data?.referralPartners.length).toBe(partners);
        expect(res.data?.clinics.nodes.map((c: { name: string }) => c.name)).toEqual(['Directory Own clinic']);
        expect(res.data?.referralDirectory.totalCount).toBe((await directory(own)).totalCount);
      }
    });

    it('row-level security behind the service: the exchange role sees directory columns of active partners only, and writes only counterpart rows', async () => {
      const asExchange = <T>(fn: (q: (sql: string, params?: unknown[]) => Promise<any[]>) => Promise<T>) =>
        t.tdb.appDataSource.transaction(async (em) => {
          await em.query(`SELECT set_config('role', 'fascia_exchange', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`, [
            own.organizationId,
            own.userId,
          ]);
          return fn((sql, params) => em.query(sql, params));
        });
      const orgsOf = (rows: { organization_id: string }[]) => [...new Set(rows.map((r) => r.organization_id))].sort();
      expect(await asExchange((q) => q(`SELECT DISTINCT organization_id FROM practitioner`).then(orgsOf))).toEqual([own.organizationId, active.organizationId].sort());
      expect(await asExchange((q) => q(`SELECT DISTINCT organization_id FROM clinic`).then(orgsOf))).toEqual([own.organizationId, active.organizationId].sort());
      // Not a directory column: refused outright.
      await expect(asExchange((q) => q(`SELECT email FROM practitioner`))).rejects.toThrow(/permission denied/);
      await expect(asExchange((q) => q(`SELECT phone FROM clinic`))).rejects.toThrow(/permission denied/);
      await expect(asExchange((q) => q(`SELECT user_id FROM practitioner`))).rejects.toThrow(/permission denied/);
      // Organizations: itself and those it has a partnership row with (names of ended partners stay), never a stranger.
      const names = await asExchange((q) => q(`SELECT id FROM organization`).then((r: { id: string }[]) => r.map((o) => o.id)));
      expect(names).toEqual(expect.arrayContaining([own.organizationId, active.organizationId, ended.organizationId, invited.organizationId]));
      expect(names).not.toContain(stranger.organizationId);
      // A partnership row in an organization without a matching row of our own: refused.
      await expect(
        asExchange((q) =>
          q(`INSERT INTO partnership (organization_id, id, partner_organization_id, direction, status, invited_by_user_id) VALUES ($1, gen_random_uuid(), $2, 'INCOMING', 'ACTIVE', $3)`, [
            stranger.organizationId,
            own.organizationId,
            own.userId,
          ]),
        ),
      ).rejects.toThrow(/row-level security/);
      // Nor may it flip a stranger's partnership with someone else.
      const updated = await asExchange((q) => q(`UPDATE partnership SET status = 'ENDED', ended_at = now() WHERE organization_id = $1 RETURNING id`, [stranger.organizationId]));
      expect(updated[0]).toEqual([]);
    });

    it('reads the directory in a fixed number of statements, however many entries', async () => {
      const count = async () => {
        t.tdb.queries.length = 0;
        const d = await directory(own);
        return { statements: t.tdb.queries.length, rows: d.nodes.length };
      };
      const before = await count();
      for (let i = 0; i < 5; i++) await practitioner(active, `Extra ${i}`, 'PHYSIOTHERAPIST', ['PHYSIOTHERAPY'], ids.activeSecondClinic);
      const after = await count();
      expect(after.rows).toBe(before.rows + 6);
      expect(after.statements).toBe(before.statements);
      // BEGIN, the session, the door in and out around the one read, COMMIT.
      expect(after.statements).toBeLessThanOrEqual(6);
    });
  });
});
