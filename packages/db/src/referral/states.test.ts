import type { ReferralStatus } from '../entities/referral.entity';
import { REFERRAL_STATUSES } from '../entities/referral.entity';
import { allowedReferralActions, type ReferralActionName, type ReferralCaller, type ReferralParty, referralTransition } from './states';

/** The state table, one row per rule of issue 12 ("Status workflow"). */
describe('referralTransition: who may move a referral, from where to where', () => {
  const legal: [ReferralActionName, ReferralParty, ReferralStatus, ReferralStatus | null][] = [
    ['SEND', 'REFERRER', 'DRAFT', 'SENT'],
    ['ACCEPT', 'RECEIVER', 'SENT', 'ACCEPTED'],
    ['DECLINE', 'RECEIVER', 'SENT', 'DECLINED'],
    ['BOOK', 'RECEIVER', 'ACCEPTED', 'SCHEDULED'],
    ['COMPLETE', 'RECEIVER', 'SCHEDULED', 'COMPLETED'],
    ['CLOSE', 'REFERRER', 'COMPLETED', 'CLOSED'],
    ['CANCEL', 'REFERRER', 'DRAFT', 'CANCELLED'],
    ['CANCEL', 'REFERRER', 'SENT', 'CANCELLED'],
    ['CANCEL', 'REFERRER', 'ACCEPTED', 'CANCELLED'],
    ['CANCEL', 'REFERRER', 'SCHEDULED', 'CANCELLED'],
    ['EXPIRE', 'SYSTEM', 'SENT', 'EXPIRED'],
    ['ASSIGN', 'RECEIVER', 'SENT', null],
    ['ASSIGN', 'RECEIVER', 'ACCEPTED', null],
    ['LINK_CLIENT', 'RECEIVER', 'ACCEPTED', null],
    ['WITHDRAW_CONSENT', 'REFERRER', 'SCHEDULED', null],
    ['MESSAGE', 'REFERRER', 'SENT', null],
    ['MESSAGE', 'RECEIVER', 'COMPLETED', null],
  ];
  it.each(legal)('%s by the %s from %s → %s', (action, party, from, to) => {
    expect(referralTransition(action, party, from, 'a reason')).toEqual(expect.objectContaining({ ok: true, to }));
  });

  const wrongSide: [ReferralActionName, ReferralParty, ReferralStatus][] = [
    ['ACCEPT', 'REFERRER', 'SENT'],
    ['DECLINE', 'REFERRER', 'SENT'],
    ['COMPLETE', 'REFERRER', 'SCHEDULED'],
    ['BOOK', 'REFERRER', 'ACCEPTED'],
    ['CANCEL', 'RECEIVER', 'SENT'],
    ['CLOSE', 'RECEIVER', 'COMPLETED'],
    ['SEND', 'RECEIVER', 'DRAFT'],
    ['WITHDRAW_CONSENT', 'RECEIVER', 'SENT'],
    ['EXPIRE', 'REFERRER', 'SENT'],
    ['EXPIRE', 'RECEIVER', 'SENT'],
    ['MESSAGE', 'SYSTEM', 'SENT'],
  ];
  it.each(wrongSide)('%s by the %s is FORBIDDEN', (action, party, from) => {
    expect(referralTransition(action, party, from, 'a reason')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('refuses every other state as CONFLICT (a state that moved on, or is over)', () => {
    const pairs: [ReferralActionName, ReferralParty, ReferralStatus[]][] = [
      ['SEND', 'REFERRER', ['DRAFT']],
      ['ACCEPT', 'RECEIVER', ['SENT']],
      ['DECLINE', 'RECEIVER', ['SENT']],
      ['BOOK', 'RECEIVER', ['ACCEPTED']],
      ['COMPLETE', 'RECEIVER', ['SCHEDULED']],
      ['CLOSE', 'REFERRER', ['COMPLETED']],
      ['CANCEL', 'REFERRER', ['DRAFT', 'SENT', 'ACCEPTED', 'SCHEDULED']],
      ['EXPIRE', 'SYSTEM', ['SENT']],
    ];
    for (const [action, party, allowed] of pairs) {
      for (const from of REFERRAL_STATUSES.filter((s) => !allowed.includes(s))) {
        expect([action, from, referralTransition(action, party, from, 'r')]).toEqual([action, from, expect.objectContaining({ ok: false, code: 'CONFLICT' })]);
      }
    }
  });

  it.each([['DECLINE', 'RECEIVER', 'SENT'], ['CANCEL', 'REFERRER', 'SENT'], ['WITHDRAW_CONSENT', 'REFERRER', 'ACCEPTED']] as const)(
    '%s needs a reason (BAD_USER_INPUT without one)',
    (action, party, from) => {
      expect(referralTransition(action, party, from, '  ')).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
      expect(referralTransition(action, party, from, null)).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
    },
  );
});

describe('allowedReferralActions: what the caller may do now', () => {
  const referrer: ReferralCaller = { party: 'REFERRER', mayAct: true, isManager: false, mayBook: false };
  const practitioner: ReferralCaller = { party: 'RECEIVER', mayAct: true, isManager: false, mayBook: true };
  const manager: ReferralCaller = { party: 'RECEIVER', mayAct: true, isManager: true, mayBook: true };
  const frontDesk: ReferralCaller = { party: 'RECEIVER', mayAct: false, isManager: false, mayBook: true };
  const base = { consentWithdrawn: false, unassignedPool: false, clientLinked: false };
  const rows: [string, ReferralCaller, ReferralStatus, Partial<typeof base>, ReferralActionName[]][] = [
    ['referrer, draft', referrer, 'DRAFT', {}, ['SEND', 'CANCEL']],
    ['referrer, sent', referrer, 'SENT', {}, ['CANCEL', 'WITHDRAW_CONSENT', 'MESSAGE']],
    ['referrer, sent, consent withdrawn', referrer, 'SENT', { consentWithdrawn: true }, ['CANCEL', 'MESSAGE']],
    ['referrer, completed', referrer, 'COMPLETED', {}, ['CLOSE', 'WITHDRAW_CONSENT', 'MESSAGE']],
    ['referrer, closed', referrer, 'CLOSED', {}, []],
    ['practitioner, sent', practitioner, 'SENT', {}, ['ACCEPT', 'DECLINE', 'MESSAGE']],
    ['manager, sent pool', manager, 'SENT', { unassignedPool: true }, ['ACCEPT', 'DECLINE', 'ASSIGN', 'MESSAGE']],
    ['practitioner, accepted, not linked', practitioner, 'ACCEPTED', {}, ['LINK_CLIENT', 'MESSAGE']],
    ['practitioner, accepted, linked', practitioner, 'ACCEPTED', { clientLinked: true }, ['LINK_CLIENT', 'BOOK', 'MESSAGE']],
    ['front desk, accepted, linked', frontDesk, 'ACCEPTED', { clientLinked: true }, ['LINK_CLIENT', 'BOOK', 'MESSAGE']],
    ['practitioner, scheduled', practitioner, 'SCHEDULED', { clientLinked: true }, ['LINK_CLIENT', 'COMPLETE', 'MESSAGE']],
    ['practitioner, expired', practitioner, 'EXPIRED', {}, []],
  ];
  it.each(rows)('%s', (_name, caller, status, situation, expected) => {
    expect(allowedReferralActions(caller, { ...base, ...situation, status })).toEqual(expected);
  });
});
