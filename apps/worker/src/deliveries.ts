import { type Db, SqlParams, systemQuery } from '@fascia/db';
import { Batcher } from './batcher';
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

/** Adds a parameter to the statement being built and returns its placeholder (`$n`). */
export type Param = (value: unknown) => string;

/**
 * What must hold for a message to be sent, checked inside the claim statement: a SELECT
 * of at most one row with a text column `reason` (null to go ahead) and a boolean column
 * `record` (the reason is to be recorded, see {@link AttemptInfo.settle}). It may lock the
 * record it reads (`FOR UPDATE OF …`): a cancellation then either commits before the claim
 * (and the guard sees it) or waits for the claim to commit.
 */
export interface ClaimGuard {
  sql: (param: Param) => string;
  /** The reason when the guard finds no row (the record is gone). */
  missing: string;
  /**
   * The same guard, set-based: a SELECT over the batch's requests `req` (columns `i` int, `org`
   * uuid, `ref` uuid: the guarded record's id, {@link SetGuard.ref}) returning `i`, `reason` and
   * `record` for each request whose record exists, locking it (`FOR UPDATE OF …`). A batch whose
   * requests all have one `kind` of set guard is claimed with one statement whose text does not
   * depend on the batch's size: PostgreSQL plans it once per connection, instead of once per
   * connection and batch size (a 20-request statement of per-request CTEs cost ~0.3 s to plan).
   */
  set?: SetGuard;
}

export interface SetGuard {
  /** Names the SQL below: requests of one kind share a statement. */
  kind: string;
  ref: string;
  sql: string;
}

export interface AttemptInfo {
  /** BullMQ will not retry after this attempt. */
  isFinalAttempt: boolean;
  /** A reason not to send (the record behind the message was cancelled meanwhile), checked under the claim. */
  guard?: ClaimGuard;
  /**
   * A data-modifying statement (an UPDATE of the record that tracks the message, e.g. the
   * `reminder` row) for an outcome, or null. It runs in the statement that records the
   * outcome (the settle's, for SENT / FAILED / DEAD), so it commits with its delivery row
   * or not at all; for ALREADY_SENT / ALREADY_DEAD and a guard's recorded SKIPPED, in a
   * statement of its own right after the claim.
   */
  settle?: (outcome: DeliveryOutcome, param: Param) => string | null;
  /**
   * {@link settle} for SENT, FAILED and DEAD, set-based: a batch of settles whose requests all
   * have one `kind` of set settle is one statement whose text does not depend on the batch's
   * size (planned once per connection, as {@link ClaimGuard.set}; the per-request form, one
   * text per size, was planned again for each size on each connection).
   */
  setSettle?: SetSettle;
}

/**
 * A data-modifying statement over the batch's settles `s` (columns `org` uuid, `id` uuid: the
 * delivery row, `status` text: SENT, FAILED or DEAD, `error` text: null when SENT, `ref` uuid:
 * the tracked record's id, {@link SetSettle.ref}) that does for each row what
 * {@link AttemptInfo.settle} does for its outcome, without a RETURNING clause.
 */
export interface SetSettle {
  /** Names the SQL below: requests of one kind share a statement. */
  kind: string;
  ref: string;
  sql: string;
}

export type DeliveryOutcome =
  | { status: 'SENT'; deliveryId: string; providerRef: string }
  | { status: 'ALREADY_SENT'; deliveryId: string; providerRef: string | null }
  | { status: 'ALREADY_DEAD'; deliveryId: string; lastError: string | null }
  | { status: 'SKIPPED'; deliveryId: null; reason: string; /** the guard asked for the reason to be recorded */ record: boolean }
  /** Another worker holds the lease and is sending it now: retried later, when it will be SENT. */
  | { status: 'BUSY'; deliveryId: string; error: Error }
  | { status: 'DEAD'; deliveryId: string; error: Error }
  | { status: 'FAILED'; deliveryId: string; error: Error };

