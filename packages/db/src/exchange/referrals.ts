import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { OutboxMessage } from '../entities/outbox.entity';
import { AccessGrant } from '../entities/access-grant.entity';
import { Referral, type ReferralStatus } from '../entities/referral.entity';
import { ReferralEvent } from '../entities/referral-event.entity';
import { ReferralInbox } from '../entities/referral-inbox.entity';
import { GRANT_ENDING_STATUSES, type ReferralActionName, type ReferralParty, referralTransition } from '../referral/states';
import type { AuditedDenial, Db, TenantContext, TenantTx } from '../tenant/tenant-scope';
import { throughExchange } from './door';

/**
 * A referral's side-to-side steps (issue 12): each change locks the referrer's row first, then
 * the receiver's, checks the state table (`referralTransition`) against the locked state, and
 * writes both rows, an event on each side, the grants' revocation when the referral ends, and a
 * `referral.changed` notice for the other side — all in the caller's transaction, the other
 * organization's rows only through the door. A second actor waiting on the lock sees the first
 * one's state and gets CONFLICT; nothing is half-written.
 */

export type ReferralErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT';

/** A refusal of a referral step; the API turns it into a GraphQL error with the same code. */
export class ReferralStepError extends Error implements Partial<AuditedDenial> {
  deniedAuditWritten?: boolean;
  constructor(
    readonly code: ReferralErrorCode,
    message: string,
    readonly field?: string,
    /** A refusal to read: `Db.tenant` writes it (outcome DENIED) after the rollback. */
    readonly deniedAudit?: AuditedDenial['deniedAudit'],
  ) {
    super(message);
    this.name = 'ReferralStepError';
  }
}

/** A `referral.changed` notice for the worker: the organization of the side to tell. */
export interface ReferralNotice {
  organizationId: string;
  referralId: string;
  toStatus: Exclude<ReferralStatus, 'DRAFT'>;
}
/** Writes the notice to the outbox in the transaction (`enqueue(em, 'referral.changed', notice)` from @fascia/jobs). */
export type ReferralNotifier = (em: EntityManager, notice: ReferralNotice) => Promise<unknown>;

/** Both sides of one referral, locked in that order for the rest of the transaction. */
export interface LockedReferral {
  party: 'REFERRER' | 'RECEIVER';
  referral: Referral;
  /** null while a DRAFT (not yet delivered). */
  inbox: ReferralInbox | null;
}

export interface ReferralActor {
  /** null: the system (expiry). */
  userId: string | null;
  name: string;
}

const notFound = (id: string) => new ReferralStepError('NOT_FOUND', `No referral with id ${id} was sent by or to your organization.`);

/** The referrer's side: its own row (as `fascia_app`), then the receiver's (through the door). */
export async function lockReferralAsReferrer(tx: TenantTx, id: string): Promise<LockedReferral> {
  const referral = await tx.em
    .createQueryBuilder(Referral, 'r')
    .setLock('pessimistic_write')
    .where('r.organizationId = :org AND r.id = :id', { org: tx.organizationId, id })
    .getOne();
  if (!referral) throw notFound(id);
  const inbox =
    referral.status === 'DRAFT'
      ? null
      : await throughExchange(tx, (em) =>
          em
            .createQueryBuilder(ReferralInbox, 'i')
            .setLock('pessimistic_write')
            .where('i.organizationId = :target AND i.id = :id AND i.sourceOrganizationId = :org', { target: referral.targetOrganizationId, id, org: tx.organizationId })
            .getOne(),
        );
  return { party: 'REFERRER', referral, inbox };
}

/** The receiver's side: the referrer's row first (through the door), then its own inbox row. */
export async function lockReferralAsReceiver(tx: TenantTx, id: string): Promise<LockedReferral & { inbox: ReferralInbox }> {
  const own = await tx.repo(ReferralInbox).findOneBy({ id });
  if (!own) throw notFound(id);
  const referral = await throughExchange(tx, (em) =>
    em
      .createQueryBuilder(Referral, 'r')
      .setLock('pessimistic_write')
      .where('r.organizationId = :source AND r.id = :id AND r.targetOrganizationId = :org', { source: own.sourceOrganizationId, id, org: tx.organizationId })
      .getOne(),
  );
  if (!referral) throw notFound(id);
  const inbox = await tx.em
    .createQueryBuilder(ReferralInbox, 'i')
    .setLock('pessimistic_write')
    .where('i.organizationId = :org AND i.id = :id', { org: tx.organizationId, id })
    .getOne();
  if (!inbox) throw notFound(id);
  return { party: 'RECEIVER', referral, inbox };
}

