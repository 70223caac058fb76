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
   * Runs in the delivery's claim, before anything is sent: a reason not to send (the
   * record behind the message was cancelled meanwhile), or null to go ahead. It may lock
   * that record (`FOR UPDATE`) so a cancellation cannot slip in between.
   */
  claim?: (em: EntityManager) => Promise<string | null>;
  /**
   * Runs in the delivery's transaction once the outcome is known, so a record that
   * tracks the message (a `reminder` row) commits with its delivery row, or not at all.
   */
  onSettled?: (em: EntityManager, outcome: DeliveryOutcome) => Promise<void>;
}

export type DeliveryOutcome =
  | { status: 'SENT'; deliveryId: string; providerRef: string }
  | { status: 'ALREADY_SENT'; deliveryId: string; providerRef: string | null }
  | { status: 'ALREADY_DEAD'; deliveryId: string; lastError: string | null }
  | { status: 'SKIPPED'; deliveryId: null; reason: string }
  | { status: 'DEAD'; deliveryId: string; error: Error }
  | { status: 'FAILED'; deliveryId: string; error: Error };

interface DeliveryRow {
  id: string;
  status: 'PENDING' | 'SENT' | 'FAILED' | 'DEAD';
  provider_ref: string | null;
  last_error: string | null;
}

const MAX_ERROR_LENGTH = 2000;

/**
 * The delivery log: every attempt to reach a person is a `delivery` row with its status.
 * `delivery_key` is unique, so however many jobs ask for the same message (a relay that
 * ran twice, a job retried after a crash), the row is claimed once and, once SENT, never
 * sent again. The row stays locked (FOR UPDATE) while the channel sends, so two workers
 * racing on one key take turns and the second sees SENT.
 */
export class DeliveryLog {
  constructor(
    private readonly db: Db,
    private readonly channels: Channels,
    private readonly log: Logger,
  ) {}

  async deliverOnce(req: DeliveryRequest, attempt: AttemptInfo): Promise<DeliveryOutcome> {
    const channel = this.channels[req.message.channel];
    if (!channel) throw new Error(`No ${req.message.channel} channel is configured`);
    const outcome = await this.db.system(async (em): Promise<DeliveryOutcome> => {
      const reason = (await attempt.claim?.(em)) ?? null;
      if (reason !== null) return { status: 'SKIPPED', deliveryId: null, reason };
      const result = await this.attempt(em, req, attempt, channel as { send(m: OutboundMessage): Promise<{ providerRef: string }> });
      await attempt.onSettled?.(em, result);
      return result;
    });
    const fields = { deliveryId: outcome.deliveryId, deliveryKey: req.deliveryKey, channel: req.message.channel, template: req.template, outboxId: req.outboxId, status: outcome.status };
    if (outcome.status === 'SENT') this.log.info({ ...fields, providerRef: outcome.providerRef }, 'delivery sent');
    else if (outcome.status === 'DEAD' || outcome.status === 'FAILED') this.log.warn({ ...fields, err: outcome.error.message }, `delivery ${outcome.status.toLowerCase()}`);
    else if (outcome.status === 'SKIPPED') this.log.info({ ...fields, reason: outcome.reason }, 'delivery skipped: not to be sent');
    else this.log.info(fields, 'delivery skipped: already handled');
    return outcome;
  }

  private async attempt(
    em: EntityManager,
    req: DeliveryRequest,
    attempt: AttemptInfo,
    channel: { send(m: OutboundMessage): Promise<{ providerRef: string }> },
  ): Promise<DeliveryOutcome> {
    await em.query(
      `INSERT INTO delivery (organization_id, delivery_key, channel, recipient, template, status, outbox_id)
       VALUES ($1, $2, $3, $4, $5, 'PENDING', $6)
       ON CONFLICT (delivery_key) DO NOTHING`,
      [req.organizationId, req.deliveryKey, req.message.channel, req.message.to, req.template, req.outboxId],
    );
    const [row] = (await em.query(`SELECT id, status, provider_ref, last_error FROM delivery WHERE delivery_key = $1 FOR UPDATE`, [req.deliveryKey])) as DeliveryRow[];
    if (row.status === 'SENT') return { status: 'ALREADY_SENT', deliveryId: row.id, providerRef: row.provider_ref };
    if (row.status === 'DEAD') return { status: 'ALREADY_DEAD', deliveryId: row.id, lastError: row.last_error };
    try {
      const sent = await channel.send(req.message);
      await em.query(
        `UPDATE delivery SET status = 'SENT', provider_ref = $2, recipient = $3, attempts = attempts + 1, last_error = NULL, sent_at = now(), outbox_id = coalesce(outbox_id, $4)
         WHERE id = $1`,
        [row.id, sent.providerRef, req.message.to, req.outboxId],
      );
      return { status: 'SENT', deliveryId: row.id, providerRef: sent.providerRef };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const dead = error instanceof PermanentDeliveryError || attempt.isFinalAttempt;
      await em.query(`UPDATE delivery SET status = $2, attempts = attempts + 1, last_error = $3, recipient = $4 WHERE id = $1`, [
        row.id,
        dead ? 'DEAD' : 'FAILED',
        error.message.slice(0, MAX_ERROR_LENGTH),
        req.message.to,
      ]);
      return dead ? { status: 'DEAD', deliveryId: row.id, error } : { status: 'FAILED', deliveryId: row.id, error };
    }
  }
}
