import type { Role } from '@fascia/db';

export interface InvitationEmailInput {
  inviteeName: string;
  inviterName: string;
  organizationName: string;
  role: Role;
  link: string;
  expiresAt: Date;
}

const ROLE_LABEL: Record<Role, string> = {
  ORG_ADMIN: 'organization administrator',
  CLINIC_MANAGER: 'clinic manager',
  FRONT_DESK: 'front desk',
  PRACTITIONER: 'practitioner',
};

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Dates in UTC with the zone named: the worker does not know the reader's time zone.
 * Written out by hand rather than with Intl, whose output changes with the ICU version.
 */
export function formatExpiry(d: Date): string {
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} at ${hh}:${mm} UTC`;
}

/** The invitation email, plain text and simple HTML. Pure: no I/O. */
export function invitationEmail(input: InvitationEmailInput): { subject: string; text: string; html: string } {
  const role = ROLE_LABEL[input.role];
  const expires = formatExpiry(input.expiresAt);
  const subject = `${input.inviterName} invited you to ${input.organizationName} on Fascia`;
  const text = [
    `Hello ${input.inviteeName},`,
    '',
    `${input.inviterName} has invited you to join ${input.organizationName} on Fascia as ${role}.`,
    '',
    'To accept, open this link and choose a password:',
    input.link,
    '',
    `The invitation expires on ${expires}. If you were not expecting it, you can ignore this email.`,
  ].join('\n');
  const h = escapeHtml;
  const html = `<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5">
<p>Hello ${h(input.inviteeName)},</p>
<p>${h(input.inviterName)} has invited you to join <strong>${h(input.organizationName)}</strong> on Fascia as ${h(role)}.</p>
<p><a href="${h(input.link)}">Accept the invitation</a></p>
<p style="color:#555">Or paste this link into your browser: ${h(input.link)}</p>
<p style="color:#555">The invitation expires on ${h(expires)}. If you were not expecting it, you can ignore this email.</p>
</body></html>`;
  return { subject, text, html };
}
