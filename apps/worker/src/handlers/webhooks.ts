import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { type Clock, type Db } from '@fascia/db';
import {
  checkWebhookUrlForm,
  isPrivateAddress,
  type JobQueue,
  type JobRetryPolicy,
  openWebhookSecret,
  type QueueKey,
  resolveWebhookHost,
  retryOptions,
  signWebhook,
  subscribes,
  WebhookUrlError,
} from '@fascia/jobs';
import type { DeliveryLog } from '../deliveries';
import type { Handler } from './types';

/** The worker's webhook settings (WorkerConfig: WEBHOOK_*). */
export interface WebhookSettings {
  /** Private, loopback and link-local targets are allowed (WEBHOOK_ALLOW_PRIVATE=true; tests). */
  allowPrivate: boolean;
  /** Plain http refused at delivery (production). */
  requireHttps: boolean;
  /** An endpoint is disabled after this many failed attempts in a row… */
  disableAfterFailures: number;
  /** …that have gone on for at least this long (from the first of them). */
  disableAfterMs: number;
  /** One attempt's time limit (connect, send, response headers and body). */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowPrivate: false,
  requireHttps: false,
  disableAfterFailures: 15,
  disableAfterMs: 24 * 3600_000,
  timeoutMs: 10_000,
};

export interface WebhookDeps {
  db: Db;
  clock: Clock;
  deliveries: DeliveryLog;
  appSecret: string;
  adminUrl: string;
  queues: Readonly<Record<QueueKey, JobQueue>>;
  retryOverride?: Partial<JobRetryPolicy>;
  webhooks?: Partial<WebhookSettings>;
}

const settingsOf = (deps: WebhookDeps): WebhookSettings => ({ ...DEFAULT_WEBHOOK_SETTINGS, ...deps.webhooks });

/**
 * `webhook.event`: one `webhook_delivery` per endpoint that wants the event (enabled and
 * subscribed to its type; a test event goes to the one endpoint it names), then a
 * `webhook.deliver` job each, jobId = the delivery's id. Run again (a retry), it finds the same
 * rows (unique per endpoint and event) and BullMQ ignores the jobs it already has.
 */
export function webhookEventHandler(deps: WebhookDeps): Handler<'webhook.event'> {
  return async (data) => {
    const now = deps.clock.now();
    // The event's time is its change's commit (emitEvent's INSERT wrote the transaction's time),
    // not this fan-out's; a row queued before `occurredAt` existed falls back to now.
    const payload = { type: data.type, timestamp: data.occurredAt ?? now.toISOString(), data: { organizationId: data.organizationId, ...data.data } };
    const ids = await deps.db.system(async (em) => {
      const endpoints = (await em.query(
        `SELECT id, events FROM webhook_endpoint WHERE organization_id = $1 AND ($2::uuid IS NULL AND enabled OR id = $2::uuid)`,
        [data.organizationId, data.endpointId ?? null],
      )) as { id: string; events: string[] }[];
      const wanted = endpoints.filter((e) => data.endpointId !== undefined || subscribes(e.events, data.type)).map((e) => e.id);
      if (wanted.length === 0) return [];
      const rows = (await em.query(
        `INSERT INTO webhook_delivery (organization_id, endpoint_id, event_id, event_type, payload, created_at)
         SELECT $1, e, $2, $3, $4::jsonb, $5 FROM unnest($6::uuid[]) AS e
         ON CONFLICT (organization_id, endpoint_id, event_id) DO UPDATE SET event_type = EXCLUDED.event_type
         RETURNING id`,
        [data.organizationId, data.eventId, data.type, JSON.stringify(payload), now, wanted],
      )) as { id: string }[];
      return rows.map((r) => r.id);
    });
    if (ids.length > 0) {
      await deps.queues.notifications.addBulk(
        ids.map((id) => ({
          name: 'webhook.deliver',
          data: { organizationId: data.organizationId, deliveryId: id },
          opts: { jobId: id, ...retryOptions('webhook.deliver', deps.retryOverride) },
        })),
      );
    }
    return { outcome: 'fanned-out', deliveries: ids.length };
  };
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: unknown;
  status: string;
  attempts: number;
  url: string;
  secret_sealed: string;
  enabled: boolean;
}

