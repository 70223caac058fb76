import 'reflect-metadata';
import { loadConfig } from './config';
import { startApi } from './server';

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
