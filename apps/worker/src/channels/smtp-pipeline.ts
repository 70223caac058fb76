import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import addressparser from 'nodemailer/lib/addressparser';
import mimeFuncs from 'nodemailer/lib/mime-funcs';
import qp from 'nodemailer/lib/qp';

/**
 * A lean SMTP client for the worker's plain-text messages (issue 10, goal 4): a pool of
 * connections, each carrying message after message with PIPELINING (RFC 2920). Per message
 * it writes `MAIL FROM`, `RCPT TO` and `DATA` in one packet and, once the server answers
 * 354, the content with its terminating dot in one more — and the next message's envelope
 * in that same packet (the content is allowed to open a group), so a busy connection costs
 * one round trip and one write per message. The message is built here as one string (the
 * headers nodemailer would write for a text-only message); nodemailer's composer, its
 * stream pipeline and one round trip per command were ~30 % of a worker's CPU per reminder.
 *
 * What it does not do it hands back (`PipelineUnsupported`), and the channel sends through
 * nodemailer instead: a server without PIPELINING, AUTH other than PLAIN/LOGIN, an HTML
 * part, an address that is not a plain `local@domain`.
 *
 * Errors carry nodemailer's fields (`code`, `command`, `responseCode`, `response`), so
 * `isPermanentSmtpError` classifies them the same way: a 5xx to the envelope or the
 * content is final, a 4xx, a timeout or a lost connection is retried.
 */

export interface PipelineOptions {
  host: string;
  port: number;
  /** Implicit TLS (smtps://); otherwise STARTTLS when the server offers it, as nodemailer does. */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** Never upgrade with STARTTLS (nodemailer's `ignoreTLS`). */
  ignoreTLS?: boolean;
  /** Refuse to send unless the connection is TLS (nodemailer's `requireTLS`). */
  requireTLS?: boolean;
  tls?: tls.ConnectionOptions;
  maxConnections: number;
  /** Messages per connection before it is replaced. */
  maxMessages: number;
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
  /** The EHLO name; default the host's name when it is a FQDN, else [127.0.0.1] (nodemailer's rule). */
  name?: string;
}

/** The server (or the message) needs what this client leaves to nodemailer. */
export class PipelineUnsupported extends Error {}

export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly command: string,
    readonly response?: string,
    readonly responseCode?: number,
  ) {
    super(response ? `${message}: ${response}` : message);
    this.name = 'SmtpError';
  }
}

interface Job {
  from: string;
  to: string;
  data: string;
  resolve: (response: string) => void;
  reject: (err: Error) => void;
}

type ReplyHandler = (code: number, text: string) => void;

const SIMPLE_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
const ASCII = /^[\x20-\x7e\r\n\t]*$/;
const HEADER_SAFE = /^[\x20-\x7e]*$/;

/** `local@domain` with nothing to quote or encode, or null. */
export const simpleAddress = (value: string): string | null => (value.length <= 254 && SIMPLE_ADDRESS.test(value) ? value : null);

function defaultName(): string {
  let name = '';
  try {
    name = os.hostname() || '';
  } catch {
    name = '';
  }
  if (!name || !name.includes('.')) return '[127.0.0.1]';
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) ? `[${name}]` : name;
}

