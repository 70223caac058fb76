import { count, member, practice, type Practice } from './intake-plan.fixtures';
import { CREATE_CLINIC, clinicInput, codeOf, startTestApi, type TestApi } from './harness';

const POLICY_FIELDS = `clinicId isDefault leadMinutes channels quietHours { start end } templates { kind email { subject text } sms { text } placeholders } updatedAt`;
const GET = `query G($clinicId: ID!) { reminderPolicy(clinicId: $clinicId) { ${POLICY_FIELDS} } }`;
const SET = `mutation S($clinicId: ID!, $input: ReminderPolicyInput!) { setReminderPolicy(clinicId: $clinicId, input: $input) { ${POLICY_FIELDS} } }`;

const valid = (overrides: Record<string, unknown> = {}) => ({
  leadMinutes: [60, 1440],
  channels: ['EMAIL'],
  quietHours: { start: '22:00', end: '07:30' },
  templates: [{ kind: 'APPOINTMENT', email: { subject: 'See you {{appointmentTime}}', text: 'Hello {{clientName}}, {{confirmLink}}' } }],
  ...overrides,
});

describe('reminder policy per clinic', () => {
  let t: TestApi;
  let p: Practice;
  let other: Practice;
  let secondClinic: string;
  beforeAll(async () => {
    t = await startTestApi();
    p = await practice(t, 'Policy Chain');
    other = await practice(t, 'Policy Rival');
    secondClinic = (await t.gql(CREATE_CLINIC, { input: clinicInput({ name: 'Second site' }) }, p.admin.token)).data?.createClinic.id;
  });
  afterAll(() => t.stop());

  const policies = () => count(t, 'reminder_policy');
  const audits = async (clinicId: string) =>
    (await t.tdb.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'reminder_policy.set' AND detail->>'clinicId' = $1`, [clinicId]))[0].n as number;

  it('returns the default for a clinic without a policy', async () => {
    const res = await t.gql(GET, { clinicId: p.clinicId }, p.admin.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.reminderPolicy).toEqual({
      clinicId: p.clinicId, isDefault: true, leadMinutes: [2880, 120], channels: ['EMAIL', 'SMS'], quietHours: { start: '21:00', end: '08:00' }, templates: [], updatedAt: null,
    });
  });

  it('sets a policy (lead times longest first), then replaces it in place, auditing each write', async () => {
    const first = await t.gql(SET, { clinicId: p.clinicId, input: valid() }, p.admin.token);
    expect(first.errors).toBeUndefined();
    expect(first.data?.setReminderPolicy).toMatchObject({
      isDefault: false, leadMinutes: [1440, 60], channels: ['EMAIL'], quietHours: { start: '22:00', end: '07:30' },
      templates: [{ kind: 'APPOINTMENT', email: { subject: 'See you {{appointmentTime}}', text: 'Hello {{clientName}}, {{confirmLink}}' }, sms: null }],
    });
    expect(first.data?.setReminderPolicy.templates[0].placeholders).toContain('cancelLink');
    const second = await t.gql(SET, { clinicId: p.clinicId, input: { leadMinutes: [30], channels: ['SMS', 'EMAIL'], quietHours: null } }, p.admin.token);
    expect(second.errors).toBeUndefined();
    expect(second.data?.setReminderPolicy).toMatchObject({ isDefault: false, leadMinutes: [30], channels: ['SMS', 'EMAIL'], quietHours: null, templates: [] });
    const rows = await t.tdb.dataSource.query(`SELECT lead_minutes, channels, quiet_start, quiet_end, templates, organization_id FROM reminder_policy WHERE clinic_id = $1`, [p.clinicId]);
    expect(rows).toEqual([{ lead_minutes: [30], channels: ['SMS', 'EMAIL'], quiet_start: '00:00', quiet_end: '00:00', templates: {}, organization_id: p.organizationId }]);
    expect(await audits(p.clinicId)).toBe(2);
    const read = await t.gql(GET, { clinicId: p.clinicId }, p.admin.token);
    expect(read.data?.reminderPolicy).toEqual(second.data?.setReminderPolicy);
  });

  it.each([
    ['no lead time', { leadMinutes: [] }, 'input.leadMinutes', undefined],
    ['a lead time over 14 days', { leadMinutes: [60, 20161] }, 'input.leadMinutes[1]', undefined],
    ['a zero lead time', { leadMinutes: [0] }, 'input.leadMinutes[0]', undefined],
    ['seven lead times', { leadMinutes: [1, 2, 3, 4, 5, 6, 7] }, 'input.leadMinutes', undefined],
    ['a repeated lead time', { leadMinutes: [60, 60] }, 'input.leadMinutes', undefined],
    ['no channel', { channels: [] }, 'input.channels', undefined],
    ['a repeated channel', { channels: ['SMS', 'SMS'] }, 'input.channels', undefined],
    ['quiet hours not HH:mm', { quietHours: { start: '9pm', end: '08:00' } }, 'input.quietHours.start', undefined],
    ['quiet hours at 24:00', { quietHours: { start: '21:00', end: '24:00' } }, 'input.quietHours.end', undefined],
    ['an unknown placeholder in an email subject', { templates: [{ kind: 'APPOINTMENT', email: { subject: 'At {{appointmentTme}}', text: 'Hi' } }] }, 'input.templates[0].email.subject', 'appointmentTme'],
    ['a placeholder of another kind (SMS)', {
      templates: [{ kind: 'APPOINTMENT', sms: { text: 'ok {{clientName}}' } }, { kind: 'HOME_CARE', sms: { text: 'Call {{clinicPhone}}' } }],
    }, 'input.templates[1].sms.text', 'clinicPhone'],
    ['an empty template', { templates: [{ kind: 'REASSESSMENT_DUE', email: { subject: 'Due', text: '  ' } }] }, 'input.templates[0].email.text', undefined],
    ['unbalanced braces', { templates: [{ kind: 'MAINTENANCE_DUE', sms: { text: 'Due {{dueDate}' } }] }, 'input.templates[0].sms.text', undefined],
    ['two templates for one kind', { templates: [{ kind: 'HOME_CARE', sms: { text: 'a' } }, { kind: 'HOME_CARE', sms: { text: 'b' } }] }, 'input.templates[1].kind', undefined],
  ])('refuses %s: BAD_USER_INPUT naming the field, nothing stored', async (_label, overrides, field, placeholder) => {
    const before = await policies();
    const auditBefore = await audits(secondClinic);
    const res = await t.gql(SET, { clinicId: secondClinic, input: valid(overrides) }, p.admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe(field);
    if (placeholder) {
      expect(res.errors?.[0].extensions?.placeholder).toBe(placeholder);
      expect(res.errors?.[0].message).toContain(`{{${placeholder}}}`);
    }
    expect(await policies()).toBe(before);
    expect(await audits(secondClinic)).toBe(auditBefore);
  });

  it('refuses an unknown channel or kind at the schema, and a malformed clinic id', async () => {
    expect(codeOf(await t.gql(SET, { clinicId: secondClinic, input: valid({ channels: ['FAX'] }) }, p.admin.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(SET, { clinicId: secondClinic, input: valid({ templates: [{ kind: 'BIRTHDAY', sms: { text: 'x' } }] }) }, p.admin.token))).toBe('BAD_USER_INPUT');
    const bad = await t.gql(SET, { clinicId: 'nope', input: valid() }, p.admin.token);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.field).toBe('clinicId');
  });

  it('lets a manager of that clinic read and set it; a manager of another clinic, a practitioner and the front desk are FORBIDDEN', async () => {
    const manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [secondClinic]);
    const set = await t.gql(SET, { clinicId: secondClinic, input: valid({ channels: ['SMS'], templates: [] }) }, manager.token);
    expect(set.errors).toBeUndefined();
    expect(set.data?.setReminderPolicy.channels).toEqual(['SMS']);
    expect((await t.gql(GET, { clinicId: secondClinic }, manager.token)).data?.reminderPolicy.isDefault).toBe(false);

    const before = await policies();
    const elsewhere = await t.gql(SET, { clinicId: p.clinicId, input: valid() }, manager.token);
    expect(codeOf(elsewhere)).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(GET, { clinicId: p.clinicId }, manager.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(SET, { clinicId: secondClinic, input: valid() }, p.therapist.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(SET, { clinicId: secondClinic, input: valid() }, p.frontDesk.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(GET, { clinicId: secondClinic }, p.frontDesk.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(GET, { clinicId: secondClinic }))).toBe('UNAUTHENTICATED');
    expect(await policies()).toBe(before);
  });

  it('treats another organization’s clinic as NOT_FOUND and writes nothing (admin and manager)', async () => {
    const before = await policies();
    const auditBefore = await audits(other.clinicId);
    const set = await t.gql(SET, { clinicId: other.clinicId, input: valid() }, p.admin.token);
    expect(codeOf(set)).toBe('NOT_FOUND');
    expect(set.errors?.[0].extensions?.id).toBe(other.clinicId);
    expect(codeOf(await t.gql(GET, { clinicId: other.clinicId }, p.admin.token))).toBe('NOT_FOUND');
    const manager = await member(t, p.organizationId, 'CLINIC_MANAGER', [secondClinic]);
    expect(codeOf(await t.gql(SET, { clinicId: other.clinicId, input: valid() }, manager.token))).toBe('NOT_FOUND');
    expect(await policies()).toBe(before);
    expect(await audits(other.clinicId)).toBe(auditBefore);
    // The other organization still sees its default.
    expect((await t.gql(GET, { clinicId: other.clinicId }, other.admin.token)).data?.reminderPolicy.isDefault).toBe(true);
  });

  it('stores what the worker reads back unchanged (policyFromRow)', async () => {
    const { policyFromRow } = await import('@fascia/follow-up');
    await t.gql(SET, { clinicId: p.clinicId, input: valid() }, p.admin.token);
    const [row] = await t.tdb.dataSource.query(`SELECT lead_minutes AS "leadMinutes", channels, quiet_start AS "quietStart", quiet_end AS "quietEnd", templates FROM reminder_policy WHERE clinic_id = $1`, [p.clinicId]);
    expect(policyFromRow(row)).toEqual({
      leadMinutes: [1440, 60], channels: ['EMAIL'], quietHours: { start: '22:00', end: '07:30' },
      templates: { APPOINTMENT: { EMAIL: { subject: 'See you {{appointmentTime}}', text: 'Hello {{clientName}}, {{confirmLink}}' } } },
    });
  });
});
