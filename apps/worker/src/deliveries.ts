import type { Db } from '@fascia/db';
import type { EntityManager } from 'typeorm';
import { type Channels, type OutboundMessage, PermanentDeliveryError } from './channels';
import type { Logger } from './logger';

export interface DeliveryRequest {
  organizationId: string;
  /** Unique per thing that must reach a person once, e.g. `invitation:<id>`. */
  deliveryKey: string;
  /** Which message this is, for the log: 'staff-invitation', … */
  template: string;
  /** The outbox row (= BullMQ jobId) that caused it. */
  outboxId: string | null;
  message: OutboundMessage;
}

export interface AttemptInfo {
  /** BullMQ will not retry after this attempt. */
  isFinalAttempt: boolean;
  /**
   * Runs in the delivery's claim transaction, before anything is sent: a reason not to
   * send (the record behind the message was cancelled meanwhile), or null to go ahead.
   * It may lock that record (`FOR UPDATE`) so a cancellation cannot slip in before the claim.
   */
  claim?: (em: EntityManager) => Promise<string | null>;
  /**
   * Runs in the transaction that records the outcome (the claim's, for ALREADY_SENT /
   * ALREADY_DEAD; the settle's otherwise), so a record that tracks the message (a
   * `reminder` row) commits with its delivery row, or not at all.
   */
  onSettled?: (em: EntityManager, outcome: DeliveryOutcome) => Promise<void>;
}

export type DeliveryOutcome =
  | { status: 'SENT'; deliveryId: string; providerRef: string }
  | { status: 'ALREADY_SENT'; deliveryId: string; providerRef: string | null }
  | { status: 'ALREADY_DEAD'; deliveryId: string; lastError: string | null }
  | { status: 'SKIPPED'; deliveryId: null; reason: string }
  /** Another worker holds the lease and is sending it now: retried later, when it will be SENT. */
  | { status: 'BUSY'; deliveryId: string; error: Error }
  | { status: 'DEAD'; deliveryId: string; error: Error }
  | { status: 'FAILED'; deliveryId: string; error: Error };

interface DeliveryRow {
  id: string;
  status: 'PENDING' | 'SENT' | 'FAILED' | 'DEAD';
  provider_ref: string | null;
  last_error: string | null;
  leased: boolean;
}

const MAX_ERROR_LENGTH = 2000;
/**
 * How long a claim keeps other workers off a delivery while it sends, by default: the
 * BullMQ job lock (`WORKER_LOCK_MS`, 30 s). A job whose worker died is run again only
 * after its lock has expired, and so finds the lease expired too.
 */
export const DEFAULT_DELIVERY_LEASE_MS = 30_000;

type Claimed = { outcome: DeliveryOutcome } | { row: DeliveryRow };

/**
 * The delivery log: every attempt to reach a person is a `delivery` row with its status.
 * `delivery_key` is unique, so however many jobs ask for the same message (a relay that
 * ran twice, a job retried after a crash), the row is claimed once and, once SENT, never
 * sent again. Three steps, and no transaction is open while the channel sends (a slow
 * SMTP exchange holds only the delivery's lease, never a row lock or a connection):
 *  1. claim, one short transaction: the row is inserted (or locked) and leased
 *     (`claimed_until`); SENT, DEAD or leased by another worker → nothing is sent;
 *  2. send, outside any transaction;
 *  3. settle, one short transaction: SENT / FAILED / DEAD, attempts, the lease released.
 * Two workers on one key take turns on the lease: the second gets BUSY (retried by
 * BullMQ with backoff) and, on its retry, sees SENT.
 */
export class DeliveryLog {
  constructor(
    private readonly db: Db,
    private readonly channels: Channels,
    private readonly log: Logger,
    private readonly leaseMs: number = DEFAULT_DELIVERY_LEASE_MS,
  ) {}

