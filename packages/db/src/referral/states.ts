import type { ReferralStatus } from '../entities/referral.entity';

/**
 * Who may move a referral, and from where to where: the one table (docs/api.md, "Referrals").
 * Pure: no I/O, no clock. The API's operations and the worker's expiry both ask it; the
 * database rows are only ever changed after it said yes for the row's current (locked) state.
 *
 * - the referrer sends, cancels (from any open state), closes (once completed) and withdraws consent;
 * - the receiver accepts or declines (a reason required) what was sent, assigns a pool, links the
 *   client, books (→ SCHEDULED) and completes with a reply;
 * - the system expires what stays unanswered past its validity.
 */
export type ReferralParty = 'REFERRER' | 'RECEIVER' | 'SYSTEM';

export const REFERRAL_ACTIONS = [
  'SEND',
  'CANCEL',
  'CLOSE',
  'WITHDRAW_CONSENT',
  'ACCEPT',
  'DECLINE',
  'ASSIGN',
  'LINK_CLIENT',
  'BOOK',
  'COMPLETE',
  'MESSAGE',
  'EXPIRE',
] as const;
export type ReferralActionName = (typeof REFERRAL_ACTIONS)[number];

export interface ReferralRule {
  /** Which side may take the action (MESSAGE: both). */
  by: ReferralParty | 'BOTH';
  /** The states it may be taken from. */
  from: readonly ReferralStatus[];
  /** The state it moves to; null: the status stays (assigning, linking, withdrawing consent, a message). */
  to: ReferralStatus | null;
  /** A reason must be given (declining, cancelling, withdrawing consent). */
  reasonRequired: boolean;
}

/** The states in which a referral is still open (cancellable, its consent able to be live). */
export const OPEN_STATUSES: readonly ReferralStatus[] = ['DRAFT', 'SENT', 'ACCEPTED', 'SCHEDULED'];
/** The states that end the consent's grants (their access is revoked on entering them). */
export const GRANT_ENDING_STATUSES: readonly ReferralStatus[] = ['DECLINED', 'CANCELLED', 'EXPIRED', 'CLOSED'];

export const REFERRAL_RULES: Readonly<Record<ReferralActionName, ReferralRule>> = {
  SEND: { by: 'REFERRER', from: ['DRAFT'], to: 'SENT', reasonRequired: false },
  CANCEL: { by: 'REFERRER', from: OPEN_STATUSES, to: 'CANCELLED', reasonRequired: true },
  CLOSE: { by: 'REFERRER', from: ['COMPLETED'], to: 'CLOSED', reasonRequired: false },
  WITHDRAW_CONSENT: { by: 'REFERRER', from: ['SENT', 'ACCEPTED', 'SCHEDULED', 'COMPLETED'], to: null, reasonRequired: true },
  ACCEPT: { by: 'RECEIVER', from: ['SENT'], to: 'ACCEPTED', reasonRequired: false },
  DECLINE: { by: 'RECEIVER', from: ['SENT'], to: 'DECLINED', reasonRequired: true },
  ASSIGN: { by: 'RECEIVER', from: ['SENT', 'ACCEPTED'], to: null, reasonRequired: false },
  LINK_CLIENT: { by: 'RECEIVER', from: ['ACCEPTED', 'SCHEDULED'], to: null, reasonRequired: false },
  BOOK: { by: 'RECEIVER', from: ['ACCEPTED'], to: 'SCHEDULED', reasonRequired: false },
  COMPLETE: { by: 'RECEIVER', from: ['SCHEDULED'], to: 'COMPLETED', reasonRequired: false },
  MESSAGE: { by: 'BOTH', from: ['SENT', 'ACCEPTED', 'DECLINED', 'SCHEDULED', 'COMPLETED'], to: null, reasonRequired: false },
  EXPIRE: { by: 'SYSTEM', from: ['SENT'], to: 'EXPIRED', reasonRequired: false },
};