/** Runs `step` as the role that may write the referrer's row: itself for the referrer, the door for the receiver. */
function asReferrerSide<T>(tx: TenantTx, locked: LockedReferral, step: (em: EntityManager) => Promise<T>): Promise<T> {
  return locked.party === 'REFERRER' || locked.referral.organizationId === tx.organizationId ? step(tx.em) : throughExchange(tx, step);
}
/** Likewise for the receiver's row. */
function asReceiverSide<T>(tx: TenantTx, locked: LockedReferral, step: (em: EntityManager) => Promise<T>): Promise<T> {
  return locked.party === 'RECEIVER' ? step(tx.em) : throughExchange(tx, step);
}

export type ReferralPatch = Partial<Pick<Referral, 'status' | 'respondedAt' | 'reply' | 'targetNames' | 'consentWithdrawnAt' | 'sentAt' | 'validUntil' | 'dueAt'>>;
export type InboxPatch = Partial<Pick<ReferralInbox, 'status' | 'respondedAt' | 'reply' | 'consentWithdrawnAt' | 'practitionerId' | 'localClientId' | 'appointmentId'>>;

export interface ReferralStep {
  action: ReferralActionName;
  actor: ReferralActor;
  reason?: string | null;
  now: Date;
  /**
   * The state the caller acted on (what their screen showed). When the referral has moved on
   * meanwhile — someone else accepted while they cancelled — the step is a CONFLICT rather than
   * a move the caller never saw.
   */
  expectedStatus?: ReferralStatus | null;
  referral?: ReferralPatch;
  inbox?: InboxPatch;
  notify: ReferralNotifier;
}

/**
 * Applies one step of the state table to a locked referral: checks it, writes both sides
 * (version + 1 each), one event per side, revokes the grants when the new state ends them,
 * and tells the other side. Returns the rows as they now are.
 */
export async function applyReferralStep(tx: TenantTx, locked: LockedReferral, step: ReferralStep): Promise<LockedReferral> {
  const party: ReferralParty = step.actor.userId === null ? 'SYSTEM' : locked.party;
  const from = locked.referral.status;
  if (step.expectedStatus && step.expectedStatus !== from) {
    throw new ReferralStepError('CONFLICT', `This referral changed from ${step.expectedStatus} to ${from} while you were acting on it; reload it and decide again.`, 'input.expectedStatus');
  }
  const verdict = referralTransition(step.action, party, from, step.reason);
  if (!verdict.ok) throw new ReferralStepError(verdict.code, verdict.message, verdict.code === 'BAD_USER_INPUT' ? 'input.reason' : undefined);
  const to = verdict.to ?? from;
  const { referral, inbox } = locked;

  const referralPatch: ReferralPatch & { version: number; updatedAt: Date } = { ...step.referral, status: to, version: referral.version + 1, updatedAt: step.now };
  if (locked.party === 'RECEIVER' && verdict.to && !referralPatch.respondedAt && !referral.respondedAt) referralPatch.respondedAt = step.now;
  await asReferrerSide(tx, locked, (em) =>
    em
      .createQueryBuilder()
      .update(Referral)
      .set(referralPatch as never)
      .where('organizationId = :org AND id = :id AND version = :v', { org: referral.organizationId, id: referral.id, v: referral.version })
      .updateEntity(false)
      .execute(),
  );
  Object.assign(referral, referralPatch);

  if (inbox) {
    const inboxPatch: InboxPatch & { version: number; updatedAt: Date } = { ...step.inbox, status: to, version: inbox.version + 1, updatedAt: step.now };
    if (referralPatch.respondedAt && !inbox.respondedAt) inboxPatch.respondedAt = referralPatch.respondedAt;
    if (step.referral?.consentWithdrawnAt) inboxPatch.consentWithdrawnAt = step.referral.consentWithdrawnAt;
    if (step.referral?.reply !== undefined) inboxPatch.reply = step.referral.reply;
    await asReceiverSide(tx, locked, (em) =>
      em
        .createQueryBuilder()
        .update(ReferralInbox)
        .set(inboxPatch as never)
        .where('organizationId = :org AND id = :id AND version = :v', { org: inbox.organizationId, id: inbox.id, v: inbox.version })
        .updateEntity(false)
        .execute(),
    );
    Object.assign(inbox, inboxPatch);
  }

  await writeEvents(tx, locked, { from, to, actor: step.actor, reason: step.reason?.trim() || null, at: step.now });
  if (GRANT_ENDING_STATUSES.includes(to) && to !== from) await revokeGrants(tx, locked, step.now);
  if (verdict.to && inbox) await notifyOtherSide(tx, locked, verdict.to, step.notify);
  return locked;
}

