import { createHash } from 'node:crypto';
import type { Clock } from '@fascia/db';
import { DateTime } from 'luxon';
import { DEMO_ADMIN, DEMO_THERAPIST, seedDemo } from '../src/seed';
import { codeOf, SIGN_IN, startTestApi, type TestApi } from './harness';
import { byStart, parseWithIcalJs, parseWithNodeIcal } from './ical-parsers';

// The demo seed written around a fixed clock: 20 October 2026. The feed covers 20 September 2026
// to 18 April 2027, so it spans London's autumn change (25 Oct) and New York's (1 Nov), and the
// demo's weekly visits fall on both sides of each (past sessions up to today, the next ones after).
const NOW = new Date('2026-10-20T12:00:00Z');
const clock: Clock = { now: () => NOW };

const ROTATE = `mutation R($p: ID!, $names: Boolean) { rotatePractitionerFeed(practitionerId: $p, includeClientNames: $names) { path feed { practitionerId active includeClientNames } } }`;
const REVOKE = `mutation V($p: ID!) { revokePractitionerFeed(practitionerId: $p) { active revokedAt } }`;
const NAMES = `mutation N($p: ID!, $v: Boolean!) { setPractitionerFeedNames(practitionerId: $p, includeClientNames: $v) { includeClientNames } }`;
const RESCHEDULE = `mutation R($id: ID!, $input: RescheduleAppointmentInput!) { rescheduleAppointment(id: $id, input: $input) { id } }`;
const CANCEL = `mutation C($id: ID!, $reason: String!) { cancelAppointment(id: $id, reason: $reason) { appointment { id status } } }`;

interface Listed {
  id: string;
  starts_at: Date;
  ends_at: Date;
  first_name: string;
  last_name: string;
}

