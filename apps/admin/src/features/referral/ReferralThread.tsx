import type { ReferralDetailFragment } from '../../gql/graphql';

/**
 * The messages thread waits for the API's Referral.messages / unreadCount / markReferralRead
 * (referral contract, R2); postReferralMessage alone would write what nobody can read.
 */
export function ReferralThread(_: { r: ReferralDetailFragment }) {
  return null;
}
