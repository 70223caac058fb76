import nodemailer, { type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { type Channel, type EmailMessage, PermanentDeliveryError, type SendResult } from './channel';

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

  /**
   * A pool of SMTP connections (nodemailer's `pool: true`): up to `maxConnections` (default
   * 5) stay open and carry message after message (`maxMessages` each, default 1000, then
   * the connection is replaced); `close()` (the worker's stop) closes them. Options in the
   * URL's query (`?maxConnections=2`) win over these.
   *
   * The URL is parsed here: given `{ url, pool: true, … }`, nodemailer reads the URL alone
   * and drops every other option, which opened one connection per message.
   */
  constructor(
    smtpUrl: string,
    private readonly from: string,
    pool: { maxConnections?: number; maxMessages?: number } = {},
  ) {
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: pool.maxConnections ?? 5,
      maxMessages: pool.maxMessages ?? 1000,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      ...parseConnectionUrl(smtpUrl),
    } as SMTPPool.Options);
  }

  async send(message: EmailMessage): Promise<SendResult> {
    try {
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
    this.transport.close();
  }
}
