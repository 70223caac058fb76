import { randomUUID } from 'node:crypto';
import { Partnership, PG, pgError, systemClock, throughExchange, type Clock, type Db, type TenantTx } from '@fascia/db';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { AppError, badInput, conflict, forbidden } from '../../common/errors';
import { optionalText, parse, uuid } from '../../common/validation';
import type { PartnerOrganizationType, ReferralPartnerType } from './partnership.types';

const SLUG = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be an organization’s slug: lowercase letters, digits and dashes (ask the partner for it)');
const inviteSchema = z.object({ organizationSlug: SLUG, note: optionalText(1000) });
const respondSchema = z.object({ id: uuid, accept: z.boolean() });
const endSchema = z.object({ id: uuid, reason: z.string().trim().min(1, 'must say why the partnership ends').max(1000, 'must be at most 1000 characters') });

const DEADLOCK = '40P01';

/** NOT_FOUND for a partnership id that is not one of this organization's. */
const partnershipNotFound = (id: string): AppError =>
  new AppError('NOT_FOUND', `No referral partnership with id ${id} exists in your organization.`, { id });

/**
 * Referral partners (docs/referrals.md, "Partners"). Each side keeps its own `partnership` row
 * (same id on both); this service writes its own side as `fascia_app` and the other side only
 * through the exchange door (`throughExchange`), whose row-level security lets it touch nothing
 * but the counterpart row of a partnership this organization is party to.
 *
 * Locks: a change locks the inviter's row first, then the invitee's, whichever side acts, so
 * two sides acting at once queue rather than deadlock; the loser finds the state changed and
 * gets CONFLICT.
 */