describe('practitioners’ iCalendar feeds on the demo seed (issue 15 §3)', () => {
  let t: TestApi;
  let admin: string;
  let maya: string;
  let orgId: string;
  /** The demo's London and New York massage therapists. */
  const who: Record<string, { id: string; userId: string | null; zone: string; address: string; change: string }> = {};

  const signIn = async (email: string, password = DEMO_ADMIN.password) => {
    const res = await t.gql(SIGN_IN, { input: { email, password } });
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.signIn.accessToken as string;
  };
  const feed = async (path: string) => {
    const res = await fetch(`${t.url}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), requestId: res.headers.get('x-request-id'), text: await res.text() };
  };
  const rotate = async (practitionerId: string, token = admin, names?: boolean) => {
    const res = await t.gql(ROTATE, { p: practitionerId, ...(names === undefined ? {} : { names }) }, token);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return (res.data.rotatePractitionerFeed as { path: string }).path;
  };
  /** What the feed should list: the practitioner's appointments in the window, cancellations left out. */
  const listed = (practitionerId: string): Promise<Listed[]> =>
    t.tdb.dataSource.query(
      `SELECT a.id, a.starts_at, a.ends_at, c.first_name, c.last_name FROM appointment a JOIN client c ON c.id = a.client_id
        WHERE a.organization_id = $1 AND a.practitioner_id = $2 AND a.starts_at >= $3::timestamptz - interval '30 days' AND a.starts_at < $3::timestamptz + interval '180 days'
          AND a.status NOT IN ('CANCELLED', 'LATE_CANCELLED') ORDER BY a.starts_at, a.id`,
      [orgId, practitionerId, NOW],
    );

  beforeAll(async () => {
    t = await startTestApi({ clock });
    // Seeding months of care for the demo chain takes minutes on a busy machine.
    orgId = (await seedDemo(t.tdb.dataSource, { now: NOW })).organizationId;
    admin = await signIn(DEMO_ADMIN.email);
    maya = await signIn(DEMO_THERAPIST.email, DEMO_THERAPIST.password);
    const rows = (await t.tdb.dataSource.query(
      `SELECT p.id, p.user_id, p.display_name, k.time_zone, k.address_line1 FROM practitioner p
         JOIN practitioner_availability v ON v.practitioner_id = p.id JOIN clinic k ON k.id = v.clinic_id
        WHERE p.organization_id = $1 AND p.display_name IN ('Maya Okafor', 'Grace Liu') GROUP BY 1, 2, 3, 4, 5`,
      [orgId],
    )) as { id: string; user_id: string | null; display_name: string; time_zone: string; address_line1: string }[];
    for (const r of rows) who[r.display_name] = { id: r.id, userId: r.user_id, zone: r.time_zone, address: r.address_line1, change: r.time_zone === 'Europe/London' ? '2026-10-25T01:00:00Z' : '2026-11-01T06:00:00Z' };
    expect(Object.keys(who).sort()).toEqual(['Grace Liu', 'Maya Okafor']);
  }, 600_000);
  afterAll(() => t.stop());

  it.each([
    ['Maya Okafor', 'Europe/London'],
    ['Grace Liu', 'America/New_York'],
  ])('%s (%s): two independent parsers read every demo appointment at its instant, on both sides of the DST change', async (name, zone) => {
    const p = who[name];
    expect(p.zone).toBe(zone);
    const path = await rotate(p.id);
    expect(path).toMatch(/^\/ical\/fcal_[A-Za-z0-9_-]{43}\.ics$/);
    const { status, type, text } = await feed(path);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/calendar/);
    // RFC 5545 form: CRLF only, no line over 75 octets, TZID with a VTIMEZONE of the clinic's zone.
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).toContain(`BEGIN:VTIMEZONE\r\nTZID:${zone}`);
    expect(text).toContain(`DTSTART;TZID=${zone}:`);

    const expected = await listed(p.id);
    const starts = expected.map((a) => a.starts_at.getTime());
    // The demo has visits before and after the zone's change, in the past and ahead: the same wall
    // times on either side are instants an hour apart.
    const change = new Date(p.change).getTime();
    expect(starts.filter((s) => s < change).length).toBeGreaterThan(0);
    expect(starts.filter((s) => s >= change).length).toBeGreaterThan(0);
    expect(starts.filter((s) => s > NOW.getTime()).length).toBeGreaterThan(0);
    expect(new Set(starts.map((s) => DateTime.fromMillis(s, { zone }).offset)).size).toBe(2);

    const a = parseWithIcalJs(text).sort(byStart);
    const b = parseWithNodeIcal(text).sort(byStart);
    for (const parsed of [a, b]) {
      expect(parsed.map((e) => e.start)).toEqual(starts);
      expect(parsed.map((e) => e.end)).toEqual(expected.map((e) => e.ends_at.getTime()));
      expect(parsed.map((e) => e.uid).sort()).toEqual(expected.map((e) => `${e.id}@fascia`).sort());
    }
    expect(a.map((e) => e.uid)).toEqual(b.map((e) => e.uid));
    // A weekly client keeps their wall time across the change: read in the zone, every visit is on the hour.
    for (const e of a) expect(DateTime.fromMillis(e.start, { zone }).toFormat('mm')).toBe('00');
    // No health data: the clients' initials, the clinic's address.
    const byId = new Map(expected.map((e) => [`${e.id}@fascia`, e]));
    for (const e of a) {
      const c = byId.get(e.uid)!;
      expect(e.summary).toMatch(new RegExp(`^(Session|Maintenance): ${c.first_name[0]}\\. ${c.last_name[0]}\\.$`));
      expect(e.location).toContain(p.address);
    }
    const shown = text.split('\r\n').filter((l) => /^(SUMMARY|DESCRIPTION)[:;]/.test(l)).join('\n');
    for (const c of expected) expect(shown).not.toContain(c.last_name);
  });

  it('audits each read in one row: the practitioner, the token id and the appointments listed', async () => {
    const p = who['Maya Okafor'];
    const path = await rotate(p.id);
    const token = /^\/ical\/(.+)\.ics$/.exec(path)![1];
    const res = await feed(path);
    expect(res.status).toBe(200);
    const rows = (await t.tdb.dataSource.query(`SELECT organization_id, actor_user_id, action, record_type, record_id, outcome, source_address, detail FROM audit_event WHERE request_id = $1`, [
      res.requestId,
    ])) as { organization_id: string; actor_user_id: string | null; action: string; record_type: string; record_id: string; outcome: string; source_address: string | null; detail: Record<string, unknown> }[];
    expect(rows).toHaveLength(1);
    const expected = await listed(p.id);
    expect(rows[0]).toMatchObject({ organization_id: orgId, actor_user_id: p.userId, action: 'feed.read', record_type: 'practitioner', record_id: p.id, outcome: 'SUCCESS' });
    expect(p.userId).not.toBeNull(); // Maya has her own login
    expect(rows[0].source_address).toBeTruthy();
    expect(rows[0].detail).toMatchObject({ tokenId: createHash('sha256').update(token).digest('hex').slice(0, 12), count: expected.length, includeClientNames: false });
    expect(rows[0].detail.appointmentIds).toEqual(expected.map((e) => e.id));
    expect(JSON.stringify(rows[0].detail)).not.toContain(token);
    // An unknown token reads nothing and audits nothing.
    const unknown = await feed('/ical/fcal_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics');
    expect(unknown.status).toBe(404);
    expect(await t.tdb.dataSource.query(`SELECT 1 FROM audit_event WHERE request_id = $1`, [unknown.requestId])).toEqual([]);
  });

  it('a rescheduled demo visit keeps its UID with a higher SEQUENCE; a cancelled one disappears', async () => {
    const p = who['Maya Okafor'];
    const path = await rotate(p.id);
    const before = parseWithIcalJs((await feed(path)).text);
    const upcoming = (await listed(p.id)).filter((a) => a.starts_at > NOW);
    expect(upcoming.length).toBeGreaterThanOrEqual(2);
    const [moved, cancelled] = upcoming;
    const old = before.find((e) => e.uid === `${moved.id}@fascia`)!;
    expect(old).toBeDefined();
    // The same day at 15:00 in London: inside Maya's hours, after every demo slot.
    const day = DateTime.fromJSDate(moved.starts_at, { zone: 'Europe/London' }).toISODate();
    const res = await t.gql(RESCHEDULE, { id: moved.id, input: { startsAt: `${day}T15:00`, reason: 'Client asked' } }, admin);
    expect(res.errors).toBeUndefined();
    const cancel = await t.gql(CANCEL, { id: cancelled.id, reason: 'Client is away' }, admin);
    expect(cancel.errors).toBeUndefined();

    const text = (await feed(path)).text;
    for (const after of [parseWithIcalJs(text), parseWithNodeIcal(text)]) {
      const same = after.filter((e) => e.uid === `${moved.id}@fascia`);
      expect(same).toHaveLength(1);
      expect(same[0].sequence).toBeGreaterThan(old.sequence);
      expect(same[0].start).toBe(DateTime.fromISO(`${day}T15:00`, { zone: 'Europe/London' }).toMillis());
      expect(after.find((e) => e.uid === `${cancelled.id}@fascia`)).toBeUndefined();
      expect(after).toHaveLength(before.length - 1);
    }
  });

  it('shows full names only when the practitioner opts in', async () => {
    const p = who['Grace Liu'];
    const path = await rotate(p.id, admin, true);
    const first = (await listed(p.id))[0];
    const byUid = (text: string) => parseWithIcalJs(text).find((e) => e.uid === `${first.id}@fascia`)!.summary;
    expect(byUid((await feed(path)).text)).toMatch(new RegExp(`: ${first.first_name} ${first.last_name}$`));
    await t.gql(NAMES, { p: p.id, v: false }, admin);
    expect(byUid((await feed(path)).text)).toMatch(new RegExp(`: ${first.first_name[0]}\\. ${first.last_name[0]}\\.$`));
  });

  it('refuses a revoked, a replaced and an unknown token with a 404 and a plain sentence', async () => {
    const p = who['Maya Okafor'];
    const first = await rotate(p.id);
    const second = await rotate(p.id);
    const replaced = await feed(first);
    expect(replaced.status).toBe(404);
    expect(replaced.text).toMatch(/does not exist or was revoked/);
    expect((await feed(second)).status).toBe(200);
    const revoked = await t.gql(REVOKE, { p: p.id }, admin);
    expect(revoked.data?.revokePractitionerFeed).toMatchObject({ active: false });
    const gone = await feed(second);
    expect(gone.status).toBe(404);
    expect(gone.type).toMatch(/^text\/plain/);
    expect((await feed('/ical/fcal_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics')).status).toBe(404);
    expect((await feed('/ical/nonsense.ics')).status).toBe(404);
    // A malformed escape in the token is an unknown feed too, not a server error.
    expect((await feed('/ical/fcal_%E0%A4%A.ics')).status).toBe(404);
  });

  it('lets a practitioner manage only their own feed', async () => {
    expect((await t.gql(ROTATE, { p: who['Maya Okafor'].id }, maya)).errors).toBeUndefined();
    expect(codeOf(await t.gql(ROTATE, { p: who['Grace Liu'].id }, maya))).toBe('FORBIDDEN');
  });
});
