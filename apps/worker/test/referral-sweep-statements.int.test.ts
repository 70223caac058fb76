import { createDataSource, Db, SYSTEM_ROLE } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import type { Channels } from '../src/channels';
import { DeliveryLog } from '../src/deliveries';
import { referralSweepHandler } from '../src/handlers';
import { type ReferralNetwork, seedReferralNetwork, seedSentReferral } from './referral-fixtures';

/**
 * What a referral sweep tick costs, on the worker's kind of pool (connections that start as
 * fascia_system): one statement per kind of follow-up (claim, stamp and outbox rows at once)
 * and one for the expiry candidates, however many referrals fell due — no statement per row.
 */
const SWEEP_STATEMENTS = 3;
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('statements per referral sweep', () => {
  let t: TestDatabase;
  let workerDs: DataSource;
  let db: Db;
  let n: ReferralNetwork;
  const statements: string[] = [];
  let now = new Date('2026-06-01T00:00:00Z');

  beforeAll(async () => {
    t = await createTestDatabase();
    workerDs = createDataSource({ url: t.runtimeUrl, poolSize: 2, sessionRole: SYSTEM_ROLE, onQuery: (sql) => statements.push(sql) });
    await workerDs.initialize();
    db = new Db(workerDs);
    n = await seedReferralNetwork(t);
  });
  afterAll(async () => {
    if (workerDs?.isInitialized) await workerDs.destroy();
    await t?.drop();
  });

  const tick = async () => {
    statements.length = 0;
    const result = await referralSweepHandler({ db, deliveries: new DeliveryLog(db, {} as Channels, log), adminUrl: 'http://admin.test', clock: { now: () => now } })(
      {},
      { jobId: 'tick', attempt: 1, maxAttempts: 1, log },
    );
    return { result, statements: [...statements] };
  };

  it(`${SWEEP_STATEMENTS} statements whether nothing or 25 reminders and 25 escalations fell due; none BEGIN/COMMIT or a role switch`, async () => {
    const empty = await tick();
    expect(empty.statements).toHaveLength(SWEEP_STATEMENTS);
    expect(empty.result).toMatchObject({ reminders: 0, escalations: 0, expired: 0 });

    for (let i = 0; i < 25; i++) await seedSentReferral(t, n, { sentAt: new Date('2026-06-02T10:00:00Z'), urgency: 'EMERGENCY', pool: i % 2 === 0 });
    now = new Date('2026-06-02T18:00:00Z'); // 8 hours on: every reminder and every escalation is due
    const full = await tick();
    expect(full.result).toMatchObject({ reminders: 25, escalations: 25, expired: 0 });
    expect(full.statements).toHaveLength(SWEEP_STATEMENTS);
    for (const s of full.statements) expect(s).not.toMatch(/^\s*(BEGIN|COMMIT|START TRANSACTION)|set_config/i);
    const [{ count }] = (await t.dataSource.query(`SELECT count(*)::int AS count FROM outbox_message WHERE job_name = 'referral.follow-up'`)) as { count: number }[];
    expect(count).toBe(50);

    const again = await tick();
    expect(again.result).toMatchObject({ reminders: 0, escalations: 0 });
    expect(again.statements).toHaveLength(SWEEP_STATEMENTS);
  });
});
