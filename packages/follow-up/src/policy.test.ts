import { DEFAULT_REMINDER_POLICY, ReminderPolicyError, channelsFor, parseReminderPolicy, planAppointmentReminders, policyFromRow } from './policy';

const APPT = '7a1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const d = (iso: string) => new Date(iso);
const policy = (over: Partial<Parameters<typeof parseReminderPolicy>[0] & object> = {}) =>
  parseReminderPolicy({ leadMinutes: [2880, 120], channels: ['EMAIL'], quietHours: { start: '21:00', end: '08:00' }, ...over });

describe('reminder policy', () => {
  it('parses a policy, longest lead first; sub-hour leads are allowed', () => {
    expect(parseReminderPolicy({ leadMinutes: [1, 2880, 30], channels: ['SMS', 'EMAIL'], quietHours: null })).toEqual({
      leadMinutes: [2880, 30, 1],
      channels: ['SMS', 'EMAIL'],
      quietHours: null,
      templates: {},
    });
  });

  it.each([
    ['no lead time', { leadMinutes: [] }, /leadMinutes/],
    ['a zero lead', { leadMinutes: [0] }, /leadMinutes\.0/],
    ['a lead over two weeks', { leadMinutes: [20161] }, /leadMinutes\.0/],
    ['the same lead twice', { leadMinutes: [60, 60] }, /must differ/],
    ['an unknown channel', { channels: ['PIGEON'] }, /channels\.0/],
    ['no channel', { channels: [] }, /channels/],
    ['a quiet hour that is not HH:mm', { quietHours: { start: '9pm', end: '08:00' } }, /quietHours\.start: must be HH:mm/],
    ['a template with an unknown placeholder', { templates: { APPOINTMENT: { SMS: { text: 'See you {{when}}' } } } }, /templates\.APPOINTMENT\.SMS\.text: .*unknown placeholder \{\{when\}\}/],
    ['a template for an unknown kind', { templates: { BIRTHDAY: { SMS: { text: 'x' } } } }, /templates/],
  ])('refuses %s', (_label, over, message) => {
    expect(() => policy(over as never)).toThrow(ReminderPolicyError);
    expect(() => policy(over as never)).toThrow(message);
  });

  it('uses the default policy for a clinic without one, and reads a stored row', () => {
    expect(policyFromRow(null)).toBe(DEFAULT_REMINDER_POLICY);
    expect(policyFromRow({ leadMinutes: [60, 1440], channels: ['EMAIL'], quietStart: '22:00', quietEnd: '22:00', templates: {} })).toEqual({
      leadMinutes: [1440, 60],
      channels: ['EMAIL'],
      quietHours: null,
      templates: {},
    });
  });

  it.each([
    ['no preference: every policy channel', ['EMAIL', 'SMS'], [], ['EMAIL', 'SMS']],
    ['prefers SMS', ['EMAIL', 'SMS'], ['SMS'], ['SMS']],
    ['prefers a channel the clinic does not use: the clinic channels', ['EMAIL'], ['SMS'], ['EMAIL']],
  ])('channels for a client: %s', (_label, channels, preferred, expected) => {
    expect(channelsFor(policy({ channels }), preferred as never)).toEqual(expected);
  });
});

