import { randomUUID } from 'node:crypto';
import { REFERRAL_RULES, ReferralMessage, systemClock, throughExchange, type Clock, type Db, type ReferralStatus, type TenantTx } from '@fascia/db';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { AppError, conflict, DeniedError } from '../../common/errors';
import { COUNT_LIMIT } from '../../common/pagination';
import { parse, uuid } from '../../common/validation';
import { inClinicScope } from '../../auth/scope';

const postSchema = z.object({
  referralId: uuid,
  body: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});

/** States in which either side may write (the state table's MESSAGE rule, packages/db/src/referral/states.ts). */
const THREAD_OPEN: readonly ReferralStatus[] = REFERRAL_RULES.MESSAGE.from;

/** This organization's side of a referral, as the thread needs it. */
export interface ReferralSideRow {
  side: 'SENT' | 'RECEIVED';
  status: ReferralStatus;
  /** The other side's organization (this one, for a referral inside one organization). */
  otherOrganizationId: string;
  /** The clinic the referral belongs to on this side: the referring clinic, or the receiving one. */
  clinicId: string;
}

const referralNotFound = (id: string): AppError => new AppError('NOT_FOUND', `No referral with id ${id} exists in your organization.`, { id });

/**
 * Finds this organization's side of a referral (the `referral` row when it sent it, the
 * `referral_inbox` row when it received it; a referral inside one organization has both, and the
 * sender's is used) and locks it FOR SHARE, so a state change running at the same time (which
 * locks the rows FOR UPDATE) is either seen finished or waits for this step. Clinic scope: a
 * member reaches a referral of a clinic their roles reach (NOT_FOUND otherwise, as a missing one).
 */
export async function lockReferralSide(tx: TenantTx, tenant: Tenant, referralId: string): Promise<ReferralSideRow> {
  const sent = (await tx.em.query(
    `SELECT 'SENT' AS side, r.status, r.target_organization_id AS "otherOrganizationId", r.referring_clinic_id AS "clinicId"
       FROM referral r WHERE r.organization_id = $1 AND r.id = $2 FOR SHARE`,
    [tenant.organizationId, referralId],
  )) as ReferralSideRow[];
  const received = (await tx.em.query(
    `SELECT 'RECEIVED' AS side, i.status, i.source_organization_id AS "otherOrganizationId", i.clinic_id AS "clinicId"
       FROM referral_inbox i WHERE i.organization_id = $1 AND i.id = $2 FOR SHARE`,
    [tenant.organizationId, referralId],
  )) as ReferralSideRow[];
  const sides = [...sent, ...received];
  if (sides.length === 0) throw referralNotFound(referralId);
  // A referral inside one organization has both sides here: either clinic in reach will do.
  const row = sides.find((s) => inClinicScope(tenant, s.clinicId));
  if (!row) {
    throw new DeniedError('NOT_FOUND', `No referral with id ${referralId} exists in your organization.`, {
      action: 'referral_message.write',
      recordType: 'referral',
      recordId: referralId,
      detail: { reason: 'clinic scope' },
    });
  }
  // The referrer's row holds the referral's status (the inbox mirrors it).
  return { ...row, status: sides[0].status };
}

/**
 * A referral's message thread (docs/referrals.md, "Messages"). A message is one row per side
 * with the same id: the author's side writes its own row as `fascia_app` and the other side's
 * through the exchange door; each side reads only its own rows. Unread counts are per person:
 * messages by others newer than the person's read marker on that referral.
 */
