import type { Db } from './tenant/tenant-scope';

/** Marks one drain statement claims at most (each distinct key is recomputed once). */
export const REPORT_DRAIN_BATCH = 500;

/**
 * Drains the reports' dirty marks (docs/worker.md, "Report roll-ups"): repeatedly claims a batch
 * (`fascia_report_drain`, FOR UPDATE SKIP LOCKED, so several workers share the work) and recomputes
 * exactly those roll-up rows from the raw tables, each batch in its own transaction, until none
 * is left or `maxBatches` ran. Returns the marks consumed and the batches run.
 */
export async function drainReportMarks(db: Db, opts: { batch?: number; maxBatches?: number } = {}): Promise<{ marks: number; batches: number }> {
  const batch = opts.batch ?? REPORT_DRAIN_BATCH;
  const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
  let marks = 0;
  let batches = 0;
  while (batches < maxBatches) {
    const n = await db.system(async (em) => {
      const [row] = (await em.query(`SELECT fascia_report_drain($1) AS n`, [batch])) as { n: number }[];
      return Number(row.n);
    });
    batches += 1;
    marks += n;
    if (n === 0) break;
  }
  return { marks, batches };
}

/** The nightly reconcile: marks every clinic's days from `daysBack` ago to `daysAhead` ahead, and every live plan. */
export async function markRecentReportDays(db: Db, daysBack = 35, daysAhead = 90): Promise<number> {
  return db.system(async (em) => {
    const [row] = (await em.query(`SELECT fascia_report_mark_recent($1, $2) AS n`, [daysBack, daysAhead])) as { n: number }[];
    return Number(row.n);
  });
}

/** Marks everything (every clinic day with data or hours, every plan): the first fill after loading data in bulk. */
export async function markAllReportRows(db: Db): Promise<number> {
  return db.system(async (em) => {
    const [row] = (await em.query(`SELECT fascia_report_mark_all() AS n`)) as { n: number }[];
    return Number(row.n);
  });
}
