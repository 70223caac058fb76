import type { ConsentMethod, ReferralAction, ReferralStatus, ReferralUrgency, SharedRecordType } from '../../gql/graphql';

export const REFERRAL_STATUS: Record<ReferralStatus, string> = {
  DRAFT: 'Draft',
  SENT: 'Waiting for an answer',
  ACCEPTED: 'Accepted',
  DECLINED: 'Declined',
  SCHEDULED: 'Appointment booked',
  COMPLETED: 'Reply received',
  CLOSED: 'Closed',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired unanswered',
};

/** The receiver reads the same states from the other end. */
export const INBOX_STATUS: Record<ReferralStatus, string> = {
  ...REFERRAL_STATUS,
  SENT: 'New: needs an answer',
  COMPLETED: 'Reply sent',
};

export const URGENCY: Record<ReferralUrgency, { label: string; due: string }> = {
  ROUTINE: { label: 'Routine', due: 'answer within 3 business days' },
  URGENT: { label: 'Urgent', due: 'answer within 1 business day' },
  EMERGENCY: { label: 'Emergency', due: 'answer within 4 hours' },
};

export const SHARED_RECORDS: Record<SharedRecordType, { label: string; hint: string }> = {
  INTAKE_SUMMARY: { label: 'Intake summary', hint: 'complaints, history, red-flag screening' },
  CURRENT_PLAN: { label: 'Current plan', hint: 'phases, techniques and benchmarks' },
  OUTCOME_HISTORY: { label: 'Outcome history', hint: 'pain and function over time' },
  SIGNED_NOTES: { label: 'Signed session notes', hint: 'what was done in each session' },
};

export const CONSENT_METHOD: Record<ConsentMethod, string> = {
  VERBAL: 'Verbal',
  WRITTEN: 'Written',
};

export const ACTION_LABEL: Partial<Record<ReferralAction, string>> = {
  SEND: 'Send',
  ACCEPT: 'Accept',
  DECLINE: 'Decline',
  ASSIGN: 'Assign',
  LINK_CLIENT: 'Link client',
  BOOK: 'Book appointment',
  COMPLETE: 'Complete with reply',
  CLOSE: 'Close',
  CANCEL: 'Cancel referral',
  WITHDRAW_CONSENT: 'Withdraw consent',
};

/** The CSS modifier of a status pill: `SCHEDULED` → `scheduled`. */
export const statusClass = (s: string): string => `status status--label status--${s.toLowerCase().replace(/_/g, '-')}`;