describe('planning the reminders of an appointment', () => {
  const plan = (startsAt: string, bookedAt: string, over: object = {}, zone = 'Europe/London', channels = ['EMAIL'] as const) =>
    planAppointmentReminders({ appointmentId: APPT, startsAt: d(startsAt), bookedAt: d(bookedAt), policy: policy(over), timeZone: zone, channels: [...channels] });
  const times = (r: ReturnType<typeof plan>) => r.planned.map((p) => [p.leadMinutes, p.sendAt.toISOString()]);

  it('48 h and 2 h before a 10:00 appointment', () => {
    const r = plan('2026-06-12T09:00:00Z', '2026-06-01T12:00:00Z');
    expect(times(r)).toEqual([
      [2880, '2026-06-10T09:00:00.000Z'],
      [120, '2026-06-12T07:00:00.000Z'],
    ]);
    expect(r.planned[0].deliveryKey).toBe(`appointment:${APPT}:${Date.parse('2026-06-12T09:00:00Z') / 1000}:2880m:EMAIL`);
    expect(r.omitted).toEqual([]);
  });

  it('an 08:30 appointment: the 2 h reminder (06:30, quiet) goes out at 08:00, still before it', () => {
    // 08:30 BST = 07:30Z; 2 h before = 05:30Z = 06:30 BST (quiet until 08:00 BST = 07:00Z, before the appointment).
    expect(times(plan('2026-06-12T07:30:00Z', '2026-06-01T12:00:00Z'))).toEqual([
      [2880, '2026-06-10T07:30:00.000Z'],
      [120, '2026-06-12T07:00:00.000Z'],
    ]);
  });

  it('a 07:30 appointment: the 2 h reminder (05:30, quiet until after it) goes out at 20:59 the evening before', () => {
    expect(times(plan('2026-06-12T06:30:00Z', '2026-06-01T12:00:00Z'))).toEqual([
      [2880, '2026-06-10T07:00:00.000Z'], // 07:30 two days before is quiet too: 08:00
      [120, '2026-06-11T19:59:00.000Z'],
    ]);
  });

  it('booked inside a lead time: that reminder is not planned', () => {
    const r = plan('2026-06-12T09:00:00Z', '2026-06-11T12:00:00Z');
    expect(times(r)).toEqual([[120, '2026-06-12T07:00:00.000Z']]);
    expect(r.omitted).toEqual([{ channel: 'EMAIL', leadMinutes: 2880, reason: 'booked inside the lead time' }]);
  });

  it('booked at 22:00 for 07:30 next morning: no time outside quiet hours, nothing planned', () => {
    const r = plan('2026-06-12T06:30:00Z', '2026-06-11T21:00:00Z');
    expect(r.planned).toEqual([]);
    expect(r.omitted.map((o) => o.reason)).toEqual(['booked inside the lead time', 'no time outside quiet hours between the booking and the appointment']);
  });

  it('two leads that quiet hours move to the same time are sent once', () => {
    // Appointment 12:00 BST; 4 h (08:00 BST, not quiet) and 5 h (07:00 BST → 08:00 BST): one message.
    const r = plan('2026-06-12T11:00:00Z', '2026-06-01T12:00:00Z', { leadMinutes: [300, 240] });
    expect(times(r)).toEqual([[300, '2026-06-12T07:00:00.000Z']]);
    expect(r.omitted[0].reason).toMatch(/same time/);
  });

  it('one reminder per channel and lead', () => {
    const r = plan('2026-06-12T09:00:00Z', '2026-06-01T12:00:00Z', { channels: ['EMAIL', 'SMS'] }, 'Europe/London', ['EMAIL', 'SMS'] as never);
    expect(r.planned.map((p) => `${p.channel}:${p.leadMinutes}`)).toEqual(['EMAIL:2880', 'EMAIL:120', 'SMS:2880', 'SMS:120']);
    expect(new Set(r.planned.map((p) => p.deliveryKey)).size).toBe(4);
  });

  it('across the DST change in New York (appointment Sunday 8 March 2026, 09:00 EDT)', () => {
    // 09:00 EDT = 13:00Z. 48 h before = 6 March 13:00Z = 08:00 EST (not quiet: quiet ends at 08:00).
    // 2 h before = 11:00Z = 07:00 EDT, quiet until 08:00 EDT = 12:00Z, before the appointment → 12:00Z.
    expect(times(plan('2026-03-08T13:00:00Z', '2026-03-01T12:00:00Z', {}, 'America/New_York'))).toEqual([
      [2880, '2026-03-06T13:00:00.000Z'],
      [120, '2026-03-08T12:00:00.000Z'],
    ]);
  });

  it('a rescheduled appointment gets new keys (the start is in the key)', () => {
    const a = plan('2026-06-12T09:00:00Z', '2026-06-01T12:00:00Z').planned.map((p) => p.deliveryKey);
    const b = plan('2026-06-13T09:00:00Z', '2026-06-01T12:00:00Z').planned.map((p) => p.deliveryKey);
    expect(a.filter((k) => b.includes(k))).toEqual([]);
  });
});