/** One event row per side (one only when both sides are one organization). */
async function writeEvents(
  tx: TenantTx,
  locked: LockedReferral,
  e: { from: ReferralStatus | null; to: ReferralStatus; actor: ReferralActor; reason: string | null; at: Date },
): Promise<void> {
  const row = (organizationId: string) => ({
    organizationId,
    referralId: locked.referral.id,
    fromStatus: e.from,
    toStatus: e.to,
    actorUserId: e.actor.userId,
    actorOrganizationId: tx.organizationId,
    actorName: e.actor.name,
    reason: e.reason,
    at: e.at,
  });
  const own = tx.organizationId;
  const other = locked.party === 'REFERRER' ? locked.referral.targetOrganizationId : locked.referral.organizationId;
  const insert = (em: EntityManager, organizationId: string) =>
    em.createQueryBuilder().insert().into(ReferralEvent).values(row(organizationId)).updateEntity(false).execute();
  await insert(tx.em, own);
  // A DRAFT has no receiving side yet; a referral within one organization has one timeline.
  if (other !== own && locked.inbox) await throughExchange(tx, (em) => insert(em, other));
}

/** Ends every live grant of the referral (the records' owner is the referrer's organization). */
export async function revokeGrants(tx: TenantTx, locked: LockedReferral, now: Date): Promise<void> {
  await asReferrerSide(tx, locked, (em) =>
    em
      .createQueryBuilder()
      .update(AccessGrant)
      .set({ revokedAt: now })
      .where('organizationId = :owner AND referralId = :id AND revokedAt IS NULL', { owner: locked.referral.organizationId, id: locked.referral.id })
      .updateEntity(false)
      .execute(),
  );
}

async function notifyOtherSide(tx: TenantTx, locked: LockedReferral, toStatus: ReferralStatus, notify: ReferralNotifier): Promise<void> {
  if (toStatus === 'DRAFT') return;
  const other = locked.party === 'REFERRER' || !locked.inbox ? locked.referral.targetOrganizationId : locked.referral.organizationId;
  // EXPIRED is the system's: both sides hear of it (the referrer is told; the receiver's inbox shows it).
  const sides = toStatus === 'EXPIRED' ? [locked.referral.organizationId] : [other];
  for (const organizationId of sides) {
    await throughExchange(tx, (em) => notify(em, { organizationId, referralId: locked.referral.id, toStatus }));
  }
}

/** The values of the receiver's row that the referrer delivers when it sends. */
export type InboxDelivery = Omit<
  ReferralInbox,
  'organizationId' | 'id' | 'sourceOrganizationId' | 'status' | 'version' | 'createdAt' | 'updatedAt' | 'reply' | 'respondedAt' | 'remindedAt' | 'escalatedAt' | 'localClientId' | 'appointmentId' | 'consentWithdrawnAt'
>;

/**
 * DRAFT → SENT (the referrer): delivers the receiver's row through the door, grants the consented
 * record types to whoever receives it (the named practitioner's login, or the receiving clinic's
 * managers for a pool), then records the step on both sides and tells the receiver.
 */
