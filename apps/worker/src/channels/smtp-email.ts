import nodemailer, { type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { type Channel, type EmailMessage, PermanentDeliveryError, type SendResult } from './channel';
import { buildTextMessage, parseFrom, PipelineUnsupported, simpleAddress, SmtpPipelinePool } from './smtp-pipeline';

interface SmtpError {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * Whether an SMTP failure is final. 5xx replies to the envelope or the message (550 no
 * such user, 552, 554 rejected) and addresses nodemailer refuses before connecting are
 * permanent. Connection errors, timeouts and 4xx are transient. A 5xx to AUTH (535) is a
 * configuration fault of ours, not of the message: it is retried, so fixing the
 * credentials lets the queued messages out.
 */
export function isPermanentSmtpError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as SmtpError;
  if (e.code === 'EAUTH') return false;
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600;
  return e.code === 'EENVELOPE' && e.command === 'API';
}

export class SmtpEmailChannel implements Channel<EmailMessage> {
  readonly kind = 'EMAIL' as const;
  readonly name = 'smtp';
  private readonly transport: Transporter<SMTPPool.SentMessageInfo>;
  /** The pipelined client (smtp-pipeline.ts) for text-only messages; null when the settings need nodemailer. */
  private readonly pipeline: SmtpPipelinePool | null;
  private readonly fromParts: { header: string; address: string } | null;

  /**
   * A pool of SMTP connections (nodemailer's `pool: true`): up to `maxConnections` (default
   * 5) stay open and carry message after message (`maxMessages` each, default 1000, then
   * the connection is replaced); `close()` (the worker's stop) closes them. Options in the
   * URL's query (`?maxConnections=2`) win over these.
   *
   * The URL is parsed here: given `{ url, pool: true, … }`, nodemailer reads the URL alone
   * and drops every other option, which opened one connection per message.
   *
   * A text-only message to a plain address goes through the pipelined client instead
   * (smtp-pipeline.ts: the same connection settings, one round trip per message on a busy
   * connection, the message written as nodemailer writes it); HTML, unusual addresses, and
   * a server without PIPELINING (found at the first connection) go through nodemailer.
   */
  constructor(
    smtpUrl: string,
    private readonly from: string,
    pool: { maxConnections?: number; maxMessages?: number } = {},
  ) {
    const options = {
      pool: true,
      maxConnections: pool.maxConnections ?? 5,
      maxMessages: pool.maxMessages ?? 1000,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      ...parseConnectionUrl(smtpUrl),
    } as SMTPPool.Options;
    this.transport = nodemailer.createTransport(options);
    this.fromParts = parseFrom(from);
    // Settings the pipelined client does not read (a proxy, OAuth2, a custom auth method, DKIM …) keep nodemailer for everything.
    const known = new Set(['pool', 'maxConnections', 'maxMessages', 'connectionTimeout', 'greetingTimeout', 'socketTimeout', 'host', 'port', 'secure', 'auth', 'tls', 'name', 'ignoreTLS', 'requireTLS']);
    const auth = options.auth as { user?: unknown; pass?: unknown } | undefined;
    const plainAuth = !auth || (typeof auth.user === 'string' && typeof auth.pass === 'string' && Object.keys(auth).every((k) => k === 'user' || k === 'pass'));
    this.pipeline =
      this.fromParts && options.host && plainAuth && Object.keys(options).every((k) => known.has(k))
        ? new SmtpPipelinePool({
            host: options.host,
            port: options.port ?? (options.secure ? 465 : 587),
            secure: !!options.secure,
            auth: auth ? { user: auth.user as string, pass: auth.pass as string } : undefined,
            ignoreTLS: options.ignoreTLS,
            requireTLS: options.requireTLS,
            tls: options.tls,
            name: options.name,
            maxConnections: options.maxConnections!,
            maxMessages: options.maxMessages!,
            connectionTimeout: options.connectionTimeout!,
            greetingTimeout: options.greetingTimeout!,
            socketTimeout: options.socketTimeout!,
          })
        : null;
  }

  async send(message: EmailMessage): Promise<SendResult> {
    try {
      const to = this.pipeline && !this.pipeline.unsupported && this.fromParts && message.html === undefined ? simpleAddress(message.to) : null;
      if (to) {
        const built = buildTextMessage({ fromHeader: this.fromParts!.header, fromAddress: this.fromParts!.address, to, subject: message.subject, text: message.text });
        try {
          await this.pipeline!.send(this.fromParts!.address, to, built.data);
          return { providerRef: built.messageId };
        } catch (err) {
          if (!(err instanceof PipelineUnsupported)) throw err;
          // The server needs nodemailer (no PIPELINING …): this message and every later one go through it.
        }
      }
      const info = await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
      if (info.rejected.length > 0) throw new PermanentDeliveryError(`SMTP rejected ${info.rejected.join(', ')}: ${info.response}`);
      return { providerRef: info.messageId };
    } catch (err) {
      if (err instanceof PermanentDeliveryError) throw err;
      if (isPermanentSmtpError(err)) {
        const e = err as SmtpError;
        throw new PermanentDeliveryError(e.response ? `${e.message} (${e.response})` : String(e.message), e.responseCode ?? e.code);
      }
      throw err;
    }
  }

  async close(): Promise<void> {
    this.pipeline?.close();
    this.transport.close();
  }
}
