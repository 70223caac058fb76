import { formatReferralTime, referralEmail, type ReferralEmailInput, type ReferralStatus } from './referral-messages';

const input: ReferralEmailInput = {
  recipientName: 'Priya Patel',
  side: 'RECEIVER',
  otherOrganizationName: 'Harbour Massage',
  otherClinicName: 'Harbour Massage Leith',
  receivingClinicName: 'Northside Physio',
  discipline: 'PHYSIOTHERAPY',
  urgency: 'URGENT',
  dueAt: new Date('2026-06-10T13:00:00Z'),
  validUntil: new Date('2026-07-09T13:00:00Z'),
  timeZone: 'Europe/London',
  link: 'https://admin.example/referrals/abc',
};

describe('referral emails', () => {
  it('a new referral names the sender, the urgency and the deadline in the clinic zone, and links to it', () => {
    const m = referralEmail({ kind: 'CHANGED', toStatus: 'SENT' }, input);
    expect(m?.subject).toBe('New urgent referral from Harbour Massage Leith');
    expect(m?.text).toContain('Hello Priya Patel,');
    expect(m?.text).toContain('has sent Northside Physio an urgent referral for physiotherapy.');
    expect(m?.text).toContain('by Wednesday 10 June 2026, 14:00 (Europe/London)');
    expect(m?.text).toContain('Open the referral: https://admin.example/referrals/abc');
  });

  it.each<[ReferralStatus, RegExp]>([
    ['ACCEPTED', /accepted/],
    ['DECLINED', /declined/],
    ['SCHEDULED', /booked an appointment/],
    ['COMPLETED', /reply/],
    ['CLOSED', /closed/],
    ['CANCELLED', /cancelled/],
    ['EXPIRED', /not answered by Thursday 9 July 2026, 14:00 \(Europe\/London\) and has expired/],
  ])('%s has its own words', (toStatus, words) => {
    const m = referralEmail({ kind: 'CHANGED', toStatus }, input);
    expect(m?.subject).toMatch(/Harbour Massage Leith/);
    expect(m?.text).toMatch(words);
  });

  it('a draft tells nobody', () => {
    expect(referralEmail({ kind: 'CHANGED', toStatus: 'DRAFT' }, input)).toBeNull();
  });

  it('the reminder and the escalation', () => {
    expect(referralEmail({ kind: 'REMINDER' }, input)?.subject).toBe('Reminder: an urgent referral from Harbour Massage Leith awaits your answer');
    const e = referralEmail({ kind: 'ESCALATION' }, { ...input, urgency: 'EMERGENCY' });
    expect(e?.subject).toBe('Overdue referral at Northside Physio: from Harbour Massage Leith, still unanswered');
    expect(e?.text).toContain('An EMERGENCY referral for physiotherapy from Harbour Massage Leith (Harbour Massage) to Northside Physio is still unanswered.');
    expect(e?.text).toContain('expires on Thursday 9 July 2026, 14:00 (Europe/London)');
  });

  it('formats across the October change in the clinic zone', () => {
    expect(formatReferralTime(new Date('2026-10-26T14:00:00Z'), 'Europe/London')).toBe('Monday 26 October 2026, 14:00 (Europe/London)');
    expect(formatReferralTime(new Date('2026-10-23T13:00:00Z'), 'Europe/London')).toBe('Friday 23 October 2026, 14:00 (Europe/London)');
    expect(() => formatReferralTime(new Date(), 'Mars/Olympus')).toThrow(/time zone/);
  });
});
