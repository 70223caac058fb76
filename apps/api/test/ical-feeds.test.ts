import type { Clock } from '@fascia/db';
import { DateTime } from 'luxon';
import { codeOf, startTestApi, type TestApi } from './harness';
import { byStart, parseWithIcalJs, parseWithNodeIcal } from './ical-parsers';
import { BOOK, insertClient, member, site, type Site } from './appointments.fixtures';

// A fixed clock: 1 October 2026. The feed covers 1 September 2026 to 30 March 2027, so it spans
// London's autumn change (25 Oct), New York's (1 Nov), New York's spring change (14 Mar 2027) and
// London's (28 Mar 2027).
const NOW = new Date('2026-10-01T12:00:00Z');
const clock: Clock = { now: () => NOW };

const ROTATE = `mutation R($p: ID!, $names: Boolean) { rotatePractitionerFeed(practitionerId: $p, includeClientNames: $names) { path feed { practitionerId active includeClientNames } } }`;
const REVOKE = `mutation V($p: ID!) { revokePractitionerFeed(practitionerId: $p) { active revokedAt } }`;
const NAMES = `mutation N($p: ID!, $v: Boolean!) { setPractitionerFeedNames(practitionerId: $p, includeClientNames: $v) { includeClientNames } }`;
const RESCHEDULE = `mutation R($id: ID!, $input: RescheduleAppointmentInput!) { rescheduleAppointment(id: $id, input: $input) { id } }`;
const CANCEL = `mutation C($id: ID!, $reason: String!) { cancelAppointment(id: $id, reason: $reason) { appointment { id status } } }`;


