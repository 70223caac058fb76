import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { PermanentDeliveryError } from './channel';
import { SmtpEmailChannel } from './smtp-email';
import { buildTextMessage, parseFrom } from './smtp-pipeline';

describe('the message the pipelined client writes', () => {
  const from = parseFrom('Fascia Clinic <no-reply@fascia.test>')!;
  const build = (subject: string, text: string) => buildTextMessage({ fromHeader: from.header, fromAddress: from.address, to: 'a@clients.test', subject, text }, new Date('2026-11-29T10:00:00Z'));

  it('is nodemailer’s text/plain message: its headers in its order, 7bit for ASCII, CRLF, leading dots doubled', () => {
    const { data, messageId } = build('Your appointment', 'Hello\n.dot line\nbye\n');
    expect(messageId).toMatch(/^<[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@fascia\.test>$/);
    expect(data).toBe(
      `From: Fascia Clinic <no-reply@fascia.test>\r\nTo: a@clients.test\r\nSubject: Your appointment\r\nMessage-ID: ${messageId}\r\n` +
        'Content-Transfer-Encoding: 7bit\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' +
        'Hello\r\n..dot line\r\nbye\r\n',
    );
  });

  it('encodes a non-ASCII subject as encoded words and a non-ASCII body as quoted-printable', () => {
    const { data } = build('Rappel : votre séance', 'Bonjour Zoë\n');
    expect(data).toContain('Subject: Rappel : votre =?UTF-8?Q?s=C3=A9ance?=\r\n');
    expect(data).toContain('Content-Transfer-Encoding: quoted-printable\r\n');
    expect(data).toContain('\r\n\r\nBonjour Zo=C3=AB\r\n');
  });

  it('leaves to nodemailer a From it would have to encode', () => {
    expect(parseFrom('Clinique Élan <no-reply@fascia.test>')).toBeNull();
    expect(parseFrom('no-reply@fascia.test')).toEqual({ header: 'no-reply@fascia.test', address: 'no-reply@fascia.test' });
  });
});

describe('the pipelined SMTP client against a server', () => {
  const servers: SMTPServer[] = [];
  const received: { to: string; from: string; body: string; secure: boolean; user?: string }[] = [];

  async function start(options: Partial<SMTPServerOptions> = {}): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('nobody@')) return cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
        if (address.address.startsWith('later@')) return cb(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            body: Buffer.concat(chunks).toString('utf8'),
            secure: session.secure,
            user: session.user as string | undefined,
          });
          cb();
        });
      },
      ...options,
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.server.address() as AddressInfo).port;
  }
  afterAll(async () => {
    for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
  });
  const msg = (to: string, text = 'Hello\n.dot\n') => ({ channel: 'EMAIL' as const, to, subject: 'Reminder', text });

  it('sends many messages over few connections, each whole, its dots restored by the server', async () => {
    const port = await start();
    const channel = new SmtpEmailChannel(`smtp://127.0.0.1:${port}`, 'Fascia <no-reply@fascia.test>', { maxConnections: 2 });
    const refs = await Promise.all(Array.from({ length: 40 }, (_, i) => channel.send(msg(`c${i}@clients.test`, `Message ${i}\n.dot\n`))));
    await channel.close();
    expect(new Set(refs.map((r) => r.providerRef)).size).toBe(40);
    expect(received).toHaveLength(40);
    for (let i = 0; i < 40; i++) {
      const r = received.find((x) => x.to === `c${i}@clients.test`)!;
      expect(r.from).toBe('no-reply@fascia.test');
      expect(r.body).toContain(`\r\n\r\nMessage ${i}\r\n.dot\r\n`);
    }
  });

  it('a refused recipient fails its message for good (550) or for now (451); the connection goes on with the next', async () => {
    const port = await start();
    const channel = new SmtpEmailChannel(`smtp://127.0.0.1:${port}`, 'Fascia <no-reply@fascia.test>', { maxConnections: 1 });
    const results = await Promise.allSettled([channel.send(msg('a@clients.test')), channel.send(msg('nobody@clients.test')), channel.send(msg('later@clients.test')), channel.send(msg('b@clients.test'))]);
    await channel.close();
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(PermanentDeliveryError);
    expect((results[2] as PromiseRejectedResult).reason).not.toBeInstanceOf(PermanentDeliveryError);
    expect(received.map((r) => r.to).sort()).toEqual(['a@clients.test', 'b@clients.test']);
  });

  it('upgrades with STARTTLS and signs in with AUTH PLAIN when the URL has credentials', async () => {
    const port = await start({
      disabledCommands: [],
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: false,
      onAuth(auth, _session, cb) {
        if (auth.username === 'mailer' && auth.password === 's3cr:et') return cb(null, { user: 'mailer' });
        cb(new Error('Invalid username or password'));
      },
    });
    const channel = new SmtpEmailChannel(`smtp://mailer:s3cr%3Aet@127.0.0.1:${port}/?tls.rejectUnauthorized=false`, 'no-reply@fascia.test', { maxConnections: 1 });
    await channel.send(msg('a@clients.test'));
    await channel.close();
    expect(received).toEqual([expect.objectContaining({ to: 'a@clients.test', secure: true, user: 'mailer' })]);

    const wrong = new SmtpEmailChannel(`smtp://mailer:nope@127.0.0.1:${port}/?tls.rejectUnauthorized=false`, 'no-reply@fascia.test', { maxConnections: 1 });
    const err = await wrong.send(msg('a@clients.test')).catch((e: unknown) => e);
    await wrong.close();
    // Our credentials, not the message: retried (isPermanentSmtpError's EAUTH rule).
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect((err as { code?: string }).code).toBe('EAUTH');
  });

  it('falls back to nodemailer for a server without PIPELINING, and for HTML', async () => {
    const port = await start({ hidePIPELINING: true });
    const channel = new SmtpEmailChannel(`smtp://127.0.0.1:${port}`, 'Fascia <no-reply@fascia.test>', { maxConnections: 1 });
    await Promise.all([channel.send(msg('a@clients.test')), channel.send(msg('b@clients.test'))]);
    await channel.send({ ...msg('c@clients.test'), html: '<p>Hello</p>' });
    await channel.close();
    expect(received.map((r) => r.to).sort()).toEqual(['a@clients.test', 'b@clients.test', 'c@clients.test']);
  });

  it('a server that refuses connections fails the message for now (retried)', async () => {
    const port = await start();
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const channel = new SmtpEmailChannel(`smtp://127.0.0.1:${port}`, 'no-reply@fascia.test', { maxConnections: 1 });
    const err = await channel.send(msg('a@clients.test')).catch((e: unknown) => e);
    await channel.close();
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
  });
});