  async deliverOnce(req: DeliveryRequest, attempt: AttemptInfo): Promise<DeliveryOutcome> {
    const channel = this.channels[req.message.channel] as { send(m: OutboundMessage): Promise<{ providerRef: string }> } | undefined;
    if (!channel) throw new Error(`No ${req.message.channel} channel is configured`);
    const claimed = await this.db.system((em) => this.claim(em, req, attempt));
    const outcome = 'outcome' in claimed ? claimed.outcome : await this.sendAndSettle(claimed.row, req, attempt, channel);
    const fields = { deliveryId: outcome.deliveryId, deliveryKey: req.deliveryKey, channel: req.message.channel, template: req.template, outboxId: req.outboxId, status: outcome.status };
    if (outcome.status === 'SENT') this.log.info({ ...fields, providerRef: outcome.providerRef }, 'delivery sent');
    else if (outcome.status === 'DEAD' || outcome.status === 'FAILED') this.log.warn({ ...fields, err: outcome.error.message }, `delivery ${outcome.status.toLowerCase()}`);
    else if (outcome.status === 'BUSY') this.log.info(fields, 'delivery busy: another worker is sending it');
    else if (outcome.status === 'SKIPPED') this.log.info({ ...fields, reason: outcome.reason }, 'delivery skipped: not to be sent');
    else this.log.info(fields, 'delivery skipped: already handled');
    return outcome;
  }

  private async claim(em: EntityManager, req: DeliveryRequest, attempt: AttemptInfo): Promise<Claimed> {
    const reason = (await attempt.claim?.(em)) ?? null;
    if (reason !== null) return { outcome: { status: 'SKIPPED', deliveryId: null, reason } };
    await em.query(
      `INSERT INTO delivery (organization_id, delivery_key, channel, recipient, template, status, outbox_id)
       VALUES ($1, $2, $3, $4, $5, 'PENDING', $6)
       ON CONFLICT (delivery_key) DO NOTHING`,
      [req.organizationId, req.deliveryKey, req.message.channel, req.message.to, req.template, req.outboxId],
    );
    const [row] = (await em.query(
      `SELECT id, status, provider_ref, last_error, coalesce(claimed_until > now(), false) AS leased FROM delivery WHERE delivery_key = $1 FOR UPDATE`,
      [req.deliveryKey],
    )) as DeliveryRow[];
    let outcome: DeliveryOutcome | null = null;
    if (row.status === 'SENT') outcome = { status: 'ALREADY_SENT', deliveryId: row.id, providerRef: row.provider_ref };
    else if (row.status === 'DEAD') outcome = { status: 'ALREADY_DEAD', deliveryId: row.id, lastError: row.last_error };
    if (outcome) {
      await attempt.onSettled?.(em, outcome);
      return { outcome };
    }
    if (row.leased) return { outcome: { status: 'BUSY', deliveryId: row.id, error: new Error(`Delivery ${req.deliveryKey} is being sent by another worker`) } };
    await em.query(`UPDATE delivery SET status = 'PENDING', claimed_until = now() + make_interval(secs => $2) WHERE id = $1`, [row.id, this.leaseMs / 1000]);
    return { row };
  }

  private async sendAndSettle(
    row: DeliveryRow,
    req: DeliveryRequest,
    attempt: AttemptInfo,
    channel: { send(m: OutboundMessage): Promise<{ providerRef: string }> },
  ): Promise<DeliveryOutcome> {
    let outcome: DeliveryOutcome;
    try {
      const sent = await channel.send(req.message);
      outcome = { status: 'SENT', deliveryId: row.id, providerRef: sent.providerRef };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const dead = error instanceof PermanentDeliveryError || attempt.isFinalAttempt;
      outcome = dead ? { status: 'DEAD', deliveryId: row.id, error } : { status: 'FAILED', deliveryId: row.id, error };
    }
    return this.db.system(async (em) => {
      if (outcome.status === 'SENT') {
        await em.query(
          `UPDATE delivery SET status = 'SENT', provider_ref = $2, recipient = $3, attempts = attempts + 1, last_error = NULL, sent_at = now(), claimed_until = NULL,
             outbox_id = coalesce(outbox_id, $4)
           WHERE id = $1`,
          [row.id, outcome.providerRef, req.message.to, req.outboxId],
        );
      } else if (outcome.status === 'DEAD' || outcome.status === 'FAILED') {
        // A row some other worker sent meanwhile (after this one's lease ran out) stays SENT.
        await em.query(
          `UPDATE delivery SET status = CASE WHEN status = 'SENT' THEN status ELSE $2 END, attempts = attempts + 1, last_error = $3, recipient = $4, claimed_until = NULL WHERE id = $1`,
          [row.id, outcome.status, outcome.error.message.slice(0, MAX_ERROR_LENGTH), req.message.to],
        );
      }
      await attempt.onSettled?.(em, outcome);
      return outcome;
    });
  }
}
