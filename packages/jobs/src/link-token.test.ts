import { signInvitationToken, verifyInvitationToken } from './invitation-token';
import { signLinkToken, verifyLinkToken } from './link-token';

const SECRET = 'test-secret-0123456789';
const ID = '5f1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const NOW = new Date('2026-11-24T10:00:00Z');
const STARTS = new Date('2026-11-26T09:30:00Z');

describe('signed confirm/cancel link token', () => {
  const confirm = signLinkToken('appointment-confirm', ID, STARTS, SECRET);

  it('round-trips id and expiry for its purpose, URL-safe', () => {
    expect(verifyLinkToken(confirm, 'appointment-confirm', SECRET, NOW)).toEqual({ id: ID, expiresAt: STARTS });
    expect(encodeURIComponent(confirm)).toBe(confirm);
  });

  it('is expired at the appointment start (only before the appointment)', () => {
    expect(verifyLinkToken(confirm, 'appointment-confirm', SECRET, STARTS)).toBeNull();
    expect(verifyLinkToken(confirm, 'appointment-confirm', SECRET, new Date(STARTS.getTime() - 1000))).not.toBeNull();
  });

  const [p, id, exp, mac] = confirm.split('.');
  it.each([
    ['used for another purpose', () => verifyLinkToken(confirm, 'appointment-cancel', SECRET, NOW)],
    ['purpose rewritten', () => verifyLinkToken(`appointment-cancel.${id}.${exp}.${mac}`, 'appointment-cancel', SECRET, NOW)],
    ['later expiry', () => verifyLinkToken(`${p}.${id}.${Number(exp) + 3600}.${mac}`, 'appointment-confirm', SECRET, NOW)],
    ['another secret', () => verifyLinkToken(confirm, 'appointment-confirm', 'other-secret', NOW)],
    ['three parts', () => verifyLinkToken(`${id}.${exp}.${mac}`, 'appointment-confirm', SECRET, NOW)],
    ['an upper-case id', () => verifyLinkToken(`${p}.${id.toUpperCase()}.${exp}.${mac}`, 'appointment-confirm', SECRET, NOW)],
    ['garbage', () => verifyLinkToken('x'.repeat(1000), 'appointment-confirm', SECRET, NOW)],
  ])('rejects a token %s', (_label, verify) => {
    expect(verify()).toBeNull();
  });

  it('and the invitation token are not interchangeable; the invitation token still works', () => {
    const inv = signInvitationToken(ID, STARTS, SECRET);
    expect(verifyInvitationToken(inv, SECRET, NOW)).toEqual({ invitationId: ID, expiresAt: STARTS });
    expect(verifyLinkToken(inv, 'appointment-confirm', SECRET, NOW)).toBeNull();
    expect(verifyInvitationToken(confirm, SECRET, NOW)).toBeNull();
  });

  it('refuses to sign an unknown purpose, a non-uuid or with no secret', () => {
    expect(() => signLinkToken('x' as never, ID, STARTS, SECRET)).toThrow(/purpose/);
    expect(() => signLinkToken('appointment-confirm', 'nope', STARTS, SECRET)).toThrow(/uuid/);
    expect(() => signLinkToken('appointment-confirm', ID, STARTS, '')).toThrow(/secret/);
  });
});