interface ClaimRow {
  reason: string | null;
  record: boolean;
  inserted_id: string | null;
  id: string | null;
  status: 'PENDING' | 'SENT' | 'FAILED' | 'DEAD' | null;
  provider_ref: string | null;
  last_error: string | null;
  leased: boolean | null;
}

const MAX_ERROR_LENGTH = 2000;
/**
 * How long a claim keeps other workers off a delivery while it sends, by default: the
 * BullMQ job lock (`WORKER_LOCK_MS`, 30 s). A job whose worker died is run again only
 * after its lock has expired, and so finds the lease expired too.
 */
export const DEFAULT_DELIVERY_LEASE_MS = 30_000;
/**
 * How long a settle may wait for the messages still being sent to reach theirs (ms): a sent
 * message not yet recorded is the SMTP gap (a crash then sends it again), so the wait is short.
 */
export const SETTLE_HOLD_MS = 5;
/** A claim that lost an insert race to another worker reads again (the row is then there to lock). */
const CLAIM_TRIES = 3;

type Claimed = { outcome: DeliveryOutcome } | { deliveryId: string };
/** Deliveries claimed (or settled) in one statement at most. */
export const DEFAULT_MAX_BATCH = 50;
interface SettleRequest {
  deliveryId: string;
  req: DeliveryRequest;
  attempt: AttemptInfo;
  outcome: DeliveryOutcome;
}

/**
 * The delivery log: every attempt to reach a person is a `delivery` row with its status.
 * `delivery_key` is unique, so however many jobs ask for the same message (a relay that
 * ran twice, a job retried after a crash), the row is claimed once and, once SENT, never
 * sent again. Three steps, one statement each (run as `fascia_system`, see `systemQuery`),
 * and no transaction is open while the channel sends (a slow SMTP exchange holds only the
 * delivery's lease, never a row lock or a connection):
 *  1. claim, one statement: the caller's guard (which may lock its record and say why
 *     not to send), then the row is inserted, or locked and leased (`claimed_until`);
 *     SENT, DEAD or leased by another worker → nothing is sent;
 *  2. send, outside any transaction;
 *  3. settle, one statement: SENT / FAILED / DEAD, attempts, the lease released, and the
 *     caller's record (the reminder row) updated with it.
 * Two workers on one key take turns on the lease: the second gets BUSY (retried by
 * BullMQ with backoff) and, on its retry, sees SENT.
 */
export class DeliveryLog {
  /**
   * The claims (and the settles) of all the deliveries in flight in this process go to the
   * database together: one statement per batch, each request its own part of it (its own
   * CTEs, its own row of the result), exactly the statement it would be alone.
   */
  private readonly claims: Batcher<{ req: DeliveryRequest; attempt: AttemptInfo }, ClaimRow>;
  private readonly settles: Batcher<SettleRequest, true>;
  /** Messages claimed and being sent, whose settle is still to come. */
  private sending = 0;

  constructor(
    private readonly db: Db,
    private readonly channels: Channels,
    private readonly log: Logger,
    private readonly leaseMs: number = DEFAULT_DELIVERY_LEASE_MS,
    batch: { maxBatch?: number } = {},
  ) {
    const maxBatch = batch.maxBatch ?? DEFAULT_MAX_BATCH;
    this.claims = new Batcher((reqs) => this.claimStatement(reqs), { maxBatch, maxInFlight: 2, key: (c) => c.req.deliveryKey });
    // A settle waits (5 ms at most) for the other messages being sent to reach theirs: the
    // replies of a batch's messages come back one by one, and were settled in 1–3 per statement.
    this.settles = new Batcher((reqs) => this.settleStatement(reqs), { maxBatch, maxInFlight: 2, holdWhile: () => this.sending > 0, maxHoldMs: SETTLE_HOLD_MS });
  }

