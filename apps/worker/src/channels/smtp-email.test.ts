import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SmtpEmailChannel, isPermanentSmtpError } from './smtp-email';

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

describe('the SMTP pool', () => {
  let server: SMTPServer;
  let url: string;
  let connections = 0;
  let open = 0;
  let received = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect(_session, cb) {
        connections++;
        open++;
        cb();
      },
      onClose() {
        open--;
      },
      onData(stream, _session, cb) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          received++;
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends message after message over at most maxConnections connections, and closes them on close()', async () => {
    const channel = new SmtpEmailChannel(url, 'Fascia <no-reply@fascia.test>', { maxConnections: 2 });
    const message = (i: number) => ({ channel: 'EMAIL' as const, to: `client${i}@clients.test`, subject: `s${i}`, text: `t${i}` });
    for (let i = 0; i < 3; i++) await channel.send(message(i));
    await Promise.all(Array.from({ length: 12 }, (_, i) => channel.send(message(10 + i))));
    expect(received).toBe(15);
    expect(connections).toBeLessThanOrEqual(2);
    await channel.close();
    await waitUntil(() => open === 0);
    expect(open).toBe(0);
  });
});

/** Polls until `done()`; the test's own timeout is the guard. */
async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 10));
}
