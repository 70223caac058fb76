import { ReferralMessage, type Db } from '@fascia/db';
import DataLoader from 'dataloader';
import { findPlainIn } from '../../common/plain-rows';
import { groupBy } from '../../common/collections';
import type { Tenant } from '../../context';

/**
 * Per-request loaders of referral threads (this organization's side only; whoever asks has
 * already been allowed to read the referral): one query per field per request, whatever the
 * number of referrals in a list.
 */
export function referralMessageLoaders(db: Db, tenant: Tenant) {
  return {
    messagesByReferral: new DataLoader<string, ReferralMessage[]>(async (ids) => {
      const rows = await db.tenant(tenant, (tx) => findPlainIn(tx, ReferralMessage, 'referral_id', ids, 't.created_at ASC, t.id ASC'));
      const groups = groupBy(rows, (m) => m.referralId);
      return ids.map((id) => groups.get(id) ?? []);
    }),
    /** Messages by others newer than the caller's read marker, per referral. */
    unreadByReferral: new DataLoader<string, number>(async (ids) => {
      const rows = (await db.tenant(tenant, (tx) =>
        tx.em.query(
          `SELECT m.referral_id AS id, count(*)::int AS n
             FROM referral_message m
             LEFT JOIN referral_read_marker k ON k.organization_id = m.organization_id AND k.referral_id = m.referral_id AND k.user_id = $2
            WHERE m.organization_id = $1 AND m.referral_id = ANY($3::uuid[]) AND m.author_user_id <> $2
              AND m.created_at > coalesce(k.last_read_at, '-infinity'::timestamptz)
            GROUP BY m.referral_id`,
          [tenant.organizationId, tenant.userId, [...ids]],
        ),
      )) as { id: string; n: number }[];
      const counts = new Map(rows.map((r) => [r.id, r.n]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
  };
}
