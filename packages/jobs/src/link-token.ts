import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A signed link for one purpose on one record until a time:
 * `${purpose}.${id}.${expEpochSeconds}.${mac}`, mac = base64url(HMAC-SHA256(secret,
 * `${purpose}.${id}.${exp}`)). The purpose is inside the MAC, so a confirm link cannot
 * be turned into a cancel link, and the input differs from the invitation token's
 * (`${id}.${exp}`, three parts), so neither verifies as the other.
 *
 * A token proves only what was signed; the API must still check the record (and that
 * the link was not used already: `appointment_link_use`).
 */
export const LINK_PURPOSES = ['appointment-confirm', 'appointment-cancel'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EPOCH = /^[0-9]{1,12}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

const mac = (purpose: string, id: string, exp: number, secret: string): Buffer => createHmac('sha256', secret).update(`${purpose}.${id}.${exp}`).digest();

export function signLinkToken(purpose: LinkPurpose, id: string, expiresAt: Date, secret: string): string {
  if (!LINK_PURPOSES.includes(purpose)) throw new Error(`signLinkToken: unknown purpose "${purpose}"`);
  const lower = id.toLowerCase();
  if (!UUID.test(lower)) throw new Error('signLinkToken: id must be a uuid');
  if (!secret) throw new Error('signLinkToken: secret is empty');
  const ms = expiresAt.getTime();
  if (!Number.isFinite(ms)) throw new Error('signLinkToken: expiresAt is not a valid date');
  const exp = Math.floor(ms / 1000);
  return `${purpose}.${lower}.${exp}.${mac(purpose, lower, exp, secret).toString('base64url')}`;
}

/** The record id and expiry, or null when the token is malformed, forged, for another purpose or expired. */
export function verifyLinkToken(token: string, purpose: LinkPurpose, secret: string, now: Date): { id: string; expiresAt: Date } | null {
  if (typeof token !== 'string' || !secret || token.length > 250) return null;
  const parts = token.split('.');
  if (parts.length !== 4) return null;
  const [p, id, expText, macText] = parts;
  if (p !== purpose || !UUID.test(id) || !EPOCH.test(expText) || !MAC.test(macText)) return null;
  const exp = Number(expText);
  const given = Buffer.from(macText, 'base64url');
  const expected = mac(p, id, exp, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const expiresAt = new Date(exp * 1000);
  if (expiresAt.getTime() <= now.getTime()) return null;
  return { id, expiresAt };
}