export type TransitionVerdict =
  | { ok: true; to: ReferralStatus | null; rule: ReferralRule }
  | { ok: false; code: 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT'; message: string };

const ACTION_WORDS: Record<ReferralActionName, string> = {
  SEND: 'sent',
  CANCEL: 'cancelled',
  CLOSE: 'closed',
  WITHDRAW_CONSENT: 'withdrawn from (consent)',
  ACCEPT: 'accepted',
  DECLINE: 'declined',
  ASSIGN: 'assigned',
  LINK_CLIENT: 'linked to a client',
  BOOK: 'booked',
  COMPLETE: 'completed',
  MESSAGE: 'messaged',
  EXPIRE: 'expired',
};

const SIDE_WORDS: Record<ReferralParty | 'BOTH', string> = {
  REFERRER: 'the referring side',
  RECEIVER: 'the receiving side',
  SYSTEM: 'the system',
  BOTH: 'either side',
};

/**
 * May `party` take `action` on a referral in state `from`? FORBIDDEN for the wrong side,
 * CONFLICT for a state it cannot be taken from (someone else moved it first, or it is over),
 * BAD_USER_INPUT for a missing reason.
 */
export function referralTransition(action: ReferralActionName, party: ReferralParty, from: ReferralStatus, reason?: string | null): TransitionVerdict {
  const rule = REFERRAL_RULES[action];
  if (rule.by !== party && !(rule.by === 'BOTH' && party !== 'SYSTEM')) {
    return { ok: false, code: 'FORBIDDEN', message: `Only ${SIDE_WORDS[rule.by]} of a referral can ${verbOf(action)} it.` };
  }
  if (!rule.from.includes(from)) {
    return {
      ok: false,
      code: 'CONFLICT',
      message: `This referral is ${from}; it cannot be ${ACTION_WORDS[action]} now (only from ${rule.from.join(', ')}). Reload it to see what changed.`,
    };
  }
  if (rule.reasonRequired && !(reason ?? '').trim()) {
    return { ok: false, code: 'BAD_USER_INPUT', message: `Give a reason to ${verbOf(action)} a referral.` };
  }
  return { ok: true, to: rule.to, rule };
}

const verbOf = (action: ReferralActionName): string => (action === 'WITHDRAW_CONSENT' ? 'withdraw the consent of' : action.toLowerCase().replace('_', ' '));

/** What a caller is, for one referral: which side, and what the receiving side's roles allow. */
export interface ReferralCaller {
  party: 'REFERRER' | 'RECEIVER';
  /** Referrer: the referring user or a manager/admin of the referring organization. Receiver: the assigned practitioner, a manager or an admin. */
  mayAct: boolean;
  /** Receiver: a CLINIC_MANAGER of the receiving clinic or an ORG_ADMIN (assigns a pool). */
  isManager: boolean;
  /** Receiver: may book appointments (front desk, managers, admins, practitioners). */
  mayBook: boolean;
}

/** The state of one referral that decides what can be done next. */
export interface ReferralSituation {
  status: ReferralStatus;
  consentWithdrawn: boolean;
  /** A pool not yet assigned to a practitioner. */
  unassignedPool: boolean;
  /** The receiver has linked its own client record. */
  clientLinked: boolean;
}

/** The actions this caller may take now (the admin app shows exactly these). */
export function allowedReferralActions(caller: ReferralCaller, s: ReferralSituation): ReferralActionName[] {
  const out: ReferralActionName[] = [];
  for (const action of REFERRAL_ACTIONS) {
    if (action === 'EXPIRE') continue;
    const rule = REFERRAL_RULES[action];
    if (!(rule.by === caller.party || rule.by === 'BOTH')) continue;
    if (!rule.from.includes(s.status)) continue;
    switch (action) {
      case 'WITHDRAW_CONSENT':
        if (s.consentWithdrawn || !caller.mayAct) continue;
        break;
      case 'ASSIGN':
        if (!s.unassignedPool || !caller.isManager) continue;
        break;
      case 'LINK_CLIENT':
        if (!(caller.mayAct || caller.mayBook)) continue;
        break;
      case 'BOOK':
        if (!s.clientLinked || !caller.mayBook) continue;
        break;
      case 'MESSAGE':
        break;
      default:
        if (!caller.mayAct) continue;
    }
    out.push(action);
  }
  return out;
}