export interface PostResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * The lookup the HTTP request connects with: the addresses it resolves are checked here, at
 * connection time, so a name that resolved to a public address when it was registered and to a
 * private one now (DNS rebinding) is refused, and the connection goes to the address checked.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (err, addresses) => {
      if (err) return (callback as (e: Error | null, a: string | LookupAddress[], f?: number) => void)(err, []);
      const list = addresses as LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      const cb = callback as (e: Error | null, a: string | LookupAddress[], f?: number) => void;
      if (bad) return cb(new WebhookUrlError(`${hostname} resolves to ${bad.address}, a private, loopback or link-local address: not delivered.`), []);
      if ((options as LookupOptions).all) return cb(null, list);
      return cb(null, list[0].address, list[0].family);
    });
  };
}

/** One POST of a signed body; never throws (the outcome says what happened). */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  settings: Pick<WebhookSettings, 'allowPrivate' | 'requireHttps' | 'timeoutMs'>,
): Promise<PostResult> {
  const started = performance.now();
  const done = (r: Omit<PostResult, 'durationMs'>): PostResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
  let target: URL;
  try {
    target = checkWebhookUrlForm(url, settings);
    // An address written in the URL is not looked up (Node skips `lookup`): check it here.
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (/^[0-9.]+$|:/.test(host)) await resolveWebhookHost(host, settings.allowPrivate);
  } catch (err) {
    return done({ ok: false, statusCode: null, error: (err as Error).message });
  }
  return new Promise<PostResult>((resolve) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Fascia-Webhooks/1', 'content-length': Buffer.byteLength(body), ...headers },
        lookup: guardedLookup(settings.allowPrivate),
        timeout: settings.timeoutMs,
      },
      (res) => {
        let kept = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (kept.length < 500) kept += chunk;
        });
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          const ok = code >= 200 && code < 300;
          resolve(done({ ok, statusCode: code, error: ok ? null : `HTTP ${code}${kept ? `: ${kept.slice(0, 300)}` : ''}` }));
        });
        res.on('error', (err) => resolve(done({ ok: false, statusCode: res.statusCode ?? null, error: err.message })));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${settings.timeoutMs} ms`)));
    req.on('error', (err) => resolve(done({ ok: false, statusCode: null, error: err.message })));
    req.end(body);
  });
}

/**
 * `webhook.deliver`: one signed POST of one event to one endpoint, in the Standard Webhooks form
 * (`webhook-id` = `msg_<event id>`, the same on every retry; `webhook-timestamp` in seconds;
 * `webhook-signature` = `v1,<base64 HMAC-SHA256>`). Every attempt is a `webhook_attempt` row;
 * the delivery's status and the endpoint's run of failures move with it in one transaction.
 * A failure is retried by BullMQ with exponential backoff; after `disableAfterFailures` failed
 * attempts in a row over at least `disableAfterMs`, the endpoint is disabled and whoever
 * created it is told by email.
 */
export function webhookDeliverHandler(deps: WebhookDeps): Handler<'webhook.deliver'> {
  const settings = settingsOf(deps);
  return async (data, ctx) => {
    const row = await deps.db.system(async (em) => {
      const rows = (await em.query(
        `SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.payload, d.status, d.attempts, e.url, e.secret_sealed, e.enabled
         FROM webhook_delivery d JOIN webhook_endpoint e ON e.organization_id = d.organization_id AND e.id = d.endpoint_id
         WHERE d.organization_id = $1 AND d.id = $2`,
        [data.organizationId, data.deliveryId],
      )) as DeliveryRow[];
      return rows[0];
    });
    if (!row) return { outcome: 'skipped', reason: 'delivery-or-endpoint-gone' };
    if (row.status === 'SUCCEEDED') return { outcome: 'already-handled', status: row.status };
    if (!row.enabled && row.event_type !== 'webhook.test') {
      await deps.db.system((em) =>
        em.query(`UPDATE webhook_delivery SET status = 'SKIPPED', last_error = 'The endpoint is disabled.' WHERE organization_id = $1 AND id = $2`, [data.organizationId, row.id]),
      );
      return { outcome: 'skipped', reason: 'endpoint-disabled' };
    }

    const body = JSON.stringify(row.payload);
    const now = deps.clock.now();
    const timestamp = Math.floor(now.getTime() / 1000);
    const msgId = `msg_${row.event_id}`;
    const secret = openWebhookSecret(deps.appSecret, row.secret_sealed);
    const result = await postWebhook(
      row.url,
      { 'webhook-id': msgId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, msgId, timestamp, body) },
      body,
      settings,
    );
    const final = !result.ok && ctx.attempt >= ctx.maxAttempts;

    const disabled = await deps.db.system(async (em) => {
      // UPDATE … RETURNING answers [rows, count] through TypeORM's PostgreSQL driver.
      const [[{ attempt }]] = (await em.query(
        `UPDATE webhook_delivery SET attempts = attempts + 1, status = $3, last_status_code = $4, last_error = $5, last_duration_ms = $6,
                last_attempt_at = $7, succeeded_at = CASE WHEN $3 = 'SUCCEEDED' THEN $7 ELSE succeeded_at END
         WHERE organization_id = $1 AND id = $2 RETURNING attempts AS attempt`,
        [data.organizationId, row.id, result.ok ? 'SUCCEEDED' : final ? 'FAILED' : 'RETRYING', result.statusCode, result.error?.slice(0, 1000) ?? null, result.durationMs, now],
      )) as [[{ attempt: number }], number];
      await em.query(
        `INSERT INTO webhook_attempt (organization_id, delivery_id, attempt, attempted_at, ok, status_code, duration_ms, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [data.organizationId, row.id, attempt, now, result.ok, result.statusCode, result.durationMs, result.error?.slice(0, 1000) ?? null],
      );
      if (result.ok) {
        await em.query(`UPDATE webhook_endpoint SET consecutive_failures = 0, failing_since = NULL WHERE organization_id = $1 AND id = $2`, [data.organizationId, row.endpoint_id]);
        return null;
      }
      // The run of failures grows; the statement that finds both limits crossed disables the
      // endpoint (once: \`enabled\` is in its condition). Two statements, as one statement may not
      // update the same row twice.
      await em.query(
        `UPDATE webhook_endpoint SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, $3) WHERE organization_id = $1 AND id = $2`,
        [data.organizationId, row.endpoint_id, now],
      );
      const [rows] = (await em.query(
        `UPDATE webhook_endpoint SET enabled = false, disabled_at = $3, updated_at = $3,
                disabled_reason = format('Disabled after %s failed deliveries in a row since %s (last: %s).', consecutive_failures,
                                         to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'), $6::text)
         WHERE organization_id = $1 AND id = $2 AND enabled
           AND consecutive_failures >= $4 AND $3::timestamptz - failing_since >= make_interval(secs => $5::double precision / 1000)
         RETURNING url, created_by, disabled_reason`,
        [data.organizationId, row.endpoint_id, now, settings.disableAfterFailures, settings.disableAfterMs, result.error ?? 'no answer'],
      )) as [{ url: string; created_by: string; disabled_reason: string }[], number];
      if (!rows[0]) return null;
      await em.query(`UPDATE webhook_delivery SET status = 'FAILED' WHERE organization_id = $1 AND id = $2`, [data.organizationId, row.id]);
      const [admin] = (await em.query(`SELECT email, display_name FROM app_user WHERE id = $1`, [rows[0].created_by])) as { email: string; display_name: string }[];
      return { ...rows[0], admin };
    });

    ctx.log.info({ deliveryId: row.id, endpointId: row.endpoint_id, event: row.event_type, ok: result.ok, statusCode: result.statusCode, ms: result.durationMs }, 'webhook attempt');
    if (disabled) {
      ctx.log.warn({ endpointId: row.endpoint_id, reason: disabled.disabled_reason }, 'webhook endpoint disabled');
      if (disabled.admin?.email) {
        const link = `${deps.adminUrl}/settings/webhooks`;
        await deps.deliveries.deliverOnce(
          {
            organizationId: data.organizationId,
            deliveryKey: `webhook-disabled:${row.endpoint_id}:${now.getTime()}`,
            template: 'webhook-disabled',
            outboxId: null,
            message: {
              channel: 'EMAIL',
              to: disabled.admin.email,
              subject: 'A webhook endpoint was disabled',
              text: `Hello ${disabled.admin.display_name || ''},\n\nFascia stopped sending events to ${disabled.url}.\n${disabled.disabled_reason}\n\nFix the receiver, then enable the endpoint again: ${link}\n`,
            },
          },
          { isFinalAttempt: true },
        );
      }
    }
    if (result.ok) return { outcome: 'sent', deliveryId: row.id, statusCode: result.statusCode };
    if (disabled) return { outcome: 'endpoint-disabled', deliveryId: row.id };
    throw new Error(`Webhook ${row.id} to ${row.url}: ${result.error}`);
  };
}
