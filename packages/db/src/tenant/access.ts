import { AccessGrant } from '../entities/access-grant.entity';
import type { TenantTx } from './tenant-scope';

/** The kinds of clinical record a referral's consent can name. */
export const SHAREABLE_RECORD_TYPES = ['INTAKE_SUMMARY', 'CURRENT_PLAN', 'OUTCOME_HISTORY', 'SIGNED_NOTES'] as const;
export type ShareableRecordType = (typeof SHAREABLE_RECORD_TYPES)[number];

export interface RecordRef {
  /** The organization that owns the record. */
  organizationId: string;
  clientId: string;
  recordType: ShareableRecordType;
}

/** Why access was allowed: the reader's own organization, or a client's consent recorded on a referral. */
export type AccessBasis = { kind: 'MEMBER' } | { kind: 'GRANT'; grantId: string; referralId: string | null };

/**
 * The one read-access decision for clinical records. Yes when the record belongs to the
 * tenant's organization; otherwise yes only for a live grant (not revoked, not expired)
 * made to this user, for this client, naming this record type. Row-level security
 * applies the same rule underneath (`access_grant_tenant`).
 */
export async function canRead(tx: TenantTx, ref: RecordRef, now: Date = new Date()): Promise<AccessBasis | null> {
  if (ref.organizationId === tx.organizationId) return { kind: 'MEMBER' };
  if (!tx.tenant.userId) return null;
  const grant = await tx.em
    .createQueryBuilder(AccessGrant, 'g')
    .where('g.organizationId = :owner', { owner: ref.organizationId })
    .andWhere('g.clientId = :client', { client: ref.clientId })
    .andWhere('g.granteeUserId = :user AND g.granteeOrganizationId = :org', { user: tx.tenant.userId, org: tx.organizationId })
    .andWhere(':type = ANY(g.recordTypes)', { type: ref.recordType })
    .andWhere('g.revokedAt IS NULL')
    .andWhere('(g.expiresAt IS NULL OR g.expiresAt > :now)', { now })
    .getOne();
  return grant ? { kind: 'GRANT', grantId: grant.id, referralId: grant.referralId } : null;
}
