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
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, clockTimestamp: Math.floor(now.getTime() / 1000) });
    if (typeof payload === 'string' || payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.org !== 'string') {
      throw unauthenticated('The access token is not valid; sign in again.');
    }
    return { userId: payload.sub, organizationId: payload.org };
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw unauthenticated('Your session has expired; refresh it or sign in again.');
    if (err instanceof jwt.JsonWebTokenError) throw unauthenticated('The access token is not valid; sign in again.');
    throw err;
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
