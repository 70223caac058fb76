import type { WeeklyWindow } from '@fascia/planning';
import { referralFollowUpTimes, type ReferralUrgency } from './referral-deadlines';

const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';
const SYDNEY = 'Australia/Sydney';
const d = (iso: string) => new Date(iso);
const days = (start: string, end: string, weekdays: number[]): WeeklyWindow[] => weekdays.map((weekday) => ({ weekday, start, end }));
const WEEKDAYS_8_18 = days('08:00', '18:00', [1, 2, 3, 4, 5]);
const CLOSED_WEDNESDAY = days('08:00', '18:00', [1, 2, 4, 5]);
const OPEN_SATURDAY = [...WEEKDAYS_8_18, ...days('09:00', '13:00', [6])];
const SPLIT_DAY = [...days('08:00', '12:00', [1, 2, 3, 4, 5]), ...days('13:00', '18:00', [1, 2, 3, 4, 5])];

type Row = [label: string, urgency: ReferralUrgency, sentAt: string, zone: string, hours: WeeklyWindow[] | undefined, dueAt: string, escalateAt: string];

describe('referralFollowUpTimes: the answer deadline and the escalation', () => {
  it.each<Row>([
    // EMERGENCY: 4 hours of elapsed time, any day.
    ['EMERGENCY, Tuesday afternoon: 4 and 8 hours', 'EMERGENCY', '2026-06-09T13:00:00Z', LONDON, undefined, '2026-06-09T17:00:00Z', '2026-06-09T21:00:00Z'],
    ['EMERGENCY on a Saturday does not wait for Monday', 'EMERGENCY', '2026-06-13T09:00:00Z', LONDON, WEEKDAYS_8_18, '2026-06-13T13:00:00Z', '2026-06-13T17:00:00Z'],
    // Spring forward (29 March 2026, 01:00Z): 23:30 GMT + 4 h is 04:30 BST — elapsed hours, not wall hours.
    ['EMERGENCY across the spring-forward night: elapsed hours', 'EMERGENCY', '2026-03-28T23:30:00Z', LONDON, undefined, '2026-03-29T03:30:00Z', '2026-03-29T07:30:00Z'],
    // Fall back (25 October 2026, 01:00Z): 00:30 BST + 4 h is 03:30 GMT.
    ['EMERGENCY across the fall-back night: elapsed hours', 'EMERGENCY', '2026-10-24T23:30:00Z', LONDON, undefined, '2026-10-25T03:30:00Z', '2026-10-25T07:30:00Z'],

    // Business days, no opening hours: Mon–Fri in the clinic's zone, same local time N business days on.
    ['URGENT, Tuesday 14:00 BST: Wednesday 14:00', 'URGENT', '2026-06-09T13:00:00Z', LONDON, undefined, '2026-06-10T13:00:00Z', '2026-06-11T13:00:00Z'],
    ['ROUTINE, Tuesday 14:00 BST: Friday 14:00, escalation next Wednesday', 'ROUTINE', '2026-06-09T13:00:00Z', LONDON, undefined, '2026-06-12T13:00:00Z', '2026-06-17T13:00:00Z'],
    ['URGENT, Friday 19:00 BST: Monday 19:00, escalation Tuesday', 'URGENT', '2026-06-12T18:00:00Z', LONDON, undefined, '2026-06-15T18:00:00Z', '2026-06-16T18:00:00Z'],
    ['ROUTINE, Friday 19:00 BST: Wednesday 19:00, escalation the Monday after', 'ROUTINE', '2026-06-12T18:00:00Z', LONDON, undefined, '2026-06-17T18:00:00Z', '2026-06-22T18:00:00Z'],
    // Saturday: the clock starts Monday 00:00 BST, one whole business day → Tuesday 00:00 BST.
    ['URGENT, Saturday: counted from Monday 00:00, due Tuesday 00:00', 'URGENT', '2026-06-13T09:00:00Z', LONDON, undefined, '2026-06-15T23:00:00Z', '2026-06-16T23:00:00Z'],
    ['URGENT, Sunday late evening: the same', 'URGENT', '2026-06-14T22:30:00Z', LONDON, undefined, '2026-06-15T23:00:00Z', '2026-06-16T23:00:00Z'],
    ['URGENT, Monday 00:30 BST (Sunday in UTC): Tuesday 00:30', 'URGENT', '2026-06-14T23:30:00Z', LONDON, undefined, '2026-06-15T23:30:00Z', '2026-06-16T23:30:00Z'],
    ['seconds and milliseconds are kept', 'URGENT', '2026-06-09T13:00:12.345Z', LONDON, undefined, '2026-06-10T13:00:12.345Z', '2026-06-11T13:00:12.345Z'],

    // Opening hours: the clock runs from the day's opening to its closing.
    ['URGENT, Friday 19:00 after closing: from Monday 08:00, due Tuesday 08:00', 'URGENT', '2026-06-12T18:00:00Z', LONDON, WEEKDAYS_8_18, '2026-06-16T07:00:00Z', '2026-06-17T07:00:00Z'],
    ['ROUTINE, Friday 19:00 after closing: Thursday 08:00', 'ROUTINE', '2026-06-12T18:00:00Z', LONDON, WEEKDAYS_8_18, '2026-06-18T07:00:00Z', '2026-06-23T07:00:00Z'],
    ['URGENT, Tuesday 07:00 before opening: from 08:00, due Wednesday 08:00', 'URGENT', '2026-06-09T06:00:00Z', LONDON, WEEKDAYS_8_18, '2026-06-10T07:00:00Z', '2026-06-11T07:00:00Z'],
    ['URGENT, Tuesday 14:00 while open: Wednesday 14:00', 'URGENT', '2026-06-09T13:00:00Z', LONDON, WEEKDAYS_8_18, '2026-06-10T13:00:00Z', '2026-06-11T13:00:00Z'],
    ['URGENT, Tuesday 12:30 at lunch (between two windows): counts as open', 'URGENT', '2026-06-09T11:30:00Z', LONDON, SPLIT_DAY, '2026-06-10T11:30:00Z', '2026-06-11T11:30:00Z'],
    ['URGENT, Tuesday 14:00, clinic closed on Wednesdays: Thursday 14:00', 'URGENT', '2026-06-09T13:00:00Z', LONDON, CLOSED_WEDNESDAY, '2026-06-11T13:00:00Z', '2026-06-12T13:00:00Z'],
    ['URGENT, Saturday, clinic open on Saturdays: still Monday 08:00 → Tuesday 08:00', 'URGENT', '2026-06-13T09:00:00Z', LONDON, OPEN_SATURDAY, '2026-06-16T07:00:00Z', '2026-06-17T07:00:00Z'],
    ['opening hours only at weekends are ignored (plain Monday–Friday)', 'URGENT', '2026-06-12T18:00:00Z', LONDON, days('09:00', '13:00', [6, 7]), '2026-06-15T18:00:00Z', '2026-06-16T18:00:00Z'],

    // DST in London: the deadline keeps its local time across a 23- or 25-hour Sunday.
    ['URGENT, Friday 14:00 GMT before spring forward: Monday 14:00 BST (13:00Z)', 'URGENT', '2026-03-27T14:00:00Z', LONDON, undefined, '2026-03-30T13:00:00Z', '2026-03-31T13:00:00Z'],
    ['ROUTINE, Friday 14:00 GMT before spring forward: Wednesday 14:00 BST', 'ROUTINE', '2026-03-27T14:00:00Z', LONDON, undefined, '2026-04-01T13:00:00Z', '2026-04-06T13:00:00Z'],
    ['URGENT, Saturday before spring forward, opening hours: Tuesday 08:00 BST', 'URGENT', '2026-03-28T12:00:00Z', LONDON, WEEKDAYS_8_18, '2026-03-31T07:00:00Z', '2026-04-01T07:00:00Z'],
    ['URGENT, Friday 14:00 BST before fall back: Monday 14:00 GMT (14:00Z)', 'URGENT', '2026-10-23T13:00:00Z', LONDON, undefined, '2026-10-26T14:00:00Z', '2026-10-27T14:00:00Z'],
    ['ROUTINE, Friday 19:00 BST before fall back, opening hours: Thursday 08:00 GMT', 'ROUTINE', '2026-10-23T18:00:00Z', LONDON, WEEKDAYS_8_18, '2026-10-29T08:00:00Z', '2026-11-03T08:00:00Z'],

    // Other zones: the receiving clinic's calendar decides.
    ['New York, URGENT Friday 17:00 EST before spring forward: Monday 17:00 EDT', 'URGENT', '2026-03-06T22:00:00Z', NEW_YORK, undefined, '2026-03-09T21:00:00Z', '2026-03-10T21:00:00Z'],
    // Friday 18:00 UTC is already Saturday 04:00 in Sydney: counted from Monday 00:00 AEST.
    ['Sydney: a Friday in London is a Saturday there', 'URGENT', '2026-06-12T18:00:00Z', SYDNEY, undefined, '2026-06-15T14:00:00Z', '2026-06-16T14:00:00Z'],
  ])('%s', (_label, urgency, sentAt, zone, openingHours, dueAt, escalateAt) => {
    const out = referralFollowUpTimes({ urgency, sentAt: d(sentAt), timeZone: zone, openingHours });
    expect(out.dueAt.toISOString()).toBe(d(dueAt).toISOString());
    expect(out.escalateAt.toISOString()).toBe(d(escalateAt).toISOString());
    expect(out.dueAt.getTime()).toBeGreaterThan(d(sentAt).getTime());
    expect(out.escalateAt.getTime()).toBeGreaterThan(out.dueAt.getTime());
  });
});

