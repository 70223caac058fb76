import jwt from 'jsonwebtoken';
import { AccessTokenVerifier, accessTokenKey, signAccessToken, verifyAccessToken } from './tokens';

const key = accessTokenKey('tokens-test-secret');
const t0 = new Date('2026-11-29T12:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const claims = { userId: '11111111-1111-4111-8111-111111111111', organizationId: '22222222-2222-4222-8222-222222222222' };
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
  return undefined;
};

describe('AccessTokenVerifier', () => {
  it('answers a token it verified before from memory, with the same claims', () => {
    const verifier = new AccessTokenVerifier(key);
    const { token } = signAccessToken(claims, key, 600, t0);
    const verify = jest.spyOn(jwt, 'verify');
    try {
      expect(verifier.verify(token, at(1))).toEqual(claims);
      expect(verifier.verify(token, at(2))).toEqual(claims);
      expect(verifier.verify(token, at(599))).toEqual(claims);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });

  it('still judges the expiry on every request: from the exp second on, the session has expired', () => {
    const verifier = new AccessTokenVerifier(key);
    const { token } = signAccessToken(claims, key, 600, t0);
    expect(verifier.verify(token, at(599.999))).toEqual(claims);
    expect(() => verifier.verify(token, at(600))).toThrow('Your session has expired');
    expect(codeOf(() => verifier.verify(token, at(600)))).toBe('UNAUTHENTICATED');
    // The same answer as the verification without memory.
    expect(() => verifyAccessToken(token, key, at(600))).toThrow('Your session has expired');
    expect(verifier.size).toBe(0);
  });

  it('remembers nothing of a token that does not hold (another key, altered, not an access token)', () => {
    const verifier = new AccessTokenVerifier(key);
    const foreign = signAccessToken(claims, accessTokenKey('another-secret'), 600, t0).token;
    const { token } = signAccessToken(claims, key, 600, t0);
    const [h, p, s] = token.split('.');
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), org: claims.userId })).toString('base64url')}.${s}`;
    const refresh = jwt.sign({ org: claims.organizationId, typ: 'refresh' }, key, { algorithm: 'HS256', subject: claims.userId, issuer: 'fascia', audience: 'fascia-api', expiresIn: 600 });
    for (const bad of [foreign, altered, refresh, 'not a token']) {
      for (let i = 0; i < 2; i++) expect(codeOf(() => verifier.verify(bad, at(1)))).toBe('UNAUTHENTICATED');
    }
    expect(verifier.size).toBe(0);
    expect(verifier.verify(token, at(1))).toEqual(claims);
    expect(verifier.size).toBe(1);
  });

  it('keeps at most its bound, dropping the oldest first', () => {
    const verifier = new AccessTokenVerifier(key, 2);
    const tokens = [1, 2, 3].map((i) => signAccessToken(claims, key, 600 + i, t0).token);
    for (const token of tokens) verifier.verify(token, at(1));
    expect(verifier.size).toBe(2);
    const verify = jest.spyOn(jwt, 'verify');
    try {
      verifier.verify(tokens[2], at(1));
      expect(verify).toHaveBeenCalledTimes(0);
      verifier.verify(tokens[0], at(1));
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });
});
