import { randomUUID } from 'node:crypto';
import { codeOf, startTestApi, type TestApi } from './harness';
import { member, newClient, practice, type Practice } from './intake-plan.fixtures';

const LOG = `query L($filter: ReminderLogFilter, $first: Int, $after: String) {
  reminderLog(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id kind channel status sendAt lastError clientId clientName clinicName } }
}`;
const PREVIEW = `query P($clinicId: ID!, $input: ReminderPreviewInput!) { reminderPreview(clinicId: $clinicId, input: $input) { subject text } }`;

/** The delivery log (reminderLog) and the template preview (reminderPreview), issue 13 item 9. */
describe('delivery log and reminder preview', () => {
  let t: TestApi;
  let p: Practice;
  let other: Practice;
  let rosa: string;
  let theirs: string;

  async function reminder(org: Practice, clientId: string, status: string, minutes: number, channel = 'EMAIL', lastError: string | null = null) {
    await t.tdb.dataSource.query(
      `INSERT INTO reminder (id, organization_id, clinic_id, kind, client_id, channel, due_at, send_at, status, last_error, delivery_key)
       VALUES ($1, $2, $3, 'HOME_CARE', $4, $5, $6, $6, $7, $8, $9)`,
      [randomUUID(), org.organizationId, org.clinicId, clientId, channel, new Date(Date.parse('2026-06-01T09:00:00Z') + minutes * 60_000), status, lastError, `test:${randomUUID()}`],
    );
  }

  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Log Chain');
    other = await practice(t, 'Log Rival');
    rosa = await newClient(t, p.admin.token, { firstName: 'Rosa', lastName: 'Marsh' });
    const ben = await newClient(t, p.admin.token, { firstName: 'Ben', lastName: 'Hale' });
    theirs = await newClient(t, other.admin.token, { firstName: 'Other', lastName: 'Person' });
    await reminder(p, rosa, 'SENT', 1);
    await reminder(p, rosa, 'SKIPPED', 2, 'SMS', 'the client has no phone number');
    await reminder(p, ben, 'FAILED', 3, 'EMAIL', 'smtp: 451 try later');
    await reminder(p, ben, 'SCHEDULED', 4);
    await reminder(other, theirs, 'SENT', 2);
  });
  afterAll(() => t.stop());

  const log = async (filter: Record<string, unknown> = {}, first = 50, after: string | null = null, token = p.admin.token) => {
    const res = await t.gql(LOG, { filter, first, after }, token);
    expect(res.errors).toBeUndefined();
    return res.data?.reminderLog as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { status: string; clientName: string; lastError: string | null; clinicName: string }[] };
  };

  it('lists every reminder of the organization, newest send time first, with the client and the reason', async () => {
    const all = await log();
    expect(all.totalCount).toBe(4);
    expect(all.nodes.map((n) => [n.status, n.clientName])).toEqual([
      ['SCHEDULED', 'Ben Hale'],
      ['FAILED', 'Ben Hale'],
      ['SKIPPED', 'Rosa Marsh'],
      ['SENT', 'Rosa Marsh'],
    ]);
    expect(all.nodes[2].lastError).toBe('the client has no phone number');
    expect((await log({}, 50, null, other.admin.token)).nodes.map((n) => n.clientName)).toEqual(['Other Person']);
  });

  it('filters by status, channel, client and send time; pages with cursors', async () => {
    expect((await log({ status: 'SKIPPED' })).nodes.map((n) => n.clientName)).toEqual(['Rosa Marsh']);
    expect((await log({ channel: 'SMS' })).nodes).toHaveLength(1);
    expect((await log({ clientId: rosa })).nodes.map((n) => n.status)).toEqual(['SKIPPED', 'SENT']);
    expect((await log({ from: '2026-06-01T09:02:00Z', to: '2026-06-01T09:04:00Z' })).nodes.map((n) => n.status)).toEqual(['FAILED', 'SKIPPED']);
    // Another organization's client id finds nothing.
    expect((await log({ clientId: theirs })).nodes).toEqual([]);
    const first = await log({}, 3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await log({}, 3, first.pageInfo.endCursor);
    expect(rest.nodes.map((n) => n.status)).toEqual(['SENT']);
  });

  it('is for organization admins only; a page costs the same statements however long', async () => {
    const manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [p.clinicId]);
    for (const token of [manager.token, p.therapist.token, p.frontDesk.token]) expect(codeOf(await t.gql(LOG, {}, token))).toBe('FORBIDDEN');
    const count = async (first: number) => {
      t.tdb.queries.length = 0;
      await log({}, first);
      return t.tdb.queries.filter((q) => /^\s*SELECT/i.test(q)).length;
    };
    expect(await count(4)).toBe(await count(1));
    expect(codeOf(await t.gql(LOG, { filter: { clientId: 'x' } }, p.admin.token))).toBe('BAD_USER_INPUT');
  });

  it('previews a template with the clinic’s own name and sample values; names an unknown placeholder', async () => {
    const ok = await t.gql(PREVIEW, { clinicId: p.clinicId, input: { kind: 'APPOINTMENT', channel: 'EMAIL', subject: 'Hi {{clientName}} at {{clinicName}}', text: 'See you {{appointmentTime}}' } }, p.admin.token);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.reminderPreview.subject).toMatch(/^Hi Alex Sample at Clinic \d+$/);
    expect(ok.data?.reminderPreview.text).toMatch(/^See you \w+day \d+ \w+ \d{4} at \d\d:\d\d/);
    const builtIn = await t.gql(PREVIEW, { clinicId: p.clinicId, input: { kind: 'HOME_CARE', channel: 'SMS' } }, p.admin.token);
    expect(builtIn.data?.reminderPreview).toEqual({ subject: null, text: expect.stringMatching(/home care today/) });
    const bad = await t.gql(PREVIEW, { clinicId: p.clinicId, input: { kind: 'HOME_CARE', channel: 'EMAIL', subject: 'x', text: 'Hello {{confirmLink}}' } }, p.admin.token);
    expect({ code: codeOf(bad), field: bad.errors?.[0].extensions?.field, placeholder: bad.errors?.[0].extensions?.placeholder }).toEqual({ code: 'BAD_USER_INPUT', field: 'input.text', placeholder: 'confirmLink' });
    expect(codeOf(await t.gql(PREVIEW, { clinicId: p.clinicId, input: { kind: 'HOME_CARE', channel: 'SMS' } }, p.frontDesk.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(PREVIEW, { clinicId: other.clinicId, input: { kind: 'HOME_CARE', channel: 'SMS' } }, p.admin.token))).toBe('NOT_FOUND');
  });
});
