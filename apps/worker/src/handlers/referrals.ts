import { type Clock, type Db, expireReferral, systemQuery } from '@fascia/db';
import { type ReferralEmailInput, type ReferralEmailKind, type ReferralUrgency, referralEmail } from '@fascia/follow-up';
import { type JobQueue, type JobRetryPolicy, notifyReferralChanged, type ReferralFollowUpKind, type ReferralStatusName, retryOptions } from '@fascia/jobs';
import type { EntityManager } from 'typeorm';
import type { DeliveryLog, DeliveryOutcome } from '../deliveries';
import { type Handler, type HandlerResult, jobResultOf, PermanentJobError } from './types';

/**
 * The referral network's worker side (issue 12, docs/worker.md "Referrals"):
 *  - `referral.changed` → an email to the other side of the change;
 *  - `referral.sweep` (scheduler `sweep:referral-follow-ups`) → claims the follow-ups that
 *    fell due (one statement each: `reminded_at` / `escalated_at` set, the outbox row
 *    written) and expires referrals past their validity;
 *  - `referral.follow-up` → the reminder to the receiver, or the escalation to the
 *    receiving clinic's managers, re-checked under the delivery's claim: never after an
 *    answer.
 * All of it as `fascia_system`; every statement names the organization it reads.
 */

/**
 * Expires one SENT referral past its validity, on both sides, and tells the referrer
 * (a `referral.changed` EXPIRED message in the same transaction). Returns false when the
 * referral was no longer SENT (answered, cancelled, expired by another sweep) — nothing
 * changed then.
 */
export type ExpireReferral = (db: Db, args: { organizationId: string; referralId: string; now: Date }) => Promise<boolean>;

/**
 * The referral core's system transition (`expireReferral` in @fascia/db, the one place an
 * EXPIRED is written): in the referrer's organization without a user, it locks the
 * referrer's row then the inbox row, re-checks SENT and the validity against the sweep's
 * `now`, writes both rows, an event on each side, revokes the grants, and writes the
 * referrer's `referral.changed` EXPIRED notice and its `referral.expired` webhook event
 * (`notifyReferralChanged` from @fascia/jobs, the API's notifier too) in the same transaction.
 */
export const coreExpireReferral: ExpireReferral = (db, args) => expireReferral(db, args, notifyReferralChanged);

export interface ReferralDeps {
  db: Db;
  deliveries: DeliveryLog;
  adminUrl: string;
  clock: Clock;
  retryOverride?: Partial<JobRetryPolicy>;
  /** The system's EXPIRED transition; default {@link coreExpireReferral}. */
  expireReferral?: ExpireReferral;
}

/** Stable: upserting it at every start replaces the scheduler, never adds one. */
export const REFERRAL_SWEEP_SCHEDULER_KEY = 'sweep:referral-follow-ups';
/** Every minute (UTC): an EMERGENCY referral's 4-hour deadline is followed up within a minute. */
export const DEFAULT_REFERRAL_SWEEP_PATTERN = '* * * * *';
/** Rows claimed per statement; a sweep claims until a statement returns fewer. */
export const REFERRAL_SWEEP_BATCH = 200;
/** Referrals expired per tick at most (each is a transaction of its own); the next tick goes on. */
export const REFERRAL_EXPIRY_PER_TICK = 500;

/** Who moved decides who is told: the receiver's moves go to the referrer, the referrer's (and the system's SENT) to the receiver. */
const TELL_REFERRER: ReadonlySet<ReferralStatusName> = new Set(['ACCEPTED', 'DECLINED', 'SCHEDULED', 'COMPLETED', 'EXPIRED']);
const TELL_RECEIVER: ReadonlySet<ReferralStatusName> = new Set(['SENT', 'CANCELLED', 'CLOSED']);

export const referralLink = (adminUrl: string, referralId: string): string => `${adminUrl}/referrals/${referralId}`;
/** One per referral, event and person: a state is entered at most once (the states have no cycle). */
export const referralDeliveryKey = (referralId: string, event: string, recipient: Recipient): string =>
  `referral:${referralId}:${event}:${recipient.userId ?? recipient.email.toLowerCase()}`;