describe('practitioners’ iCalendar feeds (issue 15 §3)', () => {
  let t: TestApi;
  let admin: Awaited<ReturnType<TestApi['orgWithAdmin']>>;
  let london: Site;
  let newYork: Site;
  let clientId: string;
  const allWeek = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '19:00' }));
  // Wall times in each clinic's zone, on both sides of each DST change in the range.
  const LONDON = ['2026-10-24T09:00', '2026-10-26T09:00', '2027-03-27T10:00', '2027-03-29T10:00'];
  const NEW_YORK = ['2026-10-31T09:00', '2026-11-02T09:00', '2027-03-13T11:00', '2027-03-15T11:00'];
  const booked = new Map<string, string>(); // wall time + zone → appointment id

  const feed = async (path: string) => {
    const res = await fetch(`${t.url}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  beforeAll(async () => {
    t = await startTestApi({ clock });
    admin = await t.orgWithAdmin('Feed Chain');
    london = await site(t, admin.token, { timeZone: 'Europe/London', openingHours: allWeek, availability: allWeek });
    newYork = await site(t, admin.token, { timeZone: 'America/New_York', openingHours: allWeek, availability: allWeek });
    clientId = await insertClient(t, admin.organizationId, 'Hope Ahead');
    for (const [s, times] of [
      [london, LONDON],
      [newYork, NEW_YORK],
    ] as const) {
      for (const startsAt of times) {
        const res = await t.gql(BOOK, { input: { clinicId: s.clinicId, practitionerId: s.practitionerId, roomId: s.roomId, clientId, durationMinutes: 60, startsAt } }, admin.token);
        if (!res.data) throw new Error(JSON.stringify(res.errors));
        booked.set(`${s.timeZone} ${startsAt}`, (res.data.bookAppointment as { id: string }).id);
      }
    }
  });
  afterAll(() => t.stop());

  it.each([
    ['Europe/London', () => london, LONDON],
    ['America/New_York', () => newYork, NEW_YORK],
  ] as const)('%s: two independent parsers read every event at the same instants, across the DST changes', async (zone, s, times) => {
    const rotated = await t.gql(ROTATE, { p: s().practitionerId }, admin.token);
    expect(rotated.errors).toBeUndefined();
    const path = (rotated.data?.rotatePractitionerFeed as { path: string }).path;
    expect(path).toMatch(/^\/ical\/fcal_[A-Za-z0-9_-]{43}\.ics$/);
    const { status, type, text } = await feed(path);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/calendar/);
    // RFC 5545 form: CRLF only, no line over 75 octets, TZID with a VTIMEZONE of the clinic's zone.
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).toContain(`BEGIN:VTIMEZONE\r\nTZID:${zone}`);
    expect(text).toContain(`DTSTART;TZID=${zone}:`);

    const expected = times.map((wall) => DateTime.fromISO(wall, { zone }).toMillis()).sort((a, b) => a - b);
    const a = parseWithIcalJs(text).sort(byStart);
    const b = parseWithNodeIcal(text).sort(byStart);
    expect(a.map((e) => e.start)).toEqual(expected);
    expect(b.map((e) => e.start)).toEqual(expected);
    expect(a.map((e) => e.end)).toEqual(expected.map((ms) => ms + 3600_000));
    expect(b.map((e) => e.end)).toEqual(expected.map((ms) => ms + 3600_000));
    expect(a.map((e) => e.uid)).toEqual(b.map((e) => e.uid));
    // The same wall time on each side of a change is a different UTC instant: the offset moved.
    const offsets = times.map((wall) => DateTime.fromISO(wall, { zone }).offset);
    expect(new Set(offsets).size).toBe(2);
    // No health data: the client's initials, the clinic's address.
    for (const e of a) {
      expect(e.summary).toBe('Session: H. A.');
      expect(e.location).toContain('1 High Street, EC1V 9AA London, GB');
    }
    expect(text).not.toContain('Hope');
  });

  it('a rescheduled appointment keeps its UID with a higher SEQUENCE; a cancelled one disappears', async () => {
    const rotated = await t.gql(ROTATE, { p: london.practitionerId }, admin.token);
    const path = (rotated.data?.rotatePractitionerFeed as { path: string }).path;
    const before = parseWithIcalJs((await feed(path)).text);
    const movedId = booked.get(`Europe/London ${LONDON[0]}`)!;
    const cancelledId = booked.get(`Europe/London ${LONDON[1]}`)!;
    const movedUid = `${movedId}@fascia`;
    const old = before.find((e) => e.uid === movedUid)!;
    expect(old).toBeDefined();

    const res = await t.gql(RESCHEDULE, { id: movedId, input: { startsAt: '2026-10-24T14:00', reason: 'Client asked' } }, admin.token);
    expect(res.errors).toBeUndefined();
    const cancel = await t.gql(CANCEL, { id: cancelledId, reason: 'Client is away' }, admin.token);
    expect(cancel.errors).toBeUndefined();

    const text = (await feed(path)).text;
    for (const after of [parseWithIcalJs(text), parseWithNodeIcal(text)]) {
      const moved = after.filter((e) => e.uid === movedUid);
      expect(moved).toHaveLength(1);
      expect(moved[0].sequence).toBeGreaterThan(old.sequence);
      expect(moved[0].start).toBe(DateTime.fromISO('2026-10-24T14:00', { zone: 'Europe/London' }).toMillis());
      expect(after.find((e) => e.uid === `${cancelledId}@fascia`)).toBeUndefined();
      expect(after).toHaveLength(before.length - 1);
    }
  });

  it('shows full names only when the practitioner opts in', async () => {
    const rotated = await t.gql(ROTATE, { p: newYork.practitionerId, names: true }, admin.token);
    const path = (rotated.data?.rotatePractitionerFeed as { path: string }).path;
    expect(parseWithIcalJs((await feed(path)).text)[0].summary).toBe('Session: Hope Ahead');
    await t.gql(NAMES, { p: newYork.practitionerId, v: false }, admin.token);
    expect(parseWithIcalJs((await feed(path)).text)[0].summary).toBe('Session: H. A.');
  });

  it('refuses a revoked, a replaced and an unknown token with a 404 and a plain sentence', async () => {
    const first = (await t.gql(ROTATE, { p: london.practitionerId }, admin.token)).data?.rotatePractitionerFeed as { path: string };
    const second = (await t.gql(ROTATE, { p: london.practitionerId }, admin.token)).data?.rotatePractitionerFeed as { path: string };
    const replaced = await feed(first.path);
    expect(replaced.status).toBe(404);
    expect(replaced.text).toMatch(/does not exist or was revoked/);
    expect((await feed(second.path)).status).toBe(200);
    const revoked = await t.gql(REVOKE, { p: london.practitionerId }, admin.token);
    expect(revoked.data?.revokePractitionerFeed).toMatchObject({ active: false });
    const gone = await feed(second.path);
    expect(gone.status).toBe(404);
    expect(gone.type).toMatch(/^text\/plain/);
    expect((await feed('/ical/fcal_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics')).status).toBe(404);
    expect((await feed('/ical/nonsense.ics')).status).toBe(404);
  });

  it('lets a practitioner manage only their own feed', async () => {
    const other = await member(t, admin.organizationId, 'PRACTITIONER');
    const res = await t.gql(ROTATE, { p: london.practitionerId }, other.token);
    expect(codeOf(res)).toBe('FORBIDDEN');
  });
});