/** The From header's value and its envelope address, checked once; null when nodemailer must write it. */
export function parseFrom(from: string): { header: string; address: string } | null {
  if (!HEADER_SAFE.test(from)) return null;
  const parsed = addressparser(from);
  if (parsed.length !== 1 || !('address' in parsed[0]) || !parsed[0].address) return null;
  const address = simpleAddress(parsed[0].address);
  if (!address) return null;
  const name = parsed[0].name;
  if (name && !/^[A-Za-z0-9 !#$%&'*+/=?^_`{|}~.-]*$/.test(name)) return null;
  return { header: name ? `${name} <${address}>` : address, address };
}

/** RFC 5322 date, `Sun, 29 Nov 2026 11:38:47 +0000`. */
const dateHeader = (d: Date): string => d.toUTCString().replace(/GMT$/, '+0000');

/**
 * The message nodemailer would write for `{ from, to, subject, text }` (text/plain, UTF-8,
 * 7bit when it is ASCII with short lines, else quoted-printable), with CRLF line ends and the
 * content's lines that start with a dot doubled (RFC 5321 §4.5.2). Returns the message id too.
 */
export function buildTextMessage(m: { fromHeader: string; fromAddress: string; to: string; subject: string; text: string }, now = new Date()): { data: string; messageId: string } {
  const messageId = `<${randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}@${m.fromAddress.split('@').pop()}>`;
  const subject = HEADER_SAFE.test(m.subject) && m.subject.length <= 900 ? `Subject: ${m.subject}` : mimeFuncs.foldLines(`Subject: ${mimeFuncs.encodeWords(m.subject.replace(/[\r\n]+/g, ' '), 'Q', 52)}`, 76);
  const text = m.text.replace(/\r\n|\r|\n/g, '\n');
  const plain = ASCII.test(text) && text.split('\n').every((l) => l.length <= 998);
  const body = (plain ? text : qp.wrap(qp.encode(text), 76)).replace(/\r?\n/g, '\r\n');
  // nodemailer's order of headers for a text-only message.
  const content =
    `From: ${m.fromHeader}\r\nTo: ${m.to}\r\n${subject}\r\nMessage-ID: ${messageId}\r\nContent-Transfer-Encoding: ${plain ? '7bit' : 'quoted-printable'}\r\n` +
    `Date: ${dateHeader(now)}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`;
  return { data: content.replace(/\r\n\./g, '\r\n..'), messageId };
}

/** One connection: setup, then transactions one after another, the next envelope pipelined behind the last content. */
class Connection {
  private socket: net.Socket | tls.TLSSocket;
  private buffer = '';
  private replyLines: string[] = [];
  private readonly handlers: ReplyHandler[] = [];
  private readonly pending = new Set<Job>();
  /** Waiting for a transaction's 354 (or its setup): takes no new job meanwhile. */
  private busy = true;
  private closed = false;
  /** Past the greeting, EHLO, STARTTLS and AUTH. */
  private ready = false;
  private sent = 0;
  /** close() was called: no new transaction, QUIT after the last reply. */
  private closing = false;
  private extensions = new Set<string>();
  /** The connection's or the greeting's timeout, while one runs. */
  private timer: NodeJS.Timeout | undefined;
  private authMethods = new Set<string>();

  constructor(
    private readonly pool: SmtpPipelinePool,
    private readonly opts: PipelineOptions,
  ) {
    this.socket = this.connect();
  }

  get idle(): boolean {
    return !this.busy && !this.closed;
  }

  private connect(): net.Socket | tls.TLSSocket {
    const o = this.opts;
    const socket = o.secure ? tls.connect({ host: o.host, port: o.port, servername: net.isIP(o.host) ? undefined : o.host, ...o.tls }) : net.connect({ host: o.host, port: o.port });
    socket.setNoDelay(true);
    this.timer = setTimeout(() => this.fail(new SmtpError('Connection timeout', 'ETIMEDOUT', 'CONN')), o.connectionTimeout);
    socket.once(o.secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(this.timer);
      socket.setTimeout(o.socketTimeout);
      this.timer = setTimeout(() => this.fail(new SmtpError('Greeting never received', 'ETIMEDOUT', 'CONN')), o.greetingTimeout);
      this.expect((code, text) => {
        clearTimeout(this.timer);
        if (code !== 220) return this.fail(new SmtpError('Invalid greeting', 'EPROTOCOL', 'CONN', text, code));
        this.setup().catch((err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))));
      });
    });
    this.listen(socket);
    return socket;
  }

  private listen(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => this.fail(new SmtpError(err.message, err.code === 'ETIMEDOUT' ? 'ETIMEDOUT' : 'ESOCKET', 'CONN')));
    socket.on('timeout', () => this.fail(new SmtpError('Timeout', 'ETIMEDOUT', 'CONN')));
    socket.on('close', () => this.fail(new SmtpError('Connection closed', 'ECONNECTION', 'CONN')));
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.replyLines.push(line);
      // "250-..." continues a reply, "250 ..." (or a bare code) ends it.
      if (line.length > 3 && line[3] === '-') continue;
      const text = this.replyLines.join('\n');
      this.replyLines = [];
      const handler = this.handlers.shift();
      if (!handler) return this.fail(new SmtpError('Unexpected reply', 'EPROTOCOL', 'CONN', text, Number(line.slice(0, 3))));
      handler(Number(line.slice(0, 3)) || 0, text);
      if (this.closed) return;
    }
  }

  private expect(handler: ReplyHandler): void {
    this.handlers.push(handler);
  }

  private command(line: string): Promise<{ code: number; text: string }> {
    return new Promise((resolve) => {
      this.expect((code, text) => resolve({ code, text }));
      this.socket.write(`${line}\r\n`);
    });
  }

  private async setup(): Promise<void> {
    const o = this.opts;
    const name = o.name ?? defaultName();
    await this.ehlo(name);
    if (!o.secure && !o.ignoreTLS && this.extensions.has('STARTTLS')) {
      const r = await this.command('STARTTLS');
      if (r.code !== 220) throw new SmtpError('Error upgrading connection with STARTTLS', 'ETLS', 'STARTTLS', r.text, r.code);
      await this.upgrade();
      await this.ehlo(name);
    } else if (o.requireTLS && !o.secure) {
      throw new SmtpError('Can not upgrade connection with STARTTLS', 'ETLS', 'STARTTLS');
    }
    if (!this.extensions.has('PIPELINING')) throw new PipelineUnsupported('the SMTP server does not offer PIPELINING');
    if (o.auth) {
      let r: { code: number; text: string };
      if (this.authMethods.has('PLAIN') || this.authMethods.size === 0) {
        r = await this.command(`AUTH PLAIN ${Buffer.from(`\u0000${o.auth.user}\u0000${o.auth.pass}`, 'utf8').toString('base64')}`);
      } else if (this.authMethods.has('LOGIN')) {
        r = await this.command('AUTH LOGIN');
        if (r.code === 334) r = await this.command(Buffer.from(o.auth.user, 'utf8').toString('base64'));
        if (r.code === 334) r = await this.command(Buffer.from(o.auth.pass, 'utf8').toString('base64'));
      } else throw new PipelineUnsupported(`the SMTP server offers AUTH ${[...this.authMethods].join(' ')} only`);
      if (r.code !== 235) throw new SmtpError('Invalid login', 'EAUTH', 'AUTH', r.text, r.code);
    }
    this.ready = true;
    if (this.closing) return this.quit();
    this.busy = false;
    this.pool.pump();
  }

  private async ehlo(name: string): Promise<void> {
    const r = await this.command(`EHLO ${name}`);
    if (r.code !== 250) throw new PipelineUnsupported(`EHLO refused (${r.text})`);
    const lines = r.text.split('\n').map((l) => l.slice(4).trim().toUpperCase());
    this.extensions = new Set(lines.slice(1).map((l) => l.split(/\s+/)[0]));
    const auth = lines.find((l) => /^AUTH[ =]/.test(l));
    this.authMethods = new Set(auth ? auth.slice(5).split(/\s+/).filter(Boolean) : []);
  }

  private upgrade(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('error');
    plain.removeAllListeners('timeout');
    plain.removeAllListeners('close');
    return new Promise((resolve, reject) => {
      const o = this.opts;
      const secure = tls.connect({ socket: plain, servername: net.isIP(o.host) ? undefined : o.host, ...o.tls }, () => {
        secure.setTimeout(o.socketTimeout);
        resolve();
      });
      secure.once('error', reject);
      this.socket = secure;
      this.buffer = '';
      this.listen(secure);
    });
  }

  /** Starts a transaction: the envelope and DATA, written at once (corked with the content before it). */
  start(job: Job): void {
    this.busy = true;
    this.sent++;
    this.pending.add(job);
    const replies: { code: number; text: string }[] = [];
    const onReply: ReplyHandler = (code, text) => {
      replies.push({ code, text });
      if (replies.length === 3) this.afterData(job, replies);
    };
    this.expect(onReply);
    this.expect(onReply);
    this.expect(onReply);
    this.socket.write(`MAIL FROM:<${job.from}>\r\nRCPT TO:<${job.to}>\r\nDATA\r\n`);
  }

  private afterData(job: Job, [mail, rcpt, data]: { code: number; text: string }[]): void {
    let err: SmtpError | null = null;
    if (mail.code < 200 || mail.code >= 300) err = new SmtpError('Mail command failed', 'EENVELOPE', 'MAIL FROM', mail.text, mail.code);
    else if (rcpt.code < 200 || rcpt.code >= 300) err = new SmtpError('Recipient command failed', 'EENVELOPE', 'RCPT TO', rcpt.text, rcpt.code);
    else if (data.code !== 354) err = new SmtpError('Data command failed', 'EENVELOPE', 'DATA', data.text, data.code);
    this.socket.cork();
    if (err) {
      // Nothing was sent: end what the server may still hold open, and go on with the next message.
      if (data.code === 354) this.socket.write('.\r\n');
      if (data.code === 354) this.expect(() => undefined);
      this.socket.write('RSET\r\n');
      this.expect((code, text) => {
        if (code < 200 || code >= 300) this.fail(new SmtpError('RSET failed', 'EPROTOCOL', 'RSET', text, code));
      });
      this.pending.delete(job);
      job.reject(err);
    } else {
      this.socket.write(job.data);
      this.socket.write(job.data.endsWith('\r\n') ? '.\r\n' : '\r\n.\r\n');
      this.expect((code, text) => {
        this.pending.delete(job);
        if (code >= 200 && code < 300) job.resolve(text);
        else job.reject(new SmtpError('Message failed', 'EMESSAGE', 'DATA', text, code));
        if (this.spent && this.pending.size === 0) this.quit();
      });
    }
    if (err && this.spent && this.pending.size === 0) this.quit();
    this.busy = this.spent;
    // The next message's envelope goes in the same packet as this content.
    if (!this.busy) this.pool.pump(this);
    process.nextTick(() => this.socket.uncork());
  }

  private quit(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.pool.forget(this);
    this.socket.end('QUIT\r\n');
  }

  /** No more transactions on this connection: it has carried maxMessages, or close() was called. */
  private get spent(): boolean {
    return this.closing || this.sent >= this.opts.maxMessages;
  }

  /** Closes when nothing is in flight; otherwise after the last reply. */
  close(): void {
    this.closing = true;
    if (this.pending.size === 0 && !this.busy) this.quit();
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.pool.forget(this, err, !this.ready);
    for (const job of this.pending) job.reject(err);
    this.pending.clear();
    this.handlers.length = 0;
    this.socket.destroy();
  }
}

