import { type Clock, type Db, systemClock } from '@fascia/db';
import {
  checkWebhookUrl,
  emitEvent,
  newWebhookSecret,
  sealWebhookSecret,
  WEBHOOK_SUBSCRIPTIONS,
  WebhookUrlError,
  type WebhookUrlPolicy,
} from '@fascia/jobs';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput, notFound } from '../../common/errors';
import { parse, uuid } from '../../common/validation';
import type { WebhookAttemptType, WebhookDeliveryType, WebhookEndpointInput, WebhookEndpointPatch, WebhookEndpointType, WebhookEndpointWithSecretType } from './webhook.types';

const events = z
  .array(z.enum(WEBHOOK_SUBSCRIPTIONS, { message: `must be one of ${WEBHOOK_SUBSCRIPTIONS.join(', ')}` }))
  .min(1, 'choose at least one event')
  .max(40)
  .transform((e) => [...new Set(e)]);
const url = z.string().trim().min(8, 'must be a full address, e.g. https://example.com/hooks').max(2000);
const description = z.string().trim().max(200, 'must be at most 200 characters').nullish();
const Input = z.object({ url, description, events }).strict();
const Patch = z.object({ url: url.nullish(), description, events: events.nullish(), enabled: z.boolean().nullish() }).strict();

const ENDPOINT_COLUMNS = `id, url, description, events, enabled, disabled_reason AS "disabledReason", disabled_at AS "disabledAt",
  consecutive_failures AS "consecutiveFailures", created_at AS "createdAt"`;

/**
 * Webhook endpoints of the caller's organization (issue 15 §4; ORG_ADMIN only, by the resolver).
 * A URL is checked when registered or changed (form, https in production, DNS resolves to
 * public addresses unless WEBHOOK_ALLOW_PRIVATE); the worker checks it again at every delivery.
 */
export class WebhookService {
  constructor(
    private readonly db: Db,
    private readonly policy: WebhookUrlPolicy,
    private readonly appSecret: string,
    private readonly clock: Clock = systemClock,
  ) {}

  private async checkUrl(raw: string): Promise<string> {
    try {
      return (await checkWebhookUrl(raw, this.policy)).toString();
    } catch (err) {
      if (err instanceof WebhookUrlError) throw badInput('input.url', err.message);
      throw err;
    }
  }

