import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Clock, systemClock } from '@fascia/db';
import nodemailer, { type Transporter } from 'nodemailer';
import type StreamTransport from 'nodemailer/lib/stream-transport';
import type { Logger } from '../logger';
import type { Channel, EmailMessage, SendResult } from './channel';

/**
 * Development email: a clinic on a laptop has no SMTP server, so each message is written
 * as an .eml file (open it with any mail client) and its path is logged.
 */
export class FileEmailChannel implements Channel<EmailMessage> {
  readonly kind = 'EMAIL' as const;
  readonly name = 'file';
  private readonly transport: Transporter<StreamTransport.SentMessageInfo>;

  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly log: Logger,
    /** Stamps the file names. */
    private readonly clock: Clock = systemClock,
  ) {
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(message: EmailMessage): Promise<SendResult> {
    const info = await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
    await mkdir(this.dir, { recursive: true });
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const safeId = info.messageId.replace(/[^A-Za-z0-9@._-]/g, '');
    const file = path.join(this.dir, `${stamp}-${safeId}.eml`);
    // Whole or not at all: written under another name, then renamed, so that a reader watching the folder for .eml files never reads half a message.
    await writeFile(`${file}.part`, info.message as Buffer, { mode: 0o600 });
    await rename(`${file}.part`, file);
    this.log.info({ file, to: message.to, subject: message.subject }, 'email written to file (SMTP_URL is not set)');
    return { providerRef: info.messageId };
  }

  async close(): Promise<void> {}
}