  async deliverOnce(req: DeliveryRequest, attempt: AttemptInfo): Promise<DeliveryOutcome> {
    const channel = this.channels[req.message.channel] as { send(m: OutboundMessage): Promise<{ providerRef: string }> } | undefined;
    if (!channel) throw new Error(`No ${req.message.channel} channel is configured`);
    const claimed = await this.claim(req, attempt);
    const outcome = 'outcome' in claimed ? claimed.outcome : await this.sendAndSettle(claimed.deliveryId, req, attempt, channel);
    const fields = { deliveryId: outcome.deliveryId, deliveryKey: req.deliveryKey, channel: req.message.channel, template: req.template, outboxId: req.outboxId, status: outcome.status };
    if (outcome.status === 'SENT') this.log.info({ ...fields, providerRef: outcome.providerRef }, 'delivery sent');
    else if (outcome.status === 'DEAD' || outcome.status === 'FAILED') this.log.warn({ ...fields, err: outcome.error.message }, `delivery ${outcome.status.toLowerCase()}`);
    else if (outcome.status === 'BUSY') this.log.info(fields, 'delivery busy: another worker is sending it');
    else if (outcome.status === 'SKIPPED') this.log.info({ ...fields, reason: outcome.reason }, 'delivery skipped: not to be sent');
    else this.log.info(fields, 'delivery skipped: already handled');
    return outcome;
  }

  private async claim(req: DeliveryRequest, attempt: AttemptInfo): Promise<Claimed> {
    for (let i = 0; i < CLAIM_TRIES; i++) {
      const row = await this.claims.submit({ req, attempt });
      let outcome: DeliveryOutcome | null = null;
      if (row.reason !== null) outcome = { status: 'SKIPPED', deliveryId: null, reason: row.reason, record: row.record };
      else if (row.inserted_id) return { deliveryId: row.inserted_id };
      else if (!row.id) continue; // another worker inserted the key meanwhile: read again, it is there to lock now
      else if (row.status === 'SENT') outcome = { status: 'ALREADY_SENT', deliveryId: row.id, providerRef: row.provider_ref };
      else if (row.status === 'DEAD') outcome = { status: 'ALREADY_DEAD', deliveryId: row.id, lastError: row.last_error };
      else if (row.leased) return { outcome: { status: 'BUSY', deliveryId: row.id, error: new Error(`Delivery ${req.deliveryKey} is being sent by another worker`) } };
      else return { deliveryId: row.id };
      if (outcome.status !== 'SKIPPED' || outcome.record) await this.settleAlone(outcome, attempt);
      return { outcome };
    }
    throw new Error(`Delivery ${req.deliveryKey}: the claim lost ${CLAIM_TRIES} races in a row`);
  }

