import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthenticated } from '../common/errors';

export interface AccessClaims {
  userId: string;
  organizationId: string;
}

const ISSUER = 'fascia';
const AUDIENCE = 'fascia-api';

/**
 * The HS256 key as a KeyObject: given a string, jsonwebtoken first tries to read it as a
 * PEM public key on every verify (measured at 12 % of the API's CPU).
 */
export function accessTokenKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** Short-lived HS256 access token. Roles are not in it: they are re-read per request, so revocation is immediate. */
export function signAccessToken(claims: AccessClaims, secret: KeyObject, ttlSeconds: number, now: Date): { token: string; expiresAt: Date } {
  const iat = Math.floor(now.getTime() / 1000);
  const token = jwt.sign({ org: claims.organizationId, typ: 'access', iat }, secret, {
    algorithm: 'HS256',
    subject: claims.userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: ttlSeconds,
  });
  return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
}

export function verifyAccessToken(token: string, secret: KeyObject, now: Date): AccessClaims {
  return verifiedPayload(token, secret, now).claims;
}

/** The token's claims and its expiry (ms since the epoch), once its signature, issuer, audience, type and expiry hold. */
function verifiedPayload(token: string, secret: KeyObject, now: Date): { claims: AccessClaims; expiresAtMs: number } {
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, clockTimestamp: Math.floor(now.getTime() / 1000) });
    if (typeof payload === 'string' || payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.org !== 'string' || typeof payload.exp !== 'number') {
      throw unauthenticated('The access token is not valid; sign in again.');
    }
    return { claims: { userId: payload.sub, organizationId: payload.org }, expiresAtMs: payload.exp * 1000 };
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw unauthenticated('Your session has expired; refresh it or sign in again.');
    if (err instanceof jwt.JsonWebTokenError) throw unauthenticated('The access token is not valid; sign in again.');
    throw err;
  }
}

/** Access tokens whose verification is remembered, per process (the last ones seen: a client sends the same one until it refreshes). */
export const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Verifies access tokens, remembering the ones that held (issue 10, the fixed cost of a request:
 * an HMAC, two base64 decodings and two JSON parses per request were 3–4 % of a small read's CPU).
 * A token seen before answers from memory while it has not expired — the same token, byte for
 * byte, signed with the same key, cannot verify differently; its expiry is still judged against
 * `now` on every request (as jsonwebtoken does: expired from the `exp` second on), and an expired
 * or unknown token takes the full verification, with its errors. Roles and membership are not in
 * the token: they are still read from the database on every request, so revocation stays
 * immediate. At most `max` tokens are kept (the oldest dropped first).
 */
export class AccessTokenVerifier {
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();

  constructor(
    private readonly secret: KeyObject,
    private readonly max = VERIFIED_TOKENS_KEPT,
  ) {}

  verify(token: string, now: Date): AccessClaims {
    const known = this.verified.get(token);
    if (known) {
      if (now.getTime() < known.expiresAtMs) return known.claims;
      this.verified.delete(token);
    }
    const checked = verifiedPayload(token, this.secret, now);
    this.verified.set(token, checked);
    if (this.verified.size > this.max) this.verified.delete(this.verified.keys().next().value as string);
    return checked.claims;
  }

  /** How many verified tokens are remembered (tests). */
  get size(): number {
    return this.verified.size;
  }
}

/** An opaque refresh token; only its SHA-256 is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
