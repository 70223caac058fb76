import { createHash, randomBytes } from 'node:crypto';
import { appendAudit, type Clock, type Db, systemClock } from '@fascia/db';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { forbidden, notFound } from '../../common/errors';
import { parse, uuid } from '../../common/validation';
import { type FeedEvent, renderCalendar } from './ical';
import type { PractitionerFeedLinkType, PractitionerFeedType } from './practitioner-feed.types';

const DAY = 86_400_000;
/** The feed covers 30 days back and 180 ahead of the moment it is read. */
export const FEED_PAST_DAYS = 30;
export const FEED_FUTURE_DAYS = 180;
const TOKEN = /^fcal_[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

const KIND_LABEL: Record<string, string> = { INTAKE: 'Intake', SESSION: 'Session', REASSESSMENT: 'Re-assessment', MAINTENANCE: 'Maintenance' };

/** "Ada Lovelace" → "A. L." */
export const initialsOf = (first: string, last: string): string =>
  [first, last]
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => `${[...n][0].toUpperCase()}.`)
    .join(' ');

const FEED_COLUMNS = `practitioner_id AS "practitionerId", token_hash IS NOT NULL AS active, include_client_names AS "includeClientNames",
  rotated_at AS "rotatedAt", revoked_at AS "revokedAt"`;

/** The HTTP request a feed is read by, for its audit row. */
export interface FeedRequest {
  requestId?: string | null;
  correlationId?: string | null;
  sourceAddress?: string | null;
}

/**
 * Practitioners' iCalendar feeds (issue 15 §3). The feed's URL carries a secret token (its only
 * credential); only its SHA-256 is stored. A practitioner manages their own feed; an admin or a
 * clinic manager manages any practitioner's (revoking a leaked one).
 */