  /**
   * One statement for a batch of claims; for each request: the guard, then the delivery row
   * inserted with a lease, or (when it exists) locked, read, and leased if it is neither final
   * nor leased by another worker. `prior_<i>` reads the row as it was before this statement.
   * Each request has its own CTEs (suffix `_<i>`) and its own row of the result (`i`); the
   * batch never holds one delivery key twice (Batcher's key). A batch of one kind of message
   * (one template: one guard text) is a prepared statement — its text then depends on the
   * batch's size alone, so a connection prepares at most DEFAULT_MAX_BATCH of them; a mixed
   * batch is planned each time.
   */
  private async claimStatement(batch: { req: DeliveryRequest; attempt: AttemptInfo }[]): Promise<(ClaimRow | Error)[]> {
    const kind = batch[0].attempt.guard?.set?.kind;
    if (kind && batch.every((b) => b.attempt.guard?.set?.kind === kind)) return this.setClaimStatement(batch);
    const p = new SqlParams();
    const ctes: string[] = [];
    const selects: string[] = [];
    batch.forEach(({ req, attempt }, i) => {
      const guard = attempt.guard?.sql(p.param);
      const go = guard ? `AND EXISTS (SELECT 1 FROM guard_${i} WHERE reason IS NULL)` : '';
      const key = p.param(req.deliveryKey);
      const org = p.param(req.organizationId);
      const lease = `now() + make_interval(secs => ${p.param(this.leaseMs / 1000)}::double precision)`;
      const reason = guard ? `CASE WHEN EXISTS (SELECT 1 FROM guard_${i}) THEN (SELECT reason FROM guard_${i}) ELSE ${p.param(attempt.guard!.missing)}::text END` : 'NULL::text';
      if (guard) ctes.push(`guard_${i} AS (${guard})`);
      ctes.push(`
      prior_${i} AS (
        SELECT id, status, provider_ref, last_error, coalesce(claimed_until > now(), false) AS leased
        FROM delivery WHERE organization_id = ${org}::uuid AND delivery_key = ${key}::text ${go} FOR UPDATE),
      ins_${i} AS (
        INSERT INTO delivery (organization_id, delivery_key, channel, recipient, template, status, outbox_id, claimed_until)
        SELECT ${org}::uuid, ${key}::text, ${p.param(req.message.channel)}::text, ${p.param(req.message.to)}::text,
               ${p.param(req.template)}::text, 'PENDING', ${p.param(req.outboxId)}::uuid, ${lease}
        WHERE NOT EXISTS (SELECT 1 FROM prior_${i}) ${go}
        ON CONFLICT (organization_id, delivery_key) DO NOTHING
        RETURNING id),
      leased_${i} AS (
        UPDATE delivery d SET status = 'PENDING', claimed_until = ${lease}
        FROM prior_${i} WHERE d.organization_id = ${org}::uuid AND d.id = prior_${i}.id AND prior_${i}.status NOT IN ('SENT', 'DEAD') AND NOT prior_${i}.leased
        RETURNING d.id)`);
      selects.push(`
      SELECT ${i} AS i, ${reason} AS reason, ${guard ? `coalesce((SELECT record FROM guard_${i}), false)` : 'false'} AS record,
             (SELECT id FROM ins_${i}) AS inserted_id, prior_${i}.id, prior_${i}.status, prior_${i}.provider_ref, prior_${i}.last_error, prior_${i}.leased
      FROM (VALUES (1)) AS one (n) LEFT JOIN prior_${i} ON true`);
    });
    const prepare = batch.every((b) => b.req.template === batch[0].req.template && !!b.attempt.guard === !!batch[0].attempt.guard);
    const rows = await systemQuery<ClaimRow & { i: number }>(this.db, `WITH ${ctes.join(',')}${selects.join('\n      UNION ALL')}`, p.values, { prepare });
    const byIndex = new Map(rows.map((r) => [r.i, r]));
    return batch.map((_, i) => byIndex.get(i) ?? new Error('the claim statement returned no row for a request'));
  }

