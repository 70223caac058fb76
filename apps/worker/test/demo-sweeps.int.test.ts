import { PractitionerTask, Reminder } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import { SWEEPS } from '@fascia/jobs';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { FakeSmsProvider, FileEmailChannel, SmsChannel } from '../src/channels';
import { type RunningWorker, startWorker } from '../src/runtime';
import { testWorkerConfig, waitFor, WAIT_TEST_TIMEOUT_MS } from './support';

/** The sweeps on the lead's demo seed (apps/api/src/seed.ts): months of care in three clinics and three time zones. */
// The API's seed, loaded from its sources (the worker does not depend on the API package).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { seedDemo } = require('../../api/src/seed') as { seedDemo(ds: DataSource): Promise<{ organizationId: string }> };

// A failure guard only: waits fail when progress stalls (support.ts waitFor), never on a deadline.
jest.setTimeout(WAIT_TEST_TIMEOUT_MS);

describe('sweeps on the demo seed (PostgreSQL backend)', () => {
  let t: TestDatabase;
  let running: RunningWorker | null = null;

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await running?.stop();
    await t?.drop();
  });

  it('every sweep runs on every clinic, writes tasks and reminders with reasons, and a second pass writes nothing new', async () => {
    const { organizationId } = await seedDemo(t.dataSource);
    running = await startWorker(
      testWorkerConfig(t.runtimeUrl, { kind: 'postgres', connectionString: t.runtimeUrl }, { schedulers: false }),
      // Nothing leaves the test: email to .eml files in a temporary directory, SMS to the fake provider.
      { logger: pino({ level: 'silent' }), channels: { EMAIL: new FileEmailChannel(`${process.env.TMPDIR ?? '/tmp'}/fascia-demo-sweeps`, 'x@y.z', pino({ level: 'silent' })), SMS: new SmsChannel(new FakeSmsProvider()) } },
    );
    const clinics = (await t.dataSource.query(`SELECT id FROM clinic WHERE organization_id = $1`, [organizationId])) as { id: string }[];
    const q = running.queues.scheduling;
    const today = new Date().toISOString().slice(0, 10);
    const pass = async (n: number) => {
      const ids: string[] = [];
      for (const c of clinics)
        for (const sweep of SWEEPS) {
          const id = `demo${n}-${sweep}-${c.id}`;
          await q.add('sweep.clinic', { organizationId, clinicId: c.id, sweep, period: today }, { jobId: id });
          ids.push(id);
        }
      for (const id of ids) await waitFor(`sweep ${id}`, async () => ((await q.getJobState(id)) === 'failed' ? Promise.reject(new Error((await q.getJob(id))?.failedReason)) : (await q.getJobState(id)) === 'completed'));
      const tasks = await t.db.system((em) => em.find(PractitionerTask, { where: { organizationId } }));
      const reminders = await t.db.system((em) => em.find(Reminder, { where: { organizationId } }));
      return { tasks, reminders: reminders.filter((r) => r.kind !== 'APPOINTMENT') };
    };
    const first = await pass(1);
    const second = await pass(2);
    const kinds = (xs: { kind: string }[]) => [...new Set(xs.map((x) => x.kind))].sort();
    console.info(`[demo] tasks: ${JSON.stringify(kinds(first.tasks))} ×${first.tasks.length}; client reminders: ${JSON.stringify(kinds(first.reminders))} ×${first.reminders.length}`);
    expect(first.tasks.length + first.reminders.length).toBeGreaterThan(0);
    expect(first.tasks.every((x) => x.reason.length > 10)).toBe(true);
    expect(second.tasks.map((x) => x.id).sort()).toEqual(first.tasks.map((x) => x.id).sort());
    expect(second.reminders.map((x) => x.id).sort()).toEqual(first.reminders.map((x) => x.id).sort());
  });
});