export class ReferralMessageService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  post(tenant: Tenant, input: { referralId: string; body: string }): Promise<ReferralMessage> {
    const data = parse(postSchema, input);
    return this.db.tenant(tenant, async (tx) => {
      const side = await lockReferralSide(tx, tenant, data.referralId);
      if (side.status === 'DRAFT') throw conflict('This referral is still a draft; send it before writing to the other side.', { status: side.status });
      if (!THREAD_OPEN.includes(side.status)) {
        throw conflict(`This referral is ${side.status.toLowerCase()}; its thread is closed. Start a new referral to continue.`, { status: side.status });
      }
      const [author] = (await tx.em.query(`SELECT display_name FROM app_user WHERE id = $1`, [tenant.userId])) as { display_name: string }[];
      const message: ReferralMessage = {
        organizationId: tenant.organizationId,
        id: randomUUID(),
        referralId: data.referralId,
        authorUserId: tenant.userId,
        authorOrganizationId: tenant.organizationId,
        authorName: author?.display_name ?? 'A colleague',
        body: data.body,
        createdAt: this.clock.now(),
      };
      const insert = `INSERT INTO referral_message (organization_id, id, referral_id, author_user_id, author_organization_id, author_name, body, created_at)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
      const values = (org: string) => [org, message.id, message.referralId, message.authorUserId, message.authorOrganizationId, message.authorName, message.body, message.createdAt];
      await tx.em.query(insert, values(tenant.organizationId));
      if (side.otherOrganizationId !== tenant.organizationId) {
        await throughExchange(tx, (em) => em.query(insert, values(side.otherOrganizationId)));
      }
      // The author has read what they wrote.
      await upsertMarker(tx, tenant, data.referralId, message.createdAt);
      await tx.audit({ action: 'referral_message.posted', recordType: 'referral', recordId: data.referralId, detail: { messageId: message.id, side: side.side } });
      return message;
    });
  }

  /** Marks the thread read up to now for the caller; returns the referral's id. */
  markRead(tenant: Tenant, referralId: string): Promise<string> {
    parse(uuid, referralId, 'referralId');
    return this.db.tenant(tenant, async (tx) => {
      await lockReferralSide(tx, tenant, referralId);
      await upsertMarker(tx, tenant, referralId, this.clock.now());
      return referralId;
    });
  }

  /**
   * Unread messages across every referral the caller's clinics reach, for the navigation badge:
   * counted up to COUNT_LIMIT (a badge shows "1,000+" beyond). One statement.
   */
  unreadTotal(tenant: Tenant): Promise<number> {
    return this.db.tenant(tenant, async (tx) => {
      const [row] = (await tx.em.query(
        `SELECT count(*)::int AS n FROM (
           SELECT 1 FROM referral_message m
             LEFT JOIN referral_read_marker k ON k.organization_id = m.organization_id AND k.referral_id = m.referral_id AND k.user_id = $2
            WHERE m.organization_id = $1 AND m.author_user_id <> $2
              AND m.created_at > coalesce(k.last_read_at, '-infinity'::timestamptz)
              AND ($3::uuid[] IS NULL
                   OR EXISTS (SELECT 1 FROM referral r WHERE r.organization_id = m.organization_id AND r.id = m.referral_id AND r.referring_clinic_id = ANY($3::uuid[]))
                   OR EXISTS (SELECT 1 FROM referral_inbox i WHERE i.organization_id = m.organization_id AND i.id = m.referral_id AND i.clinic_id = ANY($3::uuid[])))
            LIMIT ${COUNT_LIMIT}) unread`,
        [tenant.organizationId, tenant.userId, tenant.clinicIds],
      )) as { n: number }[];
      return row.n;
    });
  }
}

async function upsertMarker(tx: TenantTx, tenant: Tenant, referralId: string, at: Date): Promise<void> {
  await tx.em.query(
    `INSERT INTO referral_read_marker (organization_id, referral_id, user_id, last_read_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (organization_id, referral_id, user_id) DO UPDATE SET last_read_at = greatest(referral_read_marker.last_read_at, EXCLUDED.last_read_at)`,
    [tenant.organizationId, referralId, tenant.userId, at],
  );
}

/** A stored message as the caller sees it. */
export function messageView(m: ReferralMessage, tenant: { organizationId: string; userId: string }) {
  return {
    id: m.id,
    referralId: m.referralId,
    body: m.body,
    authorName: m.authorName,
    authorOrganizationId: m.authorOrganizationId,
    fromOwnOrganization: m.authorOrganizationId === tenant.organizationId,
    mine: m.authorUserId === tenant.userId,
    createdAt: m.createdAt,
  };
}
