import { type Clock, type Db, Invitation, Membership, Organization, User } from '@fascia/db';
import { signInvitationToken } from '@fascia/jobs';
import type { DeliveryLog } from '../deliveries';
import { invitationEmail } from './invitation-email';
import { type Handler, jobResultOf, PermanentJobError } from './types';

export interface StaffInvitationDeps {
  db: Db;
  deliveries: DeliveryLog;
  appSecret: string;
  adminUrl: string;
  clock: Clock;
}

export const invitationDeliveryKey = (invitationId: string): string => `invitation:${invitationId}`;

/**
 * `staff.invitation.send`: reloads the invitation (the payload holds ids only), re-checks
 * that it belongs to the payload's organization and is still open, then sends the email
 * once through the delivery log.
 */
export function staffInvitationHandler(deps: StaffInvitationDeps): Handler<'staff.invitation.send'> {
  return async (data, ctx) => {
    const now = deps.clock.now();
    const loaded = await deps.db.system(async (em) => {
      const invitation = await em.findOneBy(Invitation, { id: data.invitationId });
      if (!invitation) return { skip: 'invitation-not-found' as const };
      if (invitation.organizationId !== data.organizationId) return { mismatch: invitation.organizationId };
      if (invitation.acceptedAt) return { skip: 'invitation-accepted' as const };
      if (invitation.expiresAt.getTime() <= now.getTime()) return { skip: 'invitation-expired' as const };
      // One transaction is one connection: these run one after the other.
      const organization = await em.findOneByOrFail(Organization, { id: invitation.organizationId });
      const inviter = await em.findOneBy(User, { id: invitation.invitedBy });
      const invitee = await em.findOneBy(User, { id: invitation.userId });
      const membership = await em.findOneBy(Membership, { id: invitation.membershipId, organizationId: invitation.organizationId });
      if (!membership || membership.status === 'REVOKED') return { skip: 'membership-revoked' as const };
      return { invitation, organization, inviter, invitee, membership };
    });

    if ('mismatch' in loaded) {
      ctx.log.error({ invitationId: data.invitationId, payloadOrganizationId: data.organizationId }, 'invitation belongs to another organization: job refused');
      throw new PermanentJobError(`Invitation ${data.invitationId} does not belong to organization ${data.organizationId}`);
    }
    if ('skip' in loaded) {
      ctx.log.info({ invitationId: data.invitationId, reason: loaded.skip }, 'invitation email not sent');
      return { outcome: 'skipped', reason: loaded.skip };
    }

    const { invitation, organization, inviter, invitee, membership } = loaded;
    const token = signInvitationToken(invitation.id, invitation.expiresAt, deps.appSecret);
    const link = `${deps.adminUrl}/accept-invitation?token=${encodeURIComponent(token)}`;
    const content = invitationEmail({
      // The name the inviter typed; an existing login's own name only when none was typed.
      inviteeName: invitation.displayName?.trim() || invitee?.displayName || invitation.email,
      inviterName: inviter?.displayName || 'A colleague',
      organizationName: organization.name,
      role: membership.role,
      link,
      expiresAt: invitation.expiresAt,
    });

    const outcome = await deps.deliveries.deliverOnce(
      {
        organizationId: invitation.organizationId,
        deliveryKey: invitationDeliveryKey(invitation.id),
        template: 'staff-invitation',
        outboxId: ctx.jobId,
        message: { channel: 'EMAIL', to: invitation.email, ...content },
      },
      { isFinalAttempt: ctx.attempt >= ctx.maxAttempts },
    );
    return jobResultOf(outcome, `Invitation email to ${invitation.email}`);
  };
}
