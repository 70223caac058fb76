import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '@fascia/db';
import type { Logger } from '../logger';
import { type Channel, PermanentDeliveryError, type SendResult, type SmsMessage } from './channel';

/**
 * An SMS provider (Twilio, MessageBird, a national gateway…): sends one text to one
 * E.164 number and returns its id for the message. It throws
 * {@link PermanentDeliveryError} when the provider refuses for good (invalid or
 * unreachable number, opted out) and any other error when a retry may help (timeouts,
 * 429, 5xx). A real provider is a class implementing this, chosen in `createChannels`.
 */
export interface SmsProvider {
  readonly name: string;
  send(to: string, text: string): Promise<{ providerRef: string }>;
  close?(): Promise<void>;
}

export const E164 = /^\+[1-9][0-9]{6,14}$/;
/** Longer texts are cut: a reminder is never worth more than three segments. */
export const MAX_SMS_LENGTH = 459;

/** The SMS channel: checks the number and length, then hands the text to its provider. */
export class SmsChannel implements Channel<SmsMessage> {
  readonly kind = 'SMS' as const;
  readonly name: string;

  constructor(private readonly provider: SmsProvider) {
    this.name = `sms:${provider.name}`;
  }

  async send(message: SmsMessage): Promise<SendResult> {
    const to = normalisePhone(message.to);
    if (!to) throw new PermanentDeliveryError(`"${message.to}" is not a phone number in international (E.164) form`, 'INVALID_NUMBER');
    const text = message.text.length > MAX_SMS_LENGTH ? `${message.text.slice(0, MAX_SMS_LENGTH - 1)}…` : message.text;
    return this.provider.send(to, text);
  }

  async close(): Promise<void> {
    await this.provider.close?.();
  }
}

/** '+44 20 7946 0018' → '+442079460018'; null when it is not E.164 once spaces, dots, dashes and brackets are gone. */
export function normalisePhone(raw: string): string | null {
  const compact = raw.replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : null;
}

/** Development: each text is one JSON line in `<dir>/sms.jsonl` (and logged). */
export class FileSmsProvider implements SmsProvider {
  readonly name = 'file';
  constructor(
    private readonly dir: string,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  async send(to: string, text: string): Promise<{ providerRef: string }> {
    const providerRef = `file-${randomUUID()}`;
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, 'sms.jsonl');
    await appendFile(file, `${JSON.stringify({ at: this.clock.now().toISOString(), to, text, providerRef })}\n`, { mode: 0o600 });
    this.log.info({ file, to, providerRef }, 'SMS written to file (no SMS provider configured)');
    return { providerRef };
  }
}

/** Development: each text is logged, nothing is sent. */
export class ConsoleSmsProvider implements SmsProvider {
  readonly name = 'console';
  constructor(private readonly log: Logger) {}

  async send(to: string, text: string): Promise<{ providerRef: string }> {
    const providerRef = `console-${randomUUID()}`;
    this.log.info({ to, text, providerRef }, 'SMS (console provider: not sent)');
    return { providerRef };
  }
}

/**
 * Tests: records every text. Numbers ending in 0000 are refused for good, numbers
 * ending in 9999 fail once with a transient error.
 */
export class FakeSmsProvider implements SmsProvider {
  readonly name = 'fake';
  readonly sent: { to: string; text: string; providerRef: string }[] = [];
  private readonly failedOnce = new Set<string>();

  async send(to: string, text: string): Promise<{ providerRef: string }> {
    if (to.endsWith('0000')) throw new PermanentDeliveryError(`provider refused ${to}: unreachable number`, 21614);
    if (to.endsWith('9999') && !this.failedOnce.has(to)) {
      this.failedOnce.add(to);
      throw new Error('provider timeout');
    }
    const providerRef = `fake-${this.sent.length + 1}`;
    this.sent.push({ to, text, providerRef });
    return { providerRef };
  }
}