export class PartnershipService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  list(tenant: Tenant): Promise<ReferralPartnerType[]> {
    return this.db.tenant(tenant, async (tx) => {
      const rows = await tx.repo(Partnership).find({ order: { createdAt: 'DESC', id: 'ASC' } });
      const orgs = await partnerOrganizations(tx, rows.map((r) => r.partnerOrganizationId));
      return rows.map((r) => toView(r, orgs));
    });
  }

  invite(tenant: Tenant, input: { organizationSlug: string; note?: string | null }): Promise<ReferralPartnerType> {
    const data = parse(inviteSchema, input);
    return this.db.tenant(tenant, async (tx) => {
      const [target] = await throughExchange(tx, (em) =>
        em.query(`SELECT id, name, slug FROM fascia_organization_by_slug($1)`, [data.organizationSlug]),
      ) as PartnerOrganizationType[];
      if (!target) {
        throw new AppError('NOT_FOUND', `No organization has the slug “${data.organizationSlug}”. Ask the partner for the slug shown on their partners page.`, {
          field: 'input.organizationSlug',
        });
      }
      if (target.id === tenant.organizationId) throw badInput('input.organizationSlug', 'That is your own organization’s slug; invite another organization.');
      const open = await tx
        .repo(Partnership)
        .qb('p')
        .andWhere('p.partnerOrganizationId = :partner', { partner: target.id })
        .andWhere(`p.status IN ('INVITED', 'ACTIVE')`)
        .getOne();
      if (open) throw openConflict(open, target.name);
      const id = randomUUID();
      const now = this.clock.now();
      const row = {
        id,
        partnerOrganizationId: target.id,
        direction: 'OUTGOING' as const,
        status: 'INVITED' as const,
        invitedByUserId: tenant.userId,
        note: data.note ?? null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await tx.em.query(
          `INSERT INTO partnership (organization_id, id, partner_organization_id, direction, status, invited_by_user_id, note, created_at, updated_at)
           VALUES ($1, $2, $3, 'OUTGOING', 'INVITED', $4, $5, $6, $6)`,
          [tenant.organizationId, id, target.id, tenant.userId, row.note, now],
        );
        await throughExchange(tx, (em) =>
          em.query(
            `INSERT INTO partnership (organization_id, id, partner_organization_id, direction, status, invited_by_user_id, note, created_at, updated_at)
             VALUES ($1, $2, $3, 'INCOMING', 'INVITED', $4, $5, $6, $6)`,
            [target.id, id, tenant.organizationId, tenant.userId, row.note, now],
          ),
        );
      } catch (err) {
        if (pgError(err)?.code === PG.UNIQUE_VIOLATION) {
          throw conflict(`${target.name} and your organization already have an open invitation or partnership (one of you just invited the other); reload the partners page.`);
        }
        throw err;
      }
      await tx.audit({ action: 'partnership.invited', recordType: 'partnership', recordId: id, detail: { partnerOrganizationId: target.id } });
      const stored = await tx.repo(Partnership).findOneBy({ id });
      return toView(stored ?? { ...row, organizationId: tenant.organizationId, respondedAt: null, respondedByUserId: null, endedAt: null, endedByOrganizationId: null, endReason: null }, new Map([[target.id, target]]));
    });
  }

  respond(tenant: Tenant, input: { id: string; accept: boolean }): Promise<ReferralPartnerType> {
    const data = parse(respondSchema, input);
    return this.change(tenant, data.id, async (tx, own) => {
      if (own.direction !== 'INCOMING') throw forbidden('Your organization sent this invitation; the invited organization answers it (you may end it instead).');
      if (own.status !== 'INVITED') throw conflict(`This invitation is already ${own.status.toLowerCase()}; reload the partners page.`, { status: own.status });
      const status = data.accept ? 'ACTIVE' : 'DECLINED';
      const now = this.clock.now();
      const set = `status = $3, responded_at = $4, responded_by_user_id = $5, updated_at = $4`;
      const params = [data.id, status, now, tenant.userId];
      await tx.em.query(`UPDATE partnership SET ${set} WHERE organization_id = $1 AND id = $2 AND status = 'INVITED'`, [tenant.organizationId, ...params]);
      const other = (await throughExchange(tx, (em) =>
        em.query(`UPDATE partnership SET ${set} WHERE organization_id = $1 AND id = $2 AND status = 'INVITED' RETURNING id`, [own.partnerOrganizationId, ...params]),
      )) as [unknown[], number];
      if (other[1] !== 1) throw conflict('The inviting organization has withdrawn this invitation; reload the partners page.');
      await tx.audit({ action: data.accept ? 'partnership.accepted' : 'partnership.declined', recordType: 'partnership', recordId: data.id, detail: { partnerOrganizationId: own.partnerOrganizationId } });
    });
  }

  end(tenant: Tenant, input: { id: string; reason: string }): Promise<ReferralPartnerType> {
    const data = parse(endSchema, input);
    return this.change(tenant, data.id, async (tx, own) => {
      if (own.status !== 'INVITED' && own.status !== 'ACTIVE') {
        throw conflict(`This partnership is already ${own.status.toLowerCase()}; nothing to end.`, { status: own.status });
      }
      const now = this.clock.now();
      const set = `status = 'ENDED', ended_at = $3, ended_by_organization_id = $4, end_reason = $5, updated_at = $3`;
      const params = [data.id, now, tenant.organizationId, data.reason];
      await tx.em.query(`UPDATE partnership SET ${set} WHERE organization_id = $1 AND id = $2 AND status IN ('INVITED', 'ACTIVE')`, [tenant.organizationId, ...params]);
      const other = (await throughExchange(tx, (em) =>
        em.query(`UPDATE partnership SET ${set} WHERE organization_id = $1 AND id = $2 AND status IN ('INVITED', 'ACTIVE') RETURNING id`, [own.partnerOrganizationId, ...params]),
      )) as [unknown[], number];
      if (other[1] !== 1) throw conflict('The other organization changed this partnership at the same moment; reload the partners page.');
      await tx.audit({ action: 'partnership.ended', recordType: 'partnership', recordId: data.id, detail: { partnerOrganizationId: own.partnerOrganizationId, reason: data.reason, from: own.status } });
    });
  }

  /** Locks both rows (the inviter's first), runs `step` on this side's row, returns the stored result. */
  private change(tenant: Tenant, id: string, step: (tx: TenantTx, own: Partnership) => Promise<void>): Promise<ReferralPartnerType> {
    return this.db.tenant(tenant, async (tx) => {
      try {
        const own = await this.lockBoth(tx, id);
        await step(tx, own);
        const stored = (await tx.repo(Partnership).findOneBy({ id })) as Partnership;
        return toView(stored, await partnerOrganizations(tx, [stored.partnerOrganizationId]));
      } catch (err) {
        if (pgError(err)?.code === DEADLOCK) throw conflict('The other organization changed this partnership at the same moment; reload the partners page.');
        throw err;
      }
    });
  }

  private async lockBoth(tx: TenantTx, id: string): Promise<Partnership> {
    const lockOwn = async () => {
      const [row] = (await tx.em.query(`SELECT partner_organization_id, direction FROM partnership WHERE organization_id = $1 AND id = $2 FOR UPDATE`, [tx.organizationId, id])) as {
        partner_organization_id: string;
        direction: string;
      }[];
      if (!row) throw partnershipNotFound(id);
      return row;
    };
    const lockOther = (partner: string) =>
      throughExchange(tx, (em) => em.query(`SELECT id FROM partnership WHERE organization_id = $1 AND id = $2 FOR UPDATE`, [partner, id]));
    // The inviter's row first. Which side invited is fixed at creation, so reading it unlocked is safe.
    const [peek] = (await tx.em.query(`SELECT partner_organization_id, direction FROM partnership WHERE organization_id = $1 AND id = $2`, [tx.organizationId, id])) as {
      partner_organization_id: string;
      direction: string;
    }[];
    if (!peek) throw partnershipNotFound(id);
    if (peek.direction === 'OUTGOING') {
      await lockOwn();
      await lockOther(peek.partner_organization_id);
    } else {
      await lockOther(peek.partner_organization_id);
      await lockOwn();
    }
    return (await tx.repo(Partnership).findOneBy({ id })) as Partnership;
  }
}

