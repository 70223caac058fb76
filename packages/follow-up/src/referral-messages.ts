import { DateTime } from 'luxon';
import type { ReferralUrgency } from './referral-deadlines';

/**
 * The emails of the referral network (issue 12), pure: a state change told to the other
 * side, the receiver's reminder at the answer deadline, the escalation to the receiving
 * clinic's managers. They name the organizations, clinics, discipline, urgency and the
 * deadline and link to the referral in Fascia — never the client or anything clinical
 * (the reason, the question, the reply): an email leaves the system's access control, so
 * what it says must be harmless in the wrong inbox. The reader signs in to see the rest.
 */

export type ReferralStatus = 'DRAFT' | 'SENT' | 'ACCEPTED' | 'DECLINED' | 'SCHEDULED' | 'COMPLETED' | 'CLOSED' | 'CANCELLED' | 'EXPIRED';

export type ReferralEmailKind =
  | { kind: 'CHANGED'; toStatus: ReferralStatus }
  /** The receiver has not answered by the deadline. */
  | { kind: 'REMINDER' }
  /** Twice the deadline and still unanswered: to the receiving clinic's managers. */
  | { kind: 'ESCALATION' };

export interface ReferralEmailInput {
  /** Who reads it: the first name line. */
  recipientName: string;
  /** The side the reader is on. */
  side: 'REFERRER' | 'RECEIVER';
  /** The other side, as the reader knows it. */
  otherOrganizationName: string;
  otherClinicName: string;
  /** The receiving clinic (the reader's own for a receiver, the target for a referrer). */
  receivingClinicName: string;
  discipline: string;
  urgency: ReferralUrgency;
  /** The receiver's answer deadline and the clinic's zone it is shown in. */
  dueAt: Date | null;
  validUntil: Date | null;
  timeZone: string;
  /** `${ADMIN_URL}/referrals/<id>`. */
  link: string;
}

export interface ReferralEmail {
  subject: string;
  text: string;
}

const URGENCY_LABEL: Record<ReferralUrgency, string> = { ROUTINE: 'routine', URGENT: 'urgent', EMERGENCY: 'EMERGENCY' };
/** With its article: "a routine", "an urgent", "an EMERGENCY". */
const A_URGENCY: Record<ReferralUrgency, string> = { ROUTINE: 'a routine', URGENT: 'an urgent', EMERGENCY: 'an EMERGENCY' };
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A local time with its zone named, written out by hand (Intl's output changes with the
 * ICU version): "Tuesday 9 June 2026, 14:00 (Europe/London)".
 */
export function formatReferralTime(at: Date, zone: string): string {
  const l = DateTime.fromJSDate(at, { zone });
  if (!l.isValid) throw new Error(`Unknown time zone "${zone}"`);
  const hh = String(l.hour).padStart(2, '0');
  const mm = String(l.minute).padStart(2, '0');
  return `${WEEKDAYS[l.weekday - 1]} ${l.day} ${MONTHS[l.month - 1]} ${l.year}, ${hh}:${mm} (${zone})`;
}

const disciplineLabel = (d: string): string => d.toLowerCase().replace(/_/g, ' ');