  list(tenant: Tenant): Promise<WebhookEndpointType[]> {
    return this.db.tenant(tenant, (tx) =>
      tx.em.query(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE organization_id = $1 ORDER BY created_at, id`, [tenant.organizationId]),
    );
  }

  async create(tenant: Tenant, input: WebhookEndpointInput): Promise<WebhookEndpointWithSecretType> {
    const data = parse(Input, input);
    const checked = await this.checkUrl(data.url);
    const secret = newWebhookSecret();
    return this.db.tenant(tenant, async (tx) => {
      const [endpoint] = (await tx.em.query(
        `INSERT INTO webhook_endpoint (organization_id, url, description, events, secret_sealed, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${ENDPOINT_COLUMNS}`,
        [tenant.organizationId, checked, data.description || null, data.events, sealWebhookSecret(this.appSecret, secret), tenant.userId, this.clock.now()],
      )) as WebhookEndpointType[];
      await tx.audit({ action: 'webhook.create', recordType: 'webhook_endpoint', recordId: endpoint.id, detail: { url: checked, events: data.events } });
      return { endpoint, secret };
    });
  }

  async update(tenant: Tenant, id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointType> {
    parse(uuid, id, 'id');
    const data = parse(Patch, patch);
    const checked = data.url ? await this.checkUrl(data.url) : null;
    return this.db.tenant(tenant, async (tx) => {
      const [rows] = (await tx.em.query(
        `UPDATE webhook_endpoint SET url = coalesce($3, url), description = CASE WHEN $4::boolean THEN $5 ELSE description END,
                events = coalesce($6, events), enabled = coalesce($7, enabled), updated_at = $8,
                disabled_reason = CASE WHEN $7 IS NOT NULL THEN NULL ELSE disabled_reason END,
                disabled_at = CASE WHEN $7 = false THEN $8 WHEN $7 = true THEN NULL ELSE disabled_at END,
                consecutive_failures = CASE WHEN $7 = true THEN 0 ELSE consecutive_failures END,
                failing_since = CASE WHEN $7 = true THEN NULL ELSE failing_since END
         WHERE organization_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
        [tenant.organizationId, id, checked, data.description !== undefined, data.description || null, data.events ?? null, data.enabled ?? null, this.clock.now()],
      )) as [WebhookEndpointType[], number];
      const row = rows[0];
      if (!row) throw notFound('webhook endpoint', id);
      await tx.audit({ action: 'webhook.update', recordType: 'webhook_endpoint', recordId: id, detail: { fields: Object.keys(patch) } });
      return row;
    });
  }

  rotateSecret(tenant: Tenant, id: string): Promise<WebhookEndpointWithSecretType> {
    parse(uuid, id, 'id');
    const secret = newWebhookSecret();
    return this.db.tenant(tenant, async (tx) => {
      const [rows] = (await tx.em.query(
        `UPDATE webhook_endpoint SET secret_sealed = $3, updated_at = $4 WHERE organization_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
        [tenant.organizationId, id, sealWebhookSecret(this.appSecret, secret), this.clock.now()],
      )) as [WebhookEndpointType[], number];
      if (!rows[0]) throw notFound('webhook endpoint', id);
      await tx.audit({ action: 'webhook.rotate_secret', recordType: 'webhook_endpoint', recordId: id });
      return { endpoint: rows[0], secret };
    });
  }

  remove(tenant: Tenant, id: string): Promise<boolean> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, async (tx) => {
      const [rows] = (await tx.em.query(`DELETE FROM webhook_endpoint WHERE organization_id = $1 AND id = $2 RETURNING id`, [tenant.organizationId, id])) as [{ id: string }[], number];
      if (!rows[0]) throw notFound('webhook endpoint', id);
      await tx.audit({ action: 'webhook.delete', recordType: 'webhook_endpoint', recordId: id });
      return true;
    });
  }

  /** Queues a `webhook.test` event to this endpoint alone (even when disabled, to check a fix). Returns the event id. */
  sendTest(tenant: Tenant, id: string): Promise<string> {
    parse(uuid, id, 'id');
    return this.db.tenant(tenant, async (tx) => {
      const rows = (await tx.em.query(`SELECT id FROM webhook_endpoint WHERE organization_id = $1 AND id = $2`, [tenant.organizationId, id])) as { id: string }[];
      if (!rows[0]) throw notFound('webhook endpoint', id);
      return emitEvent(tx.em, 'webhook.test', tenant.organizationId, { endpointId: id }, id);
    });
  }

  /**
   * The endpoint's latest deliveries, newest first (at most `first`, 1–100), each with every try
   * the worker logged (`webhook_attempt`), in one statement.
   */
  async deliveries(tenant: Tenant, endpointId: string, first = 50): Promise<WebhookDeliveryType[]> {
    parse(uuid, endpointId, 'endpointId');
    const limit = parse(z.number().int().min(1, 'must be 1 to 100').max(100, 'must be 1 to 100'), first, 'first');
    const rows = (await this.db.tenant(tenant, (tx) =>
      tx.em.query(
        `SELECT d.id, d.endpoint_id AS "endpointId", d.event_id AS "eventId", d.event_type AS "eventType", d.status, d.attempts, d.last_status_code AS "lastStatusCode",
                d.last_error AS "lastError", d.last_duration_ms AS "lastDurationMs", d.created_at AS "createdAt", d.last_attempt_at AS "lastAttemptAt",
                (SELECT coalesce(json_agg(json_build_object('attempt', a.attempt, 'attemptedAt', a.attempted_at, 'ok', a.ok, 'statusCode', a.status_code,
                                                            'durationMs', a.duration_ms, 'error', a.error) ORDER BY a.attempt), '[]'::json)
                   FROM webhook_attempt a WHERE a.organization_id = d.organization_id AND a.delivery_id = d.id) AS tries
         FROM webhook_delivery d WHERE d.organization_id = $1 AND d.endpoint_id = $2 ORDER BY d.created_at DESC, d.id DESC LIMIT $3`,
        [tenant.organizationId, endpointId, limit],
      ),
    )) as (Omit<WebhookDeliveryType, 'tries'> & { tries: (Omit<WebhookAttemptType, 'attemptedAt'> & { attemptedAt: string })[] })[];
    return rows.map((r) => ({ ...r, tries: r.tries.map((a) => ({ ...a, attemptedAt: new Date(a.attemptedAt) })) }));
  }
}
