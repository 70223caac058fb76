import path from 'node:path';
import { type Clock, systemClock } from '@fascia/db';
import type { WorkerConfig } from '../config';
import type { Logger } from '../logger';
import type { Channels } from './channel';
import { FileEmailChannel } from './file-email';
import { SmtpEmailChannel } from './smtp-email';
import { ConsoleSmsProvider, FileSmsProvider, SmsChannel } from './sms';

export * from './channel';
export { FileEmailChannel } from './file-email';
export { SmtpEmailChannel, isPermanentSmtpError } from './smtp-email';
export { SmsChannel, FileSmsProvider, ConsoleSmsProvider, FakeSmsProvider, normalisePhone, type SmsProvider } from './sms';

export function createChannels(config: WorkerConfig, log: Logger, clock: Clock = systemClock): Channels {
  const smsProvider = config.smsProvider === 'console' ? new ConsoleSmsProvider(log) : new FileSmsProvider(config.smsDir ?? path.resolve(config.mailDir, '../sms'), log, clock);
  return {
    EMAIL: config.smtpUrl ? new SmtpEmailChannel(config.smtpUrl, config.mailFrom, { maxConnections: config.smtpMaxConnections }) : new FileEmailChannel(config.mailDir, config.mailFrom, log, clock),
    SMS: new SmsChannel(smsProvider),
  };
}