/** What the referrer reads when the receiver moved, and the receiver when the referrer did. */
const CHANGED: Partial<Record<ReferralStatus, (i: ReferralEmailInput, when: (d: Date | null) => string) => ReferralEmail>> = {
  SENT: (i, when) => ({
    subject: `New ${URGENCY_LABEL[i.urgency]} referral from ${i.otherClinicName}`,
    text: [
      `${i.otherClinicName} (${i.otherOrganizationName}) has sent ${i.receivingClinicName} ${A_URGENCY[i.urgency]} referral for ${disciplineLabel(i.discipline)}.`,
      `Please accept or decline it by ${when(i.dueAt)}.`,
    ].join('\n'),
  }),
  ACCEPTED: (i) => ({
    subject: `Referral accepted by ${i.otherClinicName}`,
    text: `${i.otherClinicName} (${i.otherOrganizationName}) has accepted your ${URGENCY_LABEL[i.urgency]} referral for ${disciplineLabel(i.discipline)}.`,
  }),
  DECLINED: (i) => ({
    subject: `Referral declined by ${i.otherClinicName}`,
    text: `${i.otherClinicName} (${i.otherOrganizationName}) has declined your referral for ${disciplineLabel(i.discipline)}. Their reason is on the referral.`,
  }),
  SCHEDULED: (i) => ({
    subject: `Referral scheduled by ${i.otherClinicName}`,
    text: `${i.otherClinicName} (${i.otherOrganizationName}) has booked an appointment for your referral for ${disciplineLabel(i.discipline)}.`,
  }),
  COMPLETED: (i) => ({
    subject: `Referral completed by ${i.otherClinicName}: their reply is in`,
    text: `${i.otherClinicName} (${i.otherOrganizationName}) has completed your referral for ${disciplineLabel(i.discipline)} and sent their reply.`,
  }),
  CLOSED: (i) => ({
    subject: `Referral closed by ${i.otherClinicName}`,
    text: `${i.otherClinicName} (${i.otherOrganizationName}) has closed the referral for ${disciplineLabel(i.discipline)}. The records they shared are no longer available.`,
  }),
  CANCELLED: (i) => ({
    subject: `Referral cancelled by ${i.otherClinicName}`,
    text: `${i.otherClinicName} (${i.otherOrganizationName}) has cancelled the referral for ${disciplineLabel(i.discipline)}. The records they shared are no longer available.`,
  }),
  EXPIRED: (i, when) => ({
    subject: `Referral to ${i.otherClinicName} expired unanswered`,
    text: [
      `Your ${URGENCY_LABEL[i.urgency]} referral for ${disciplineLabel(i.discipline)} to ${i.otherClinicName} (${i.otherOrganizationName}) was not answered by ${when(i.validUntil)} and has expired.`,
      'The records shared with it are no longer available to them. You may refer the client again, to them or elsewhere.',
    ].join('\n'),
  }),
};

/**
 * The email for one referral event, or null when there is nothing to tell (a DRAFT is
 * nobody else's business).
 */
export function referralEmail(what: ReferralEmailKind, input: ReferralEmailInput): ReferralEmail | null {
  const when = (d: Date | null): string => (d ? formatReferralTime(d, input.timeZone) : 'its deadline');
  let body: ReferralEmail | null;
  if (what.kind === 'CHANGED') {
    body = CHANGED[what.toStatus]?.(input, when) ?? null;
  } else if (what.kind === 'REMINDER') {
    body = {
      subject: `Reminder: ${A_URGENCY[input.urgency]} referral from ${input.otherClinicName} awaits your answer`,
      text: [
        `The ${URGENCY_LABEL[input.urgency]} referral for ${disciplineLabel(input.discipline)} that ${input.otherClinicName} (${input.otherOrganizationName}) sent ${input.receivingClinicName} was due for an answer by ${when(input.dueAt)}.`,
        'Please accept or decline it. Unanswered, it goes to the clinic manager next.',
      ].join('\n'),
    };
  } else {
    body = {
      subject: `Overdue referral at ${input.receivingClinicName}: from ${input.otherClinicName}, still unanswered`,
      text: [
        `${capital(A_URGENCY[input.urgency])} referral for ${disciplineLabel(input.discipline)} from ${input.otherClinicName} (${input.otherOrganizationName}) to ${input.receivingClinicName} is still unanswered.`,
        `It was due by ${when(input.dueAt)}; it expires on ${when(input.validUntil)}.`,
        'Please see that it is accepted, assigned or declined.',
      ].join('\n'),
    };
  }
  if (!body) return null;
  return { subject: body.subject, text: [`Hello ${input.recipientName},`, '', body.text, '', `Open the referral: ${input.link}`].join('\n') };
}
