import type { PlanBodyView } from '@fascia/follow-up';
import { type ReminderCase, reminderGate, skipReason } from './eligibility';

const ORG = '0b6f3c1e-6a0e-4c8f-9a59-0c7d3c1a2b10';
const NOW = new Date('2026-03-02T09:00:00Z'); // a Monday
const STARTS = new Date('2026-03-03T10:00:00Z');
const body: PlanBodyView = {
  currentPhaseIndex: 0,
  phaseStartedAtSession: 0,
  phases: [{ index: 0, kind: 'initial', label: 'Initial', frequency: { value: { sessions: 2, perWeeks: 1 } }, reassessment: { value: { everySessions: 4, everyWeeks: 3 } } }],
  // Three days a week: Monday, Wednesday, Friday (homeCareWeekdays(3) = [1, 3, 5]).
  homeCare: [{ kind: 'stretch', description: 'Chin tucks', daysPerWeek: { value: 3 } }],
};
const client = { firstName: 'Rosa', preferredName: null, archivedAt: null, reminderConsent: true, email: 'rosa@clients.test', phone: null };
const clinic = { id: 'c', name: 'Clinic', phone: null, timeZone: 'UTC' };

const appointmentCase = (over: Partial<ReminderCase> = {}, appt: Partial<NonNullable<ReminderCase['appointment']>> = {}): ReminderCase => ({
  reminder: { id: 'r', organizationId: ORG, status: 'SCHEDULED', kind: 'APPOINTMENT', channel: 'EMAIL', dueAt: NOW, appointmentStartsAt: STARTS },
  clinic,
  appointment: { id: 'a', status: 'BOOKED', startsAt: STARTS, practitionerId: 'p', ...appt },
  plan: null,
  nextBooked: null,
  client,
  ...over,
});
const planCase = (kind: ReminderCase['reminder']['kind'], over: Partial<ReminderCase> = {}, dueAt = NOW): ReminderCase => ({
  reminder: { id: 'r', organizationId: ORG, status: 'SCHEDULED', kind, channel: 'EMAIL', dueAt, appointmentStartsAt: null },
  clinic,
  appointment: null,
  plan: { id: 'pl', status: 'ACTIVE', practitionerId: 'p', body },
  nextBooked: null,
  client,
  ...over,
});

describe('reminderGate: is the reminder still this job’s to send?', () => {
  it.each([
    ['no reminder row', null, { done: 'reminder-not-found' }],
    ['another organization’s reminder', { organizationId: 'other', status: 'SCHEDULED' as const }, { mismatch: 'other' }],
    ['a SENT reminder', { organizationId: ORG, status: 'SENT' as const }, { done: 'reminder-sent' }],
    ['a CANCELLED reminder', { organizationId: ORG, status: 'CANCELLED' as const }, { done: 'reminder-cancelled' }],
    ['a SCHEDULED reminder', { organizationId: ORG, status: 'SCHEDULED' as const }, { proceed: true }],
    ['a FAILED reminder (a retry)', { organizationId: ORG, status: 'FAILED' as const }, { proceed: true }],
  ])('%s', (_label, reminder, expected) => {
    expect(reminderGate(reminder, ORG)).toEqual(expected);
  });
});

describe('skipReason: does the reminder’s cause still hold?', () => {
  it.each<[string, ReminderCase, string | null]>([
    ['a booked appointment ahead, a client with consent and email: send', appointmentCase(), null],
    ['the clinic is gone', appointmentCase({ clinic: null }), 'clinic not found'],
    ['the appointment is gone', appointmentCase({ appointment: null }), 'the appointment no longer exists'],
    ['the appointment was cancelled late', appointmentCase({}, { status: 'LATE_CANCELLED' }), 'the appointment is late cancelled'],
    ['the appointment moved since the reminder was computed', appointmentCase({}, { startsAt: new Date(STARTS.getTime() + 3600_000) }), 'the appointment was moved'],
    ['the appointment has started', appointmentCase({ reminder: { ...appointmentCase().reminder, appointmentStartsAt: NOW } }, { startsAt: NOW }), 'the appointment has started'],
    ['the client is archived', appointmentCase({ client: { ...client, archivedAt: NOW } }), 'the client is archived'],
    ['the client withdrew consent', appointmentCase({ client: { ...client, reminderConsent: false } }), 'the client has not agreed to reminders'],
    ['no email address for an email', appointmentCase({ client: { ...client, email: '  ' } }), 'the client has no email address'],
    ['no phone for an SMS', appointmentCase({ reminder: { ...appointmentCase().reminder, channel: 'SMS' } }), 'the client has no phone number'],
    ['a re-assessment reminder, nothing booked: send', planCase('REASSESSMENT_DUE'), null],
    ['a re-assessment reminder, the re-assessment booked', planCase('REASSESSMENT_DUE', { nextBooked: { kind: 'REASSESSMENT', startsAt: STARTS } }), 'the re-assessment is booked'],
    ['a re-assessment reminder, a plain session booked: send', planCase('REASSESSMENT_DUE', { nextBooked: { kind: 'SESSION', startsAt: STARTS } }), null],
    ['a maintenance reminder, a visit booked', planCase('MAINTENANCE_DUE', { nextBooked: { kind: 'MAINTENANCE', startsAt: STARTS } }), 'a visit is booked'],
    ['a maintenance follow-up, nothing booked: send', planCase('MAINTENANCE_FOLLOW_UP'), null],
    ['a plan completed since', planCase('MAINTENANCE_DUE', { plan: { id: 'pl', status: 'COMPLETED', practitionerId: 'p', body: null } }), 'the plan is completed'],
    ['the plan is gone', planCase('HOME_CARE', { plan: null }), 'the plan no longer exists'],
    ['home care on a Monday (prescribed): send', planCase('HOME_CARE'), null],
    ['home care on a Tuesday (nothing prescribed)', planCase('HOME_CARE', {}, new Date('2026-03-03T10:00:00Z')), 'nothing prescribed for the day'],
  ])('%s', (_label, c, expected) => {
    expect(skipReason(c, NOW)).toBe(expected);
  });
});
