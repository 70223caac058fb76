import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { EntityManager } from 'typeorm';
import { parseJobData } from './registry';

/**
 * Signed webhooks (issue 15 §4): the events an organization's endpoints may subscribe to, the
 * one function services call to emit one (`emitEvent`, in the change's transaction), the
 * Standard Webhooks signature, the secret's storage, and the address rule (no private,
 * loopback or link-local targets unless the operator allows them) that both the API
 * (at registration) and the worker (at every delivery, against DNS rebinding) apply.
 */
export const WEBHOOK_EVENT_TYPES = [
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.moved',
  'appointment.cancelled',
  'appointment.late_cancelled',
  'appointment.no_show',
  'appointment.checked_in',
  'appointment.completed',
  'plan.versioned',
  'note.signed',
  'reassessment.recorded',
  'referral.sent',
  'referral.accepted',
  'referral.declined',
  'referral.scheduled',
  'referral.completed',
  'referral.closed',
  'referral.cancelled',
  'referral.expired',
  /** Only ever sent by "send test event", to the one endpoint it names. */
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What an endpoint may subscribe to: an event type, or a family (`appointment.*`). */
export const WEBHOOK_SUBSCRIPTIONS = [
  'appointment.*',
  'plan.*',
  'note.signed',
  'reassessment.recorded',
  'referral.*',
  ...WEBHOOK_EVENT_TYPES.filter((t) => t !== 'webhook.test' && t !== 'note.signed' && t !== 'reassessment.recorded'),
] as const;
export type WebhookSubscription = (typeof WEBHOOK_SUBSCRIPTIONS)[number];

/** Does a subscription list want this event? `webhook.test` is addressed, never subscribed. */
export function subscribes(subscriptions: readonly string[], type: string): boolean {
  return subscriptions.some((s) => s === type || (s.endsWith('.*') && type.startsWith(s.slice(0, -1))));
}

/**
 * The event's ids: what the event is about, never the record's content (a receiver that needs
 * more reads it through the API with its own rights). Keys are camelCase ids.
 */
export type WebhookEventData = Record<string, string | null>;

/**
 * Emits one webhook event inside the caller's transaction (an `outbox_message` row of the job
 * `webhook.event`): the event exists if and only if the change commits. The worker fans it out to
 * the organization's enabled endpoints that subscribe to its type.
 *
 * The event's time (`occurredAt`, the payload's `timestamp`) is the database's time of the
 * change's transaction (`now()`, the same value as the row's `created_at`), written by the INSERT
 * itself: not the fan-out's time, however late the worker reads it. One statement, as `enqueue`.
 */
export async function emitEvent(em: EntityManager, type: WebhookEventType, organizationId: string, data: WebhookEventData, endpointId?: string): Promise<string> {
  const eventId = randomUUID();
  const payload = parseJobData('webhook.event', { organizationId, eventId, type, data, ...(endpointId ? { endpointId } : {}) });
  await em.query(
    `INSERT INTO outbox_message (id, organization_id, job_name, payload)
     VALUES ($1, $2, 'webhook.event', $3::jsonb || jsonb_build_object('occurredAt', ${OCCURRED_AT_SQL}))`,
    [randomUUID(), organizationId, JSON.stringify(payload)],
  );
  return eventId;
}

/** The transaction's time as an ISO 8601 UTC string with milliseconds, as `Date#toISOString` writes it. */
export const OCCURRED_AT_SQL = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// ---------------------------------------------------------------------------------------------
// Secrets and signatures (https://www.standardwebhooks.com/)

/** A new endpoint secret, in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function secretKeyBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/** `webhook-signature` for one message: `v1,` + base64(HMAC-SHA256(key, `id.timestamp.body`)). */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKeyBytes(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

function storageKey(appSecret: string): Buffer {
  return createHash('sha256').update(`fascia:webhook-secret:${appSecret}`).digest();
}

/**
 * The endpoint's secret as stored: AES-256-GCM under a key derived from APP_SECRET (the API and
 * the worker share it), `v1.<iv>.<tag>.<ciphertext>` in base64url. The worker needs the secret
 * itself to sign, so it cannot be a hash; a database dump alone does not reveal it.
 */
export function sealWebhookSecret(appSecret: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', storageKey(appSecret), iv);
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function openWebhookSecret(appSecret: string, sealed: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || !ct) throw new Error('The stored webhook secret is not in a known form');
  const decipher = createDecipheriv('aes-256-gcm', storageKey(appSecret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Where a webhook may be sent

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 (may reach IPv4 private space)
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** Is this address private, loopback, link-local or otherwise not on the public internet? */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export interface WebhookUrlPolicy {
  /** Require https (production). */
  requireHttps: boolean;
  /** The operator allows private, loopback and link-local targets (WEBHOOK_ALLOW_PRIVATE=true; tests). */
  allowPrivate: boolean;
}

export class WebhookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlError';
  }
}

/** The URL's form: absolute http(s), no credentials, https when required. Throws {@link WebhookUrlError}. */
export function checkWebhookUrlForm(raw: string, policy: Pick<WebhookUrlPolicy, 'requireHttps'>): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('The URL is not a valid absolute address, e.g. https://example.com/hooks/fascia.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookUrlError('The URL must start with https://.');
  if (policy.requireHttps && url.protocol !== 'https:') throw new WebhookUrlError('The URL must use HTTPS: webhooks carry signed event data and are only sent over TLS.');
  if (url.username || url.password) throw new WebhookUrlError('The URL must not carry a user name or password; the signature authenticates each delivery.');
  if (url.hash) throw new WebhookUrlError('The URL must not have a #fragment.');
  return url;
}

/**
 * Resolves the URL's host and refuses it when any address it resolves to is private (unless the
 * operator allows it). Returns the addresses. Throws {@link WebhookUrlError} with a sentence.
 */
export async function resolveWebhookHost(hostname: string, allowPrivate: boolean): Promise<{ address: string; family: number }[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new WebhookUrlError(`The host ${host} could not be resolved; check the URL's spelling.`);
    }
  }
  if (!allowPrivate) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) {
      throw new WebhookUrlError(
        `The host ${host} resolves to ${bad.address}, a private, loopback or link-local address: webhooks are only sent to public addresses.`,
      );
    }
  }
  return addresses;
}

export async function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy): Promise<URL> {
  const url = checkWebhookUrlForm(raw, policy);
  await resolveWebhookHost(url.hostname, policy.allowPrivate);
  return url;
}

/** `WEBHOOK_ALLOW_PRIVATE` as the API and the worker read it. */
export const allowPrivateWebhooksFromEnv = (env: NodeJS.ProcessEnv): boolean => /^(1|true|yes)$/i.test(env.WEBHOOK_ALLOW_PRIVATE ?? '');
