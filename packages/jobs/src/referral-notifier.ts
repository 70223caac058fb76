import type { ReferralNotifier } from '@fascia/db';
import { enqueue } from './outbox';
import { emitEvent } from './webhooks';

/**
 * The referral core's notifier (`ReferralNotifier` in @fascia/db), the one both the API's steps and
 * the worker's expiry use: the told side's `referral.changed` notice for the worker's email, and
 * its `referral.<status>` webhook event (`emitEvent`), both written in the step's transaction —
 * through the exchange door when the told side is the other organization.
 */
export const notifyReferralChanged: ReferralNotifier = async (em, notice) => {
  await enqueue(em, 'referral.changed', notice);
  await emitEvent(em, `referral.${notice.toStatus.toLowerCase() as Lowercase<typeof notice.toStatus>}`, notice.organizationId, { referralId: notice.referralId });
};