export async function registerReferralSweepScheduler(queue: JobQueue, pattern = DEFAULT_REFERRAL_SWEEP_PATTERN, retryOverride?: Partial<JobRetryPolicy>): Promise<string> {
  // BullMQ types the scheduler id with the queue's job-name type; ours are free strings.
  // A tick a minute would crowd the queue's kept history (the newest 10,000 completed jobs) out
  // of everything else: a completed tick is dropped (its counts are in the log), a failed one kept.
  await queue.upsertJobScheduler(
    REFERRAL_SWEEP_SCHEDULER_KEY as never,
    { pattern, tz: 'UTC' },
    { name: 'referral.sweep', data: {}, opts: { ...retryOptions('referral.sweep', retryOverride), removeOnComplete: true } },
  );
  return REFERRAL_SWEEP_SCHEDULER_KEY;
}

export interface Recipient {
  userId: string | null;
  email: string;
  name: string;
}

interface ReceiverView {
  id: string;
  organization_id: string;
  status: ReferralStatusName;
  urgency: ReferralUrgency;
  discipline: string;
  clinic_id: string;
  practitioner_id: string | null;
  source_organization_name: string;
  source_clinic_name: string;
  due_at: Date;
  valid_until: Date;
  clinic_name: string;
  time_zone: string;
}

/** What an email to the receiving side says of a referral (a state change, a reminder or an escalation). */
function receiverEmailInput(view: ReceiverView, r: Recipient, link: string): ReferralEmailInput {
  return {
    recipientName: r.name,
    side: 'RECEIVER',
    otherOrganizationName: view.source_organization_name,
    otherClinicName: view.source_clinic_name,
    receivingClinicName: view.clinic_name,
    discipline: view.discipline,
    urgency: view.urgency,
    dueAt: view.due_at,
    validUntil: view.valid_until,
    timeZone: view.time_zone,
    link,
  };
}

interface ReferrerView {
  id: string;
  organization_id: string;
  status: ReferralStatusName;
  urgency: ReferralUrgency;
  discipline: string;
  referring_clinic_id: string;
  referring_user_id: string;
  due_at: Date | null;
  valid_until: Date | null;
  time_zone: string;
  other_clinic_name: string;
  other_organization_name: string;
  user_email: string | null;
  user_name: string | null;
}

async function receiverView(em: EntityManager, organizationId: string, referralId: string): Promise<ReceiverView | null> {
  const [row] = (await em.query(
    `SELECT i.id, i.organization_id, i.status, i.urgency, i.discipline, i.clinic_id, i.practitioner_id, i.source_organization_name,
            i.source_clinic_name, i.due_at, i.valid_until, c.name AS clinic_name, c.time_zone
       FROM referral_inbox i JOIN clinic c ON c.organization_id = i.organization_id AND c.id = i.clinic_id
      WHERE i.organization_id = $1 AND i.id = $2`,
    [organizationId, referralId],
  )) as ReceiverView[];
  return row ?? null;
}

async function referrerView(em: EntityManager, organizationId: string, referralId: string): Promise<ReferrerView | null> {
  // The target clinic's and organization's names are directory data (readable by the system role).
  const [row] = (await em.query(
    `SELECT r.id, r.organization_id, r.status, r.urgency, r.target_discipline AS discipline, r.referring_clinic_id, r.referring_user_id,
            r.due_at, r.valid_until, rc.time_zone, tc.name AS other_clinic_name, o.name AS other_organization_name,
            u.email AS user_email, u.display_name AS user_name
       FROM referral r
       JOIN clinic rc ON rc.organization_id = r.organization_id AND rc.id = r.referring_clinic_id
       JOIN clinic tc ON tc.organization_id = r.target_organization_id AND tc.id = r.target_clinic_id
       JOIN organization o ON o.id = r.target_organization_id
       LEFT JOIN app_user u ON u.id = r.referring_user_id AND u.status = 'ACTIVE'
            AND EXISTS (SELECT 1 FROM membership m WHERE m.organization_id = r.organization_id AND m.user_id = u.id AND m.status = 'ACTIVE')
      WHERE r.organization_id = $1 AND r.id = $2`,
    [organizationId, referralId],
  )) as ReferrerView[];
  return row ?? null;
}

/**
 * A clinic's managers: the ACTIVE CLINIC_MANAGER members whose memberships cover it, or,
 * when it has none, the organization's ORG_ADMINs (a pool referral must reach someone).
 */
export async function clinicManagers(em: EntityManager, organizationId: string, clinicId: string): Promise<Recipient[]> {
  const rows = (await em.query(
    `SELECT u.id AS user_id, u.email, u.display_name, m.role
       FROM membership m JOIN app_user u ON u.id = m.user_id
      WHERE m.organization_id = $1 AND m.status = 'ACTIVE' AND u.status = 'ACTIVE' AND m.role IN ('CLINIC_MANAGER', 'ORG_ADMIN')
        AND (cardinality(m.clinic_ids) = 0 OR $2::uuid = ANY(m.clinic_ids))
      ORDER BY u.email`,
    [organizationId, clinicId],
  )) as { user_id: string; email: string; display_name: string; role: string }[];
  const managers = rows.filter((r) => r.role === 'CLINIC_MANAGER');
  return dedupe((managers.length > 0 ? managers : rows.filter((r) => r.role === 'ORG_ADMIN')).map((r) => ({ userId: r.user_id, email: r.email, name: r.display_name })));
}

