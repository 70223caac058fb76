// One worker process of the bench: the built runtime (dist/), configured from the environment
// like `npm start -w @fascia/worker` (loadConfig), started with startWorker. Tells the parent
// `ready` over IPC once its queues, workers and relay run; stops on `stop` or SIGTERM.
require('reflect-metadata');
const { loadConfig } = require('../dist/config.js');
const { startWorker } = require('../dist/runtime.js');
const { createLogger } = require('../dist/logger.js');

// BENCH_PROFILE_DIR: the parent asks the first process for a CPU profile of the delivery
// phase alone (node:inspector's Profiler, started and stopped over IPC).
let session = null;
function startProfile() {
  const inspector = require('node:inspector');
  session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start', () => process.send?.({ profile: 'started' })));
}
function stopProfile(file) {
  session.post('Profiler.stop', (err, res) => {
    if (!err) require('node:fs').writeFileSync(file, JSON.stringify(res.profile));
    session.disconnect();
    process.send?.({ profile: 'stopped', err: err ? String(err) : null });
  });
}

(async () => {
  const { config } = loadConfig(process.env);
  const running = await startWorker(config, { logger: createLogger() });
  const stop = () => {
    if (process.env.BENCH_BATCH_STATS) {
      const { batches, requests } = require('../dist/batcher.js').Batcher.stats;
      console.error(`worker ${process.pid}: ${requests} requests in ${batches} batches (${(requests / Math.max(batches, 1)).toFixed(1)} per batch)`);
    }
    return running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('message', (m) => {
    if (m === 'stop') stop();
    else if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    else if (m && typeof m === 'object' && m.profile === 'start') startProfile();
    else if (m && typeof m === 'object' && m.profile === 'stop') stopProfile(m.file);
  });
  process.send?.('ready');
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
