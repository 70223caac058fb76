import type { WorkerConfig } from '../config';
import type { Logger } from '../logger';
import type { Channels } from './channel';
import { FileEmailChannel } from './file-email';
import { SmtpEmailChannel } from './smtp-email';

export * from './channel';
export { FileEmailChannel } from './file-email';
export { SmtpEmailChannel, isPermanentSmtpError } from './smtp-email';

export function createChannels(config: WorkerConfig, log: Logger): Channels {
  return {
    EMAIL: config.smtpUrl ? new SmtpEmailChannel(config.smtpUrl, config.mailFrom) : new FileEmailChannel(config.mailDir, config.mailFrom, log),
  };
}
