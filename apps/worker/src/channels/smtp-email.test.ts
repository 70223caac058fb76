import { isPermanentSmtpError } from './smtp-email';

describe('SMTP error classification', () => {
  it.each([
    ['550 no such user', { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550 }, true],
    ['554 message rejected', { code: 'EMESSAGE', command: 'DATA', responseCode: 554 }, true],
    ['an address nodemailer refuses before sending', { code: 'EENVELOPE', command: 'API' }, true],
    ['451 try later', { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451 }, false],
    ['421 service unavailable', { code: 'EPROTOCOL', responseCode: 421 }, false],
    ['535 bad credentials (our configuration: retried)', { code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 }, false],
    ['connection refused', { code: 'ESOCKET', command: 'CONN' }, false],
    ['a timeout', { code: 'ETIMEDOUT' }, false],
    ['not an object', 'boom', false],
  ])('%s → permanent: %s', (_label, err, permanent) => {
    expect(isPermanentSmtpError(err)).toBe(permanent);
  });
});
