import { Db } from '@fascia/db';
import { createTestDatabase, type TestDatabase } from '@fascia/db/testing';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { reportDrainHandler, reportReconcileHandler } from '../src/handlers';
import { WAIT_TEST_TIMEOUT_MS } from './support';

// The API's seed, loaded from its sources (the worker does not depend on the API package).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { seedDemo } = require('../../api/src/seed') as { seedDemo(ds: DataSource): Promise<{ organizationId: string }> };

jest.setTimeout(WAIT_TEST_TIMEOUT_MS);

/** The reports' roll-ups on the demo seed: filled by the seed, kept current by `report.drain`, reconciled by `report.reconcile`. */
describe('report roll-up jobs', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('the seed leaves non-empty roll-ups; a change is marked in its transaction and the drain job (as the apps’ login) recomputes it', async () => {
    const { organizationId } = await seedDemo(t.dataSource);
    const ctx = { jobId: 'test', attempt: 1, maxAttempts: 1, log: pino({ level: 'silent' }) };
    const [seeded] = await t.dataSource.query(`SELECT sum(booked)::int AS booked, sum(completed)::int AS completed, sum(available_minutes)::int AS available FROM report_clinic_day WHERE organization_id = $1`, [organizationId]);
    expect(seeded.booked).toBeGreaterThan(0);
    expect(seeded.completed).toBeGreaterThan(0);
    expect(seeded.available).toBeGreaterThan(0);
    expect(Number((await t.dataSource.query(`SELECT count(*) FROM report_plan WHERE organization_id = $1`, [organizationId]))[0].count)).toBeGreaterThan(0);
    // The seeded referrals (every state, both directions) are rolled up too.
    const [flow] = await t.dataSource.query(`SELECT coalesce(sum(sent), 0)::int AS sent, coalesce(sum(received), 0)::int AS received, coalesce(sum(accepted), 0)::int AS accepted FROM report_referral`);
    expect(flow.sent).toBeGreaterThan(0);
    expect(flow.received).toBeGreaterThan(0);
    expect(flow.accepted).toBeGreaterThan(0);

    const [appt] = await t.dataSource.query(
      `SELECT a.id, a.clinic_id, (a.starts_at AT TIME ZONE c.time_zone)::date::text AS day FROM appointment a JOIN clinic c ON c.id = a.clinic_id
       WHERE a.organization_id = $1 AND a.status = 'BOOKED' ORDER BY a.starts_at LIMIT 1`,
      [organizationId],
    );
    const noShows = async () => (await t.dataSource.query(`SELECT no_shows FROM report_clinic_day WHERE clinic_id = $1 AND day = $2`, [appt.clinic_id, appt.day]))[0]?.no_shows ?? 0;
    const before = await noShows();
    await t.dataSource.query(`UPDATE appointment SET status = 'NO_SHOW' WHERE id = $1`, [appt.id]);
    expect(Number((await t.dataSource.query(`SELECT count(*) FROM report_dirty WHERE clinic_id = $1 AND day = $2`, [appt.clinic_id, appt.day]))[0].count)).toBeGreaterThan(0);

    const drain = reportDrainHandler({ db: new Db(t.appDataSource) });
    const result = await drain({}, ctx);
    expect(result).toMatchObject({ outcome: 'drained' });
    expect(await noShows()).toBe(before + 1);
    expect(Number((await t.dataSource.query(`SELECT count(*) FROM report_dirty`))[0].count)).toBe(0);
    expect(await drain({}, ctx)).toMatchObject({ outcome: 'nothing to do', marks: 0 });

    const reconciled = await reportReconcileHandler({ db: new Db(t.appDataSource) })({}, ctx);
    expect(reconciled).toMatchObject({ outcome: 'reconciled' });
    expect((reconciled as unknown as { marked: number }).marked).toBeGreaterThan(0);
    expect(await noShows()).toBe(before + 1);
  });
});