export class PractitionerFeedService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The practitioner, when the caller may manage its feed: its own login, or a manager. */
  private async practitionerFor(tx: { em: { query: (sql: string, params: unknown[]) => Promise<unknown> } }, tenant: Tenant, practitionerId: string): Promise<void> {
    const rows = (await tx.em.query(`SELECT user_id FROM practitioner WHERE organization_id = $1 AND id = $2`, [tenant.organizationId, practitionerId])) as { user_id: string | null }[];
    if (!rows[0]) throw notFound('practitioner', practitionerId);
    const manager = tenant.roles.includes('ORG_ADMIN') || tenant.roles.includes('CLINIC_MANAGER');
    if (!manager && rows[0].user_id !== tenant.userId) throw forbidden("Only the practitioner or a manager can manage a practitioner's calendar feed.");
  }

  get(tenant: Tenant, practitionerId: string): Promise<PractitionerFeedType> {
    parse(uuid, practitionerId, 'practitionerId');
    return this.db.tenant(tenant, async (tx) => {
      await this.practitionerFor(tx, tenant, practitionerId);
      const rows = (await tx.em.query(`SELECT ${FEED_COLUMNS} FROM practitioner_feed WHERE organization_id = $1 AND practitioner_id = $2`, [
        tenant.organizationId,
        practitionerId,
      ])) as PractitionerFeedType[];
      return rows[0] ?? { practitionerId, active: false, includeClientNames: false, rotatedAt: null, revokedAt: null };
    });
  }

  /** Makes a new token (the old one, if any, stops working at once). */
  rotate(tenant: Tenant, practitionerId: string, includeClientNames?: boolean | null): Promise<PractitionerFeedLinkType> {
    parse(uuid, practitionerId, 'practitionerId');
    const names = parse(z.boolean().nullish(), includeClientNames, 'includeClientNames');
    const token = `fcal_${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    return this.db.tenant(tenant, async (tx) => {
      await this.practitionerFor(tx, tenant, practitionerId);
      const rows = (await tx.em.query(
        `INSERT INTO practitioner_feed (organization_id, practitioner_id, token_hash, include_client_names, created_at, rotated_at)
         VALUES ($1, $2, $3, coalesce($4, false), $5, $5)
         ON CONFLICT (organization_id, practitioner_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, rotated_at = EXCLUDED.rotated_at, revoked_at = NULL,
           include_client_names = coalesce($4, practitioner_feed.include_client_names)
         RETURNING ${FEED_COLUMNS}`,
        [tenant.organizationId, practitionerId, hashToken(token), names ?? null, now],
      )) as PractitionerFeedType[];
      await tx.audit({ action: 'feed.rotate', recordType: 'practitioner', recordId: practitionerId });
      return { feed: rows[0], path: `/ical/${token}.ics` };
    });
  }

  revoke(tenant: Tenant, practitionerId: string): Promise<PractitionerFeedType> {
    parse(uuid, practitionerId, 'practitionerId');
    return this.db.tenant(tenant, async (tx) => {
      await this.practitionerFor(tx, tenant, practitionerId);
      const [rows] = (await tx.em.query(
        `UPDATE practitioner_feed SET token_hash = NULL, revoked_at = $3 WHERE organization_id = $1 AND practitioner_id = $2 AND token_hash IS NOT NULL RETURNING ${FEED_COLUMNS}`,
        [tenant.organizationId, practitionerId, this.clock.now()],
      )) as [PractitionerFeedType[], number];
      await tx.audit({ action: 'feed.revoke', recordType: 'practitioner', recordId: practitionerId });
      return rows[0] ?? { practitionerId, active: false, includeClientNames: false, rotatedAt: null, revokedAt: null };
    });
  }

  setIncludeClientNames(tenant: Tenant, practitionerId: string, include: boolean): Promise<PractitionerFeedType> {
    parse(uuid, practitionerId, 'practitionerId');
    const value = parse(z.boolean(), include, 'includeClientNames');
    return this.db.tenant(tenant, async (tx) => {
      await this.practitionerFor(tx, tenant, practitionerId);
      const [rows] = (await tx.em.query(
        `UPDATE practitioner_feed SET include_client_names = $3 WHERE organization_id = $1 AND practitioner_id = $2 RETURNING ${FEED_COLUMNS}`,
        [tenant.organizationId, practitionerId, value],
      )) as [PractitionerFeedType[], number];
      if (!rows[0]) throw notFound('calendar feed for practitioner', practitionerId);
      await tx.audit({ action: 'feed.names', recordType: 'practitioner', recordId: practitionerId, detail: { includeClientNames: value } });
      return rows[0];
    });
  }

  /**
   * The feed for a token, as iCalendar text, or null when the token is unknown or revoked. The
   * token is found by its hash (as `fascia_system`, which sees only the feed table); the
   * appointments are then read as the feed's organization, under its row-level security.
   *
   * Every read is audited in the same transaction, one row (`feed.read`, one INSERT): who — the
   * feed's practitioner (the login the feed belongs to, if they have one; record = the
   * practitioner) and the token's id (`tokenId`, the first 12 hex digits of the stored SHA-256, so
   * a rotation shows as a new id and the token itself is never written) — and what: the ids of the
   * appointments listed, with the window read.
   */
  async render(token: string, request: FeedRequest = {}): Promise<string | null> {
    if (!TOKEN.test(token)) return null;
    const hash = hashToken(token);
    const feeds = (await this.db.system((em) =>
      em.query(`SELECT organization_id, practitioner_id, include_client_names FROM practitioner_feed WHERE token_hash = $1`, [hash]),
    )) as { organization_id: string; practitioner_id: string; include_client_names: boolean }[];
    const feed = feeds[0];
    if (!feed) return null;
    const now = this.clock.now();
    const from = new Date(now.getTime() - FEED_PAST_DAYS * DAY);
    const to = new Date(now.getTime() + FEED_FUTURE_DAYS * DAY);
    return this.db.tenant({ organizationId: feed.organization_id, userId: null, ...request }, async (tx) => {
      const [practitioner] = (await tx.em.query(`SELECT display_name, user_id FROM practitioner WHERE organization_id = $1 AND id = $2`, [
        feed.organization_id,
        feed.practitioner_id,
      ])) as { display_name: string; user_id: string | null }[];
      if (!practitioner) return null;
      const rows = (await tx.em.query(
        `SELECT a.id, a.ical_uid, a.ical_sequence, a.starts_at, a.ends_at, a.kind, a.updated_at, c.first_name, c.last_name, c.preferred_name,
                k.name AS clinic_name, k.address_line1, k.address_line2, k.city, k.region, k.postal_code, k.country, k.time_zone, r.name AS room_name
         FROM appointment a
         JOIN client c ON c.organization_id = a.organization_id AND c.id = a.client_id
         JOIN clinic k ON k.organization_id = a.organization_id AND k.id = a.clinic_id
         LEFT JOIN room r ON r.organization_id = a.organization_id AND r.id = a.room_id
         WHERE a.organization_id = $1 AND a.practitioner_id = $2 AND a.starts_at >= $3 AND a.starts_at < $4
           AND a.status NOT IN ('CANCELLED', 'LATE_CANCELLED')
         ORDER BY a.starts_at, a.id`,
        [feed.organization_id, feed.practitioner_id, from, to],
      )) as {
        id: string;
        ical_uid: string;
        ical_sequence: number;
        starts_at: Date;
        ends_at: Date;
        kind: string;
        updated_at: Date;
        first_name: string;
        last_name: string;
        preferred_name: string | null;
        clinic_name: string;
        address_line1: string;
        address_line2: string | null;
        city: string;
        region: string | null;
        postal_code: string | null;
        country: string;
        time_zone: string;
        room_name: string | null;
      }[];
      const events: FeedEvent[] = rows.map((r) => {
        const who = feed.include_client_names ? `${r.preferred_name || r.first_name} ${r.last_name}`.trim() : initialsOf(r.first_name, r.last_name);
        return {
          uid: `${r.ical_uid}@fascia`,
          sequence: r.ical_sequence,
          start: r.starts_at,
          end: r.ends_at,
          zone: r.time_zone,
          summary: `${KIND_LABEL[r.kind] ?? r.kind}: ${who}`,
          location: [r.clinic_name, r.address_line1, r.address_line2, [r.postal_code, r.city].filter(Boolean).join(' '), r.region, r.country].filter(Boolean).join(', '),
          description: r.room_name ? `Room: ${r.room_name}` : undefined,
          lastModified: r.updated_at,
        };
      });
      await appendAudit(tx.em, {
        organizationId: feed.organization_id,
        actorUserId: practitioner.user_id,
        action: 'feed.read',
        recordType: 'practitioner',
        recordId: feed.practitioner_id,
        requestId: request.requestId ?? null,
        correlationId: request.correlationId ?? null,
        sourceAddress: request.sourceAddress ?? null,
        detail: {
          tokenId: hash.subarray(0, 6).toString('hex'),
          from: from.toISOString(),
          to: to.toISOString(),
          includeClientNames: feed.include_client_names,
          count: rows.length,
          appointmentIds: rows.map((r) => r.id),
        },
      });
      return renderCalendar({ name: `${practitioner.display_name} — Fascia`, now, from, to, events });
    });
  }
}
