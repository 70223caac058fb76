import type { PartnerFieldsFragment, PartnershipStatus } from '../../gql/graphql';
import { formatDate } from '../../lib/format';

export type Partner = PartnerFieldsFragment;

export const PARTNERSHIP_STATUS_LABELS: Record<PartnershipStatus, string> = {
  INVITED: 'Invited',
  ACTIVE: 'Active',
  DECLINED: 'Declined',
  ENDED: 'Ended',
};

/** Where a partnership sits on the page: answers first, then partners, open invitations, the past. */
function rank(p: Partner): number {
  if (p.status === 'INVITED' && p.direction === 'INCOMING') return 0;
  if (p.status === 'ACTIVE') return 1;
  if (p.status === 'INVITED') return 2;
  return 3;
}

export function sortPartners(list: readonly Partner[]): Partner[] {
  return [...list].sort((a, b) => rank(a) - rank(b) || a.partnerOrganization.name.localeCompare(b.partnerOrganization.name));
}

/** The partnership's state in a sentence, from this organization's side. */
export function partnershipSentence(p: Partner, ownOrganizationId: string, mayAnswer = false): string {
  const on = (iso: string | null | undefined) => (iso ? ` on ${formatDate(iso)}` : '');
  switch (p.status) {
    case 'INVITED':
      return p.direction === 'INCOMING'
        ? `${p.partnerOrganization.name} invited your organization${on(p.createdAt)}${mayAnswer ? '.' : '; an organization admin answers.'}`
        : `Your organization invited them${on(p.createdAt)}; waiting for their answer.`;
    case 'ACTIVE':
      return `Partners since ${p.respondedAt ? formatDate(p.respondedAt) : formatDate(p.createdAt)}: referrals go both ways.`;
    case 'DECLINED':
      return p.direction === 'INCOMING' ? `Your organization declined their invitation${on(p.respondedAt)}.` : `They declined your invitation${on(p.respondedAt)}.`;
    case 'ENDED': {
      const who = p.endedByOrganizationId === ownOrganizationId ? 'Your organization ended it' : `${p.partnerOrganization.name} ended it`;
      return `${who}${on(p.endedAt)}${p.endReason ? `: “${p.endReason}”` : '.'}`;
    }
  }
}
