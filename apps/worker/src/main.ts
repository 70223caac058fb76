import 'reflect-metadata';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { startWorker } from './runtime';

const SHUTDOWN_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const log = createLogger();
  const { config, warnings } = loadConfig(process.env);
  for (const w of warnings) log.warn(w);
  const running = await startWorker(config, { logger: log });

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    signalled = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