  /**
   * The claim of a batch whose requests share one set-based guard (see {@link ClaimGuard.set}):
   * the same steps as {@link claimStatement}'s per-request CTEs — the guard (locking each
   * record), then each delivery row inserted with a lease, or locked, read as it was, and leased
   * when it is neither final nor leased by another worker — over all the requests at once, in
   * one statement of one text for every batch size (prepared, planned once per connection).
   */
  private async setClaimStatement(batch: { req: DeliveryRequest; attempt: AttemptInfo }[]): Promise<(ClaimRow | Error)[]> {
    const guard = batch[0].attempt.guard!.set!;
    const sql = `
      WITH req AS (
        SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::text[])
          AS req (i, org, key, channel, recipient, template, outbox_id, ref, missing)),
      guard AS (${guard.sql}),
      go AS (SELECT req.* FROM req JOIN guard ON guard.i = req.i AND guard.reason IS NULL),
      prior AS (
        SELECT go.i, d.id, d.status, d.provider_ref, d.last_error, coalesce(d.claimed_until > now(), false) AS leased
        FROM go JOIN delivery d ON d.organization_id = go.org AND d.delivery_key = go.key
        ORDER BY d.organization_id, d.id
        FOR UPDATE OF d),
      ins AS (
        INSERT INTO delivery (organization_id, delivery_key, channel, recipient, template, status, outbox_id, claimed_until)
        SELECT go.org, go.key, go.channel, go.recipient, go.template, 'PENDING', go.outbox_id, now() + make_interval(secs => $10::double precision)
        FROM go WHERE NOT EXISTS (SELECT 1 FROM prior WHERE prior.i = go.i)
        ON CONFLICT (organization_id, delivery_key) DO NOTHING
        RETURNING organization_id, delivery_key, id),
      leased AS (
        UPDATE delivery d SET status = 'PENDING', claimed_until = now() + make_interval(secs => $10::double precision)
        FROM prior JOIN go ON go.i = prior.i
        WHERE d.organization_id = go.org AND d.id = prior.id AND prior.status NOT IN ('SENT', 'DEAD') AND NOT prior.leased
        RETURNING d.id)
      SELECT req.i, CASE WHEN guard.i IS NOT NULL THEN guard.reason ELSE req.missing END AS reason, coalesce(guard.record, false) AS record,
             ins.id AS inserted_id, prior.id, prior.status, prior.provider_ref, prior.last_error, prior.leased
      FROM req
      LEFT JOIN guard ON guard.i = req.i
      LEFT JOIN prior ON prior.i = req.i
      LEFT JOIN ins ON ins.organization_id = req.org AND ins.delivery_key = req.key`;
    const rows = await systemQuery<ClaimRow & { i: number }>(this.db, sql, [
      batch.map((_, i) => i),
      batch.map((b) => b.req.organizationId),
      batch.map((b) => b.req.deliveryKey),
      batch.map((b) => b.req.message.channel),
      batch.map((b) => b.req.message.to),
      batch.map((b) => b.req.template),
      batch.map((b) => b.req.outboxId),
      batch.map((b) => b.attempt.guard!.set!.ref),
      batch.map((b) => b.attempt.guard!.missing),
      this.leaseMs / 1000,
    ]);
    const byIndex = new Map(rows.map((r) => [r.i, r]));
    return batch.map((_, i) => byIndex.get(i) ?? new Error('the claim statement returned no row for a request'));
  }

  /**
   * One statement for a batch of settles; for each request: its delivery row's outcome and
   * the caller's record with it (`d_<i>`, `t_<i>`), so each commits with its delivery row or
   * not at all. Prepared when the batch is of one template and one kind of outcome (SENT or
   * not), as the claim's.
   */
  private async settleStatement(batch: SettleRequest[]): Promise<true[]> {
    const kind = batch[0].attempt.setSettle?.kind;
    if (kind && batch.every((b) => b.attempt.setSettle?.kind === kind && b.outcome.status !== 'BUSY')) return this.setSettleStatement(batch);
    const p = new SqlParams();
    const ctes: string[] = [];
    batch.forEach(({ deliveryId, req, attempt, outcome }, i) => {
      ctes.push(
        outcome.status === 'SENT'
          ? `d_${i} AS (UPDATE delivery SET status = 'SENT', provider_ref = ${p.param(outcome.providerRef)}, recipient = ${p.param(req.message.to)}, attempts = attempts + 1,
             last_error = NULL, sent_at = now(), claimed_until = NULL, outbox_id = coalesce(outbox_id, ${p.param(req.outboxId)}::uuid)
           WHERE organization_id = ${p.param(req.organizationId)}::uuid AND id = ${p.param(deliveryId)} RETURNING id)`
          : // A row some other worker sent meanwhile (after this one's lease ran out) stays SENT.
            `d_${i} AS (UPDATE delivery SET status = CASE WHEN status = 'SENT' THEN status ELSE ${p.param(outcome.status)} END, attempts = attempts + 1,
             last_error = ${p.param((outcome as { error: Error }).error.message.slice(0, MAX_ERROR_LENGTH))}, recipient = ${p.param(req.message.to)}, claimed_until = NULL
           WHERE organization_id = ${p.param(req.organizationId)}::uuid AND id = ${p.param(deliveryId)} RETURNING id)`,
      );
      const tracked = attempt.settle?.(outcome, p.param);
      if (tracked) ctes.push(`t_${i} AS (${tracked} RETURNING 1)`);
    });
    const sent = (r: SettleRequest) => r.outcome.status === 'SENT';
    const prepare = batch.every((b) => b.req.template === batch[0].req.template && sent(b) === sent(batch[0]) && !!b.attempt.settle === !!batch[0].attempt.settle);
    await systemQuery(this.db, `WITH ${ctes.join(',\n      ')} SELECT 1`, p.values, { prepare });
    return batch.map(() => true as const);
  }

