import { Batcher } from './batcher';

const turn = () => new Promise((r) => setImmediate(r));

describe('Batcher', () => {
  it('sends the requests of one turn of the event loop together, each its own result', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number, number>(
      async (reqs) => {
        batches.push(reqs);
        return reqs.map((r) => (r === 3 ? new Error('three') : r * 10));
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => b.submit(n)));
    expect(batches).toEqual([[1, 2, 3]]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three']);
  });

  it('holds a batch back while `holdWhile` says more requests are coming, and sends them together once none is', async () => {
    const batches: number[][] = [];
    let coming = 3;
    const b = new Batcher<number, true>(
      async (reqs) => {
        batches.push(reqs);
        return reqs.map(() => true as const);
      },
      // A long hold: the batch must go because the last request came, not because the hold ran out.
      { maxBatch: 10, maxInFlight: 2, holdWhile: () => coming > 0, maxHoldMs: 60_000 },
    );
    const submitted: Promise<true>[] = [];
    for (const n of [1, 2, 3]) {
      coming--;
      submitted.push(b.submit(n));
      await turn();
      if (coming > 0) expect(batches).toEqual([]);
    }
    await Promise.all(submitted);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('sends a held batch when it is full, or when the hold has lasted maxHoldMs', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number, true>(
      async (reqs) => {
        batches.push(reqs);
        return reqs.map(() => true as const);
      },
      { maxBatch: 2, maxInFlight: 1, holdWhile: () => true, maxHoldMs: 1 },
    );
    // Two fill a batch (sent at once), the third waits out its hold.
    await Promise.all([1, 2, 3].map((n) => b.submit(n)));
    expect(batches).toEqual([[1, 2], [3]]);
  });
});