export async function sendReferral(
  tx: TenantTx,
  locked: LockedReferral,
  input: { actor: ReferralActor; now: Date; delivery: InboxDelivery; notify: ReferralNotifier },
): Promise<LockedReferral> {
  const { referral } = locked;
  const verdict = referralTransition('SEND', 'REFERRER', referral.status);
  if (!verdict.ok) throw new ReferralStepError(verdict.code, verdict.message);
  const d = input.delivery;
  const inbox: ReferralInbox = {
    ...d,
    organizationId: referral.targetOrganizationId,
    id: referral.id,
    sourceOrganizationId: referral.organizationId,
    status: 'DRAFT',
    reply: null,
    respondedAt: null,
    remindedAt: null,
    escalatedAt: null,
    localClientId: null,
    appointmentId: null,
    consentWithdrawnAt: null,
    version: 0,
    createdAt: input.now,
    updatedAt: input.now,
  };
  // Inserted as SENT directly (the inbox has no DRAFT); the step below then sees it, version 0 → 1.
  await throughExchange(tx, (em) =>
    em
      .createQueryBuilder()
      .insert()
      .into(ReferralInbox)
      .values({ ...inbox, status: 'SENT' } as never)
      .updateEntity(false)
      .execute(),
  );
  locked.inbox = { ...inbox, status: 'DRAFT' };
  if (referral.sharedRecords.length > 0) {
    const grantees = (await throughExchange(tx, (em) => em.query(`SELECT user_id FROM fascia_referral_grantees($1)`, [referral.id]))) as { user_id: string }[];
    await insertGrants(tx.em, referral, [...new Set(grantees.map((g) => g.user_id))]);
  }
  const result = await applyReferralStep(tx, locked, {
    action: 'SEND',
    actor: input.actor,
    now: input.now,
    referral: { sentAt: input.now, validUntil: d.validUntil, dueAt: d.dueAt },
    notify: input.notify,
  });
  return result;
}

/** Grants the referral's consented record types, for its client, to these users of the receiving organization. */
export async function insertGrants(em: EntityManager, referral: Referral, userIds: string[]): Promise<void> {
  if (userIds.length === 0 || referral.sharedRecords.length === 0) return;
  await em
    .createQueryBuilder()
    .insert()
    .into(AccessGrant)
    .values(
      userIds.map((granteeUserId) => ({
        organizationId: referral.organizationId,
        clientId: referral.clientId,
        granteeUserId,
        granteeOrganizationId: referral.targetOrganizationId,
        recordTypes: referral.sharedRecords,
        referralId: referral.id,
        expiresAt: referral.consentEndsAt,
        revokedAt: null,
      })),
    )
    .updateEntity(false)
    .execute();
}

/**
 * The receiving side grants a pool's assignee the referral's consented records (through the door:
 * the records belong to the referrer), unless a live grant to that user exists already.
 */
export async function grantToAssignee(tx: TenantTx, locked: LockedReferral, userId: string, now: Date): Promise<void> {
  const { referral } = locked;
  if (referral.sharedRecords.length === 0 || referral.consentWithdrawnAt) return;
  await throughExchange(tx, async (em) => {
    const live = await em
      .createQueryBuilder(AccessGrant, 'g')
      .where('g.organizationId = :owner AND g.referralId = :id AND g.granteeUserId = :user AND g.revokedAt IS NULL', { owner: referral.organizationId, id: referral.id, user: userId })
      .andWhere('(g.expiresAt IS NULL OR g.expiresAt > :now)', { now })
      .getCount();
    if (live === 0) await insertGrants(em, referral, [userId]);
  });
}

/**
 * Writes a `referral.changed` outbox row as `enqueue` (@fascia/jobs) would: the default notifier
 * where packages/db is used without the job registry (the worker's expiry). The payload is the
 * registry's schema for the job: { organizationId, referralId, toStatus }.
 */
export const outboxReferralNotifier: ReferralNotifier = async (em, notice) => {
  await em
    .createQueryBuilder()
    .insert()
    .into(OutboxMessage)
    .values({ id: randomUUID(), organizationId: notice.organizationId, jobName: 'referral.changed', payload: { ...notice } as never, runAt: null })
    .updateEntity(false)
    .execute();
};

/**
 * The system's expiry (the worker's sweep calls it at `valid_until`): SENT and unanswered → EXPIRED,
 * grants revoked, the referrer told. Runs in the referrer's organization (`organizationId`) without
 * a user. Returns false when the referral was answered, cancelled or expired meanwhile, or is not
 * yet past its validity at `now` — nothing is changed then.
 */
export async function expireReferral(
  db: Db,
  input: { organizationId: string; referralId: string; now: Date; requestId?: string | null },
  notify: ReferralNotifier = outboxReferralNotifier,
): Promise<boolean> {
  const tenant: TenantContext = { organizationId: input.organizationId, userId: null, requestId: input.requestId ?? null };
  return db.tenant(tenant, async (tx) => {
    const locked = await lockReferralAsReferrer(tx, input.referralId);
    const { now } = input;
    if (locked.referral.status !== 'SENT' || !locked.referral.validUntil || locked.referral.validUntil > now) return false;
    await applyReferralStep(tx, locked, { action: 'EXPIRE', actor: { userId: null, name: 'Fascia (system)' }, now, reason: 'No answer before the referral’s validity ended', notify });
    return true;
  });
}