  /**
   * The settle of a batch whose requests share one set settle (see {@link SetSettle}): for each
   * request the same UPDATE of its delivery row as {@link settleStatement}'s — SENT with its
   * provider reference, or FAILED / DEAD with the error, a row another worker sent meanwhile
   * staying SENT — and the caller's record with it, all in one statement of one text for every
   * batch size (prepared, planned once per connection): each row commits with its record.
   */
  private async setSettleStatement(batch: SettleRequest[]): Promise<true[]> {
    const settle = batch[0].attempt.setSettle!;
    const sent = (o: DeliveryOutcome): o is Extract<DeliveryOutcome, { status: 'SENT' }> => o.status === 'SENT';
    const sql = `
      WITH s AS (
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[])
          AS s (org, id, status, provider_ref, error, recipient, outbox_id, ref)),
      d AS (
        UPDATE delivery d
        SET status = CASE WHEN s.status = 'SENT' OR d.status <> 'SENT' THEN s.status ELSE d.status END,
            provider_ref = CASE WHEN s.status = 'SENT' THEN s.provider_ref ELSE d.provider_ref END,
            recipient = s.recipient, attempts = d.attempts + 1, last_error = s.error, claimed_until = NULL,
            sent_at = CASE WHEN s.status = 'SENT' THEN now() ELSE d.sent_at END,
            outbox_id = CASE WHEN s.status = 'SENT' THEN coalesce(d.outbox_id, s.outbox_id) ELSE d.outbox_id END
        FROM s WHERE d.organization_id = s.org AND d.id = s.id
        RETURNING d.id),
      t AS (${settle.sql} RETURNING 1)
      SELECT 1`;
    await systemQuery(this.db, sql, [
      batch.map((b) => b.req.organizationId),
      batch.map((b) => b.deliveryId),
      batch.map((b) => b.outcome.status),
      batch.map((b) => (sent(b.outcome) ? b.outcome.providerRef : null)),
      batch.map((b) => (sent(b.outcome) ? null : (b.outcome as { error: Error }).error.message.slice(0, MAX_ERROR_LENGTH))),
      batch.map((b) => b.req.message.to),
      batch.map((b) => b.req.outboxId),
      batch.map((b) => b.attempt.setSettle!.ref),
    ]);
    return batch.map(() => true as const);
  }

  /** The caller's record takes an outcome decided at the claim, in a statement of its own. */
  private async settleAlone(outcome: DeliveryOutcome, attempt: AttemptInfo): Promise<void> {
    const p = new SqlParams();
    const sql = attempt.settle?.(outcome, p.param);
    if (sql) await systemQuery(this.db, sql, p.values);
  }

  private async sendAndSettle(
    deliveryId: string,
    req: DeliveryRequest,
    attempt: AttemptInfo,
    channel: { send(m: OutboundMessage): Promise<{ providerRef: string }> },
  ): Promise<DeliveryOutcome> {
    let outcome: DeliveryOutcome;
    this.sending++;
    try {
      const sent = await channel.send(req.message);
      outcome = { status: 'SENT', deliveryId, providerRef: sent.providerRef };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const dead = error instanceof PermanentDeliveryError || attempt.isFinalAttempt;
      outcome = dead ? { status: 'DEAD', deliveryId, error } : { status: 'FAILED', deliveryId, error };
    } finally {
      this.sending--;
    }
    await this.settles.submit({ deliveryId, req, attempt, outcome });
    return outcome;
  }
}
