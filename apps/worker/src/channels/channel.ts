/**
 * A way to reach a person. Every delivery goes through one: email over SMTP now (or a
 * file in development), SMS through a provider later. A channel only sends; the delivery
 * log (deliveries.ts) decides whether to send and records the outcome.
 */
export type ChannelKind = 'EMAIL' | 'SMS';

export interface EmailMessage {
  channel: 'EMAIL';
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface SmsMessage {
  channel: 'SMS';
  /** E.164 */
  to: string;
  text: string;
}

export type OutboundMessage = EmailMessage | SmsMessage;

export interface SendResult {
  /** The provider's id for the message (SMTP Message-ID, SMS provider id). */
  providerRef: string;
}

export interface Channel<M extends OutboundMessage = OutboundMessage> {
  readonly kind: M['channel'];
  /** Human-readable name for logs: 'smtp', 'file', … */
  readonly name: string;
  send(message: M): Promise<SendResult>;
  close(): Promise<void>;
}

/** The provider refused for good (SMTP 5xx, invalid address): retrying will not help. */
export class PermanentDeliveryError extends Error {
  constructor(
    message: string,
    readonly providerCode?: number | string,
  ) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

export type Channels = { [K in ChannelKind]?: Channel<Extract<OutboundMessage, { channel: K }>> };