describe('referralFollowUpTimes: validity', () => {
  it.each<[label: string, sentAt: string, validForDays: number | undefined, validUntil: string]>([
    ['default 30 days, same local time', '2026-06-09T13:00:00Z', undefined, '2026-07-09T13:00:00Z'],
    ['30 days across the October change: 10:00 BST → 10:00 GMT', '2026-10-13T09:00:00Z', 30, '2026-11-12T10:00:00Z'],
    ['30 days across the March change: 10:00 GMT → 10:00 BST', '2026-03-10T10:00:00Z', 30, '2026-04-09T09:00:00Z'],
    ['ending in the spring-forward gap: 01:30 moves forward to 02:30 BST', '2026-02-27T01:30:00Z', 30, '2026-03-29T01:30:00Z'],
    ['ending in the repeated autumn hour: its first occurrence (BST)', '2026-09-25T00:30:00Z', 30, '2026-10-25T00:30:00Z'],
    ['one day', '2026-06-09T13:00:00Z', 1, '2026-06-10T13:00:00Z'],
    ['90 days', '2026-06-09T13:00:00Z', 90, '2026-09-07T13:00:00Z'],
  ])('%s', (_label, sentAt, validForDays, validUntil) => {
    const out = referralFollowUpTimes({ urgency: 'ROUTINE', sentAt: d(sentAt), timeZone: LONDON, validForDays });
    expect(out.validUntil.toISOString()).toBe(d(validUntil).toISOString());
  });

  it('refuses what it cannot compute, naming it', () => {
    const base = { urgency: 'URGENT' as const, sentAt: d('2026-06-09T13:00:00Z'), timeZone: LONDON };
    expect(() => referralFollowUpTimes({ ...base, timeZone: 'Mars/Olympus' })).toThrow(/time zone "Mars\/Olympus"/);
    expect(() => referralFollowUpTimes({ ...base, validForDays: 0 })).toThrow(/validForDays/);
    expect(() => referralFollowUpTimes({ ...base, validForDays: 91 })).toThrow(/validForDays/);
    expect(() => referralFollowUpTimes({ ...base, validForDays: 1.5 })).toThrow(/validForDays/);
    expect(() => referralFollowUpTimes({ ...base, sentAt: new Date('nope') })).toThrow(/sentAt/);
    expect(() => referralFollowUpTimes({ ...base, openingHours: [{ weekday: 1, start: '9am', end: '17:00' }] })).toThrow(/HH:mm/);
    expect(() => referralFollowUpTimes({ ...base, openingHours: [{ weekday: 8, start: '09:00', end: '17:00' }] })).toThrow(/weekday 8/);
  });
});
