import { signInvitationToken, verifyInvitationToken } from './invitation-token';

const SECRET = 'test-secret-0123456789';
const ID = '5f1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const NOW = new Date('2026-11-24T10:00:00Z');
const EXPIRES = new Date('2026-12-01T10:00:00Z');

describe('invitation token', () => {
  const token = signInvitationToken(ID, EXPIRES, SECRET);

  it('round-trips the invitation id and expiry (to the second)', () => {
    expect(token.split('.')).toHaveLength(3);
    expect(verifyInvitationToken(token, SECRET, NOW)).toEqual({ invitationId: ID, expiresAt: EXPIRES });
  });

  it('is URL-safe', () => {
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyInvitationToken(token, 'another-secret', NOW)).toBeNull();
  });

  it('rejects an expired token, and one expiring exactly now', () => {
    expect(verifyInvitationToken(token, SECRET, new Date('2026-12-02T00:00:00Z'))).toBeNull();
    expect(verifyInvitationToken(token, SECRET, EXPIRES)).toBeNull();
  });

  const [id, exp, mac] = token.split('.');
  const otherId = '6f1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
  const flipped = (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1);
  it.each([
    ['a later expiry', `${id}.${Number(exp) + 86400}.${mac}`],
    ['another invitation id', `${otherId}.${exp}.${mac}`],
    ['a changed signature', `${id}.${exp}.${flipped}`],
    ['a truncated signature', `${id}.${exp}.${mac.slice(0, 20)}`],
    ['an upper-cased id', `${id.toUpperCase()}.${exp}.${mac}`],
  ])('rejects a tampered token: %s', (_label, forged) => {
    expect(verifyInvitationToken(forged, SECRET, NOW)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['two parts', `${id}.${exp}`],
    ['four parts', `${token}.x`],
    ['a non-uuid id', `abc.${exp}.${mac}`],
    ['a non-numeric expiry', `${id}.soon.${mac}`],
    ['a negative expiry', `${id}.-1.${mac}`],
    ['non-base64url signature', `${id}.${exp}.${'+'.repeat(43)}`],
    ['very long', 'x'.repeat(10_000)],
  ])('rejects a malformed token: %s', (_label, bad) => {
    expect(verifyInvitationToken(bad, SECRET, NOW)).toBeNull();
  });

  it('refuses to sign with an empty secret or a non-uuid id', () => {
    expect(() => signInvitationToken(ID, EXPIRES, '')).toThrow();
    expect(() => signInvitationToken('nope', EXPIRES, SECRET)).toThrow();
  });
});