function openConflict(open: Partnership, name: string): AppError {
  if (open.status === 'ACTIVE') return conflict(`${name} is already your referral partner.`, { partnershipId: open.id });
  if (open.direction === 'INCOMING') return conflict(`${name} has already invited your organization; accept their invitation instead.`, { partnershipId: open.id });
  return conflict(`Your organization has already invited ${name}; wait for their answer or end the invitation.`, { partnershipId: open.id });
}

/** The partner organizations' names and slugs, through the door (their rows are not this organization's). */
export async function partnerOrganizations(tx: TenantTx, ids: string[]): Promise<Map<string, PartnerOrganizationType>> {
  if (ids.length === 0) return new Map();
  const rows = (await throughExchange(tx, (em) => em.query(`SELECT id, name, slug FROM organization WHERE id = ANY($1::uuid[])`, [[...new Set(ids)]]))) as PartnerOrganizationType[];
  return new Map(rows.map((o) => [o.id, o]));
}

function toView(row: Omit<Partnership, 'invitedByUserId'> & Partial<Pick<Partnership, 'invitedByUserId'>>, orgs: Map<string, PartnerOrganizationType>): ReferralPartnerType {
  return {
    id: row.id,
    partnerOrganization: orgs.get(row.partnerOrganizationId) ?? { id: row.partnerOrganizationId, name: 'Unknown organization', slug: '' },
    direction: row.direction,
    status: row.status,
    note: row.note,
    createdAt: row.createdAt,
    respondedAt: row.respondedAt,
    endedAt: row.endedAt,
    endedByOrganizationId: row.endedByOrganizationId,
    endReason: row.endReason,
  };
}
