import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import type { QueueBackendConfig } from '@fascia/jobs';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { type RunningWorker, startWorker } from '../src/runtime';
import { dropQueues, testQueueConfig, testWorkerConfig, WAIT_TEST_TIMEOUT_MS } from './support';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);

describe.each([['redis'], ['postgres']] as const)('the worker health endpoint (%s backend)', (backend) => {
  let t: TestDatabase;
  let queueCfg: QueueBackendConfig;
  let running: RunningWorker | null = null;

  beforeAll(async () => {
    t = await createTestDatabase();
    queueCfg = testQueueConfig(backend, t.runtimeUrl);
    running = await startWorker(testWorkerConfig(t.runtimeUrl, queueCfg, { schedulers: false, healthPort: 0, healthHost: '127.0.0.1' }), { logger: log });
  });

  afterAll(async () => {
    await running?.stop();
    await dropQueues(queueCfg);
    await t?.drop();
  });

  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${running!.health!.port}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };

  it('answers /healthz while the process runs and /readyz once the database and the queues answer', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ready', database: 'ok', queues: 'ok', workers: 'ok' } });
    expect((await get('/metrics')).status).toBe(404);
  });

  it('reports not ready from the moment it starts draining, and closes the port when stopped', async () => {
    const port = running!.health!.port;
    const stopped = running!.stop();
    expect(await running!.readiness()).toEqual({ ready: false, checks: { worker: 'draining' } });
    await stopped;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    running = null;
  });
});

describe('WORKER_HEALTH_PORT', () => {
  it('is off unless set (npm start), and read as a port when set', () => {
    const base = { DATABASE_URL: 'postgres://localhost/fascia' };
    expect(loadConfig(base).config.healthPort).toBeUndefined();
    expect(loadConfig({ ...base, WORKER_HEALTH_PORT: '4100' }).config.healthPort).toBe(4100);
    expect(() => loadConfig({ ...base, WORKER_HEALTH_PORT: 'http' })).toThrow(/WORKER_HEALTH_PORT/);
  });
});
