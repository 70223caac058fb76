import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token in an invitation link: `${invitationId}.${expiresEpochSeconds}.${mac}`, where
 * mac = base64url(HMAC-SHA256(secret, `${invitationId}.${expiresEpochSeconds}`)).
 * The worker signs it for the email; the API verifies it when the invitation is accepted
 * (and must still check the invitation row: not accepted, not revoked).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EPOCH = /^[0-9]{1,12}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

function mac(invitationId: string, exp: number, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${invitationId}.${exp}`).digest();
}

export function signInvitationToken(invitationId: string, expiresAt: Date, secret: string): string {
  if (!UUID.test(invitationId)) throw new Error('signInvitationToken: invitationId must be a uuid');
  if (!secret) throw new Error('signInvitationToken: secret is empty');
  const ms = expiresAt.getTime();
  if (!Number.isFinite(ms)) throw new Error('signInvitationToken: expiresAt is not a valid date');
  const exp = Math.floor(ms / 1000);
  return `${invitationId.toLowerCase()}.${exp}.${mac(invitationId.toLowerCase(), exp, secret).toString('base64url')}`;
}

/** Returns the invitation id and expiry, or null when the token is malformed, forged or expired. */
export function verifyInvitationToken(token: string, secret: string, now: Date): { invitationId: string; expiresAt: Date } | null {
  if (typeof token !== 'string' || !secret || token.length > 200) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [invitationId, expText, macText] = parts;
  if (!UUID.test(invitationId) || invitationId !== invitationId.toLowerCase() || !EPOCH.test(expText) || !MAC.test(macText)) return null;
  const exp = Number(expText);
  const given = Buffer.from(macText, 'base64url');
  const expected = mac(invitationId, exp, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const expiresAt = new Date(exp * 1000);
  if (expiresAt.getTime() <= now.getTime()) return null;
  return { invitationId, expiresAt };
}