/** The named (or assigned) practitioner: their login's email, else the practitioner's own; null when neither. */
async function practitionerRecipient(em: EntityManager, organizationId: string, practitionerId: string): Promise<Recipient | null> {
  const [row] = (await em.query(
    `SELECT p.display_name, p.email AS practitioner_email, u.id AS user_id, u.email AS user_email
       FROM practitioner p
       LEFT JOIN app_user u ON u.id = p.user_id AND u.status = 'ACTIVE'
            AND EXISTS (SELECT 1 FROM membership m WHERE m.organization_id = p.organization_id AND m.user_id = u.id AND m.status = 'ACTIVE')
      WHERE p.organization_id = $1 AND p.id = $2 AND p.archived_at IS NULL`,
    [organizationId, practitionerId],
  )) as { display_name: string; practitioner_email: string | null; user_id: string | null; user_email: string | null }[];
  if (!row) return null;
  if (row.user_id && row.user_email) return { userId: row.user_id, email: row.user_email, name: row.display_name };
  if (row.practitioner_email) return { userId: null, email: row.practitioner_email, name: row.display_name };
  return null;
}

function dedupe(list: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const k = r.email.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The receiver's people for a referral: its practitioner (named or assigned), else the clinic's managers. */
async function receiverRecipients(em: EntityManager, view: ReceiverView): Promise<Recipient[]> {
  const named = view.practitioner_id ? await practitionerRecipient(em, view.organization_id, view.practitioner_id) : null;
  return named ? [named] : clinicManagers(em, view.organization_id, view.clinic_id);
}

/** Where a referral id lives, when it is not where the payload said: a job naming the wrong organization is refused. */
async function belongsElsewhere(em: EntityManager, table: 'referral' | 'referral_inbox', organizationId: string, referralId: string): Promise<boolean> {
  const rows = (await em.query(`SELECT 1 FROM ${table} WHERE id = $1 AND organization_id <> $2 LIMIT 1`, [referralId, organizationId])) as unknown[];
  return rows.length > 0;
}

interface Planned {
  event: string;
  template: string;
  recipients: Recipient[];
  render: (r: Recipient) => { subject: string; text: string } | null;
}

type Loaded = { skip: string } | { mismatch: true } | Planned;

async function send(deps: ReferralDeps, organizationId: string, referralId: string, plan: Planned, ctx: { jobId: string; attempt: number; maxAttempts: number }, guard?: Parameters<DeliveryLog['deliverOnce']>[1]['guard']): Promise<HandlerResult> {
  const results: DeliveryOutcome[] = [];
  let failure: unknown = null;
  for (const r of plan.recipients) {
    const content = plan.render(r);
    if (!content) continue;
    const outcome = await deps.deliveries.deliverOnce(
      {
        organizationId,
        deliveryKey: referralDeliveryKey(referralId, plan.event, r),
        template: plan.template,
        outboxId: ctx.jobId,
        message: { channel: 'EMAIL', to: r.email, ...content },
      },
      { isFinalAttempt: ctx.attempt >= ctx.maxAttempts, guard },
    );
    results.push(outcome);
    // One recipient's failure must not keep the others from their email: try them all, then
    // let the job's retry take the failed ones again (the sent ones are ALREADY_SENT then).
    try {
      jobResultOf(outcome, `Referral email to ${r.email}`);
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure) throw failure;
  const outcome = results.some((o) => o.status === 'SENT') ? 'sent' : results.every((o) => o.status === 'SKIPPED') ? 'skipped' : 'already-handled';
  return { outcome, recipients: results.length, statuses: results.map((o) => o.status) };
}

/** `referral.changed`: the other side of a state change is told, once per person and state. */
export function referralChangedHandler(deps: ReferralDeps): Handler<'referral.changed'> {
  return async (data, ctx) => {
    const what: ReferralEmailKind = { kind: 'CHANGED', toStatus: data.toStatus };
    const link = referralLink(deps.adminUrl, data.referralId);
    const loaded = await deps.db.system(async (em): Promise<Loaded> => {
      if (TELL_RECEIVER.has(data.toStatus)) {
        const view = await receiverView(em, data.organizationId, data.referralId);
        if (!view) return (await belongsElsewhere(em, 'referral_inbox', data.organizationId, data.referralId)) ? { mismatch: true } : { skip: 'referral-not-found' };
        const recipients = await receiverRecipients(em, view);
        return {
          event: data.toStatus,
          template: 'referral-changed',
          recipients,
          render: (r) =>
            referralEmail(what, receiverEmailInput(view, r, link)),
        };
      }
      if (TELL_REFERRER.has(data.toStatus)) {
        const view = await referrerView(em, data.organizationId, data.referralId);
        if (!view) return (await belongsElsewhere(em, 'referral', data.organizationId, data.referralId)) ? { mismatch: true } : { skip: 'referral-not-found' };
        // The referrer; if their login is gone, the referring clinic's managers.
        const recipients: Recipient[] =
          view.user_email && view.user_name
            ? [{ userId: view.referring_user_id, email: view.user_email, name: view.user_name }]
            : await clinicManagers(em, view.organization_id, view.referring_clinic_id);
        return {
          event: data.toStatus,
          template: 'referral-changed',
          recipients,
          render: (r) =>
            referralEmail(what, {
              recipientName: r.name,
              side: 'REFERRER',
              otherOrganizationName: view.other_organization_name,
              otherClinicName: view.other_clinic_name,
              receivingClinicName: view.other_clinic_name,
              discipline: view.discipline,
              urgency: view.urgency,
              dueAt: view.due_at,
              validUntil: view.valid_until,
              // The referrer reads times in their own clinic's zone.
              timeZone: view.time_zone,
              link,
            }),
        };
      }
      return { skip: `nobody is told of ${data.toStatus}` };
    });
    if ('mismatch' in loaded) {
      ctx.log.error({ referralId: data.referralId, payloadOrganizationId: data.organizationId }, 'referral belongs to another organization: job refused');
      throw new PermanentJobError(`Referral ${data.referralId} does not belong to organization ${data.organizationId}`);
    }
    if ('skip' in loaded) {
      ctx.log.info({ referralId: data.referralId, toStatus: data.toStatus, reason: loaded.skip }, 'referral notice not sent');
      return { outcome: 'skipped', reason: loaded.skip };
    }
    if (loaded.recipients.length === 0) {
      ctx.log.warn({ referralId: data.referralId, toStatus: data.toStatus }, 'referral notice: nobody to tell (no practitioner login, manager or admin with an email)');
      return { outcome: 'skipped', reason: 'no-recipient' };
    }
    return send(deps, data.organizationId, data.referralId, loaded, ctx);
  };
}

/**
 * `referral.follow-up`: the reminder (to the referral's practitioner, else the clinic's
 * managers) or the escalation (to the clinic's managers). Under the delivery's claim the
 * inbox row is locked and must still be SENT: an answer that commits first stops it, one
 * that comes later waits for the claim.
 */
export function referralFollowUpHandler(deps: ReferralDeps): Handler<'referral.follow-up'> {
  return async (data, ctx) => {
    const kind: ReferralFollowUpKind = data.kind;
    const link = referralLink(deps.adminUrl, data.referralId);
    const loaded = await deps.db.system(async (em): Promise<Loaded> => {
      const view = await receiverView(em, data.organizationId, data.referralId);
      if (!view) return (await belongsElsewhere(em, 'referral_inbox', data.organizationId, data.referralId)) ? { mismatch: true } : { skip: 'referral-not-found' };
      if (view.status !== 'SENT') return { skip: `answered (${view.status})` };
      const recipients = kind === 'REMINDER' ? await receiverRecipients(em, view) : await clinicManagers(em, view.organization_id, view.clinic_id);
      return {
        event: kind.toLowerCase(),
        template: kind === 'REMINDER' ? 'referral-reminder' : 'referral-escalation',
        recipients,
        render: (r) =>
          referralEmail({ kind }, receiverEmailInput(view, r, link)),
      };
    });
    if ('mismatch' in loaded) {
      ctx.log.error({ referralId: data.referralId, payloadOrganizationId: data.organizationId }, 'referral belongs to another organization: job refused');
      throw new PermanentJobError(`Referral ${data.referralId} does not belong to organization ${data.organizationId}`);
    }
    if ('skip' in loaded) {
      ctx.log.info({ referralId: data.referralId, kind, reason: loaded.skip }, 'referral follow-up not sent');
      return { outcome: 'skipped', reason: loaded.skip };
    }
    if (loaded.recipients.length === 0) {
      ctx.log.warn({ referralId: data.referralId, kind }, 'referral follow-up: nobody to tell');
      return { outcome: 'skipped', reason: 'no-recipient' };
    }
    return send(deps, data.organizationId, data.referralId, loaded, ctx, {
      // Locks the inbox row (the system role sees it for update only while it is SENT).
      sql: (param) =>
        `SELECT CASE WHEN status = 'SENT' THEN NULL ELSE 'the referral is ' || status || ': no follow-up after an answer' END AS reason, false AS record
           FROM referral_inbox WHERE organization_id = ${param(data.organizationId)}::uuid AND id = ${param(data.referralId)}::uuid FOR UPDATE`,
      missing: 'the referral was answered (or is gone): no follow-up after an answer',
    });
  };
}

const FOLLOW_UP_COLUMNS: Record<ReferralFollowUpKind, { at: string; done: string }> = {
  REMINDER: { at: 'due_at', done: 'reminded_at' },
  ESCALATION: { at: 'escalate_at', done: 'escalated_at' },
};

/**
 * Claims up to `limit` follow-ups of one kind that fell due by `now`, in one statement:
 * the unanswered, still valid inbox rows are locked (`FOR UPDATE SKIP LOCKED`: a racing
 * sweep takes others, or none), stamped (`reminded_at` / `escalated_at` = now) and each
 * given its `referral.follow-up` outbox row. A row is claimed once, ever; the job it gets
 * is the only one that may send it. Returns the rows claimed.
 */
export async function claimReferralFollowUps(db: Db, kind: ReferralFollowUpKind, now: Date, limit = REFERRAL_SWEEP_BATCH): Promise<{ organization_id: string; referral_id: string; outbox_id: string }[]> {
  const c = FOLLOW_UP_COLUMNS[kind];
  return systemQuery(
    db,
    `WITH due AS (
       SELECT organization_id, id FROM referral_inbox
        WHERE status = 'SENT' AND ${c.done} IS NULL AND ${c.at} <= $1 AND valid_until > $1
        ORDER BY ${c.at} LIMIT $2 FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE referral_inbox i SET ${c.done} = $1 FROM due
        WHERE i.organization_id = due.organization_id AND i.id = due.id
        RETURNING i.organization_id, i.id)
     INSERT INTO outbox_message (organization_id, job_name, payload)
     SELECT organization_id, 'referral.follow-up', jsonb_build_object('organizationId', organization_id, 'referralId', id, 'kind', $3::text) FROM claimed
     RETURNING organization_id, payload->>'referralId' AS referral_id, id AS outbox_id`,
    [now, limit, kind],
  );
}

/** `referral.sweep`: the follow-ups that fell due, then the referrals past their validity. */
export function referralSweepHandler(deps: ReferralDeps): Handler<'referral.sweep'> {
  return async (_data, ctx) => {
    const now = deps.clock.now();
    const counts = { reminders: 0, escalations: 0, expired: 0, expiryLost: 0 };
    for (const kind of ['REMINDER', 'ESCALATION'] as const) {
      for (;;) {
        const claimed = await claimReferralFollowUps(deps.db, kind, now);
        counts[kind === 'REMINDER' ? 'reminders' : 'escalations'] += claimed.length;
        if (claimed.length < REFERRAL_SWEEP_BATCH) break;
      }
    }
    const expire = deps.expireReferral ?? coreExpireReferral;
    const stale = await systemQuery<{ source_organization_id: string; id: string }>(
      deps.db,
      `SELECT source_organization_id, id FROM referral_inbox WHERE status = 'SENT' AND valid_until <= $1 ORDER BY valid_until LIMIT $2`,
      [now, REFERRAL_EXPIRY_PER_TICK],
    );
    let failure: unknown = null;
    for (const r of stale) {
      // Each its own transaction, through the referral core's transition (which locks the
      // referrer's row first, like every transition): one that lost a race changes nothing.
      // One that fails is logged and retried by the next tick; the others go on.
      try {
        if (await expire(deps.db, { organizationId: r.source_organization_id, referralId: r.id, now })) counts.expired++;
        else counts.expiryLost++;
      } catch (err) {
        failure ??= err;
        ctx.log.error({ referralId: r.id, err: err instanceof Error ? err.message : String(err) }, 'referral expiry failed');
      }
    }
    if (failure && counts.expired === 0 && counts.expiryLost === 0) throw failure;
    ctx.log.info(counts, 'referral sweep done');
    return { outcome: 'swept', ...counts };
  };
}