/** Connections up to `maxConnections`; a message waits for one whose last transaction is past its 354. */
export class SmtpPipelinePool {
  private readonly queue: Job[] = [];
  private readonly connections = new Set<Connection>();
  private closing = false;
  /** Set when the server needs what this client does not do: the channel uses nodemailer from then on. */
  unsupported: PipelineUnsupported | null = null;

  constructor(private readonly opts: PipelineOptions) {}

  send(from: string, to: string, data: string): Promise<string> {
    if (this.unsupported) return Promise.reject(this.unsupported);
    if (this.closing) return Promise.reject(new SmtpError('The SMTP pool is closed', 'ECONNECTION', 'CONN'));
    return new Promise((resolve, reject) => {
      this.queue.push({ from, to, data, resolve, reject });
      this.pump();
    });
  }

  /** Gives waiting messages to idle connections (`prefer` first), opening connections up to the limit. */
  pump(prefer?: Connection): void {
    if (prefer && prefer.idle && this.queue.length > 0) prefer.start(this.queue.shift()!);
    for (const c of this.connections) {
      if (this.queue.length === 0) return;
      if (c.idle) c.start(this.queue.shift()!);
    }
    let starting = [...this.connections].filter((c) => !c.idle).length;
    while (this.queue.length > starting && this.connections.size < this.opts.maxConnections && !this.closing) {
      this.connections.add(new Connection(this, this.opts));
      starting++;
    }
  }

  /** A connection is gone. One that failed before sending anything fails the waiting messages when no other connection is left. */
  forget(c: Connection, err?: Error, setupFailed = false): void {
    this.connections.delete(c);
    if (err instanceof PipelineUnsupported) {
      this.unsupported = err;
      for (const job of this.queue.splice(0)) job.reject(err);
      return;
    }
    if (err && setupFailed) {
      // The server refused a new connection: the waiting messages fail (and are retried) unless another connection is left to carry them.
      if (this.connections.size === 0) for (const job of this.queue.splice(0)) job.reject(err);
      return;
    }
    if (this.queue.length > 0 && !this.closing) setImmediate(() => this.pump());
  }

  close(): void {
    this.closing = true;
    for (const job of this.queue.splice(0)) job.reject(new SmtpError('The SMTP pool is closed', 'ECONNECTION', 'CONN'));
    for (const c of [...this.connections]) c.close();
  }
}
