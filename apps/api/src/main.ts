import 'reflect-metadata';
import { loadConfig } from './config';
import { DEFAULT_SHUTDOWN_GRACE_MS, startApi } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const { url, api, stop } = await startApi({
    databaseUrl: config.databaseUrl,
    port: config.port,
    host: config.host,
    appSecret: config.appSecret,
    logLevel: config.logLevel,
    corsOrigin: config.corsOrigin,
  });
  api.logger.info(`Fascia API ready at ${url}/graphql`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    api.logger.info({ signal }, 'shutting down');
    // A backstop, not the plan: stop() closes every handle itself (requests get the grace
    // period, then the queues and the database close). If something still hangs, say so and go.
    const backstop = setTimeout(() => {
      api.logger.error('shutdown did not finish: exiting');
      process.exit(1);
    }, DEFAULT_SHUTDOWN_GRACE_MS + 20_000);
    backstop.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        api.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`The API failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
