import { Limiter } from './limiter';

describe('Limiter', () => {
  it('runs at most `limit` calls at once, the others in order, and passes results and errors through', async () => {
    const limiter = new Limiter(2);
    let peak = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const calls = [0, 1, 2, 3, 4].map((i) =>
      limiter.run(async () => {
        started.push(i);
        peak = Math.max(peak, limiter.running);
        await new Promise<void>((resolve) => gates.push(resolve));
        if (i === 3) throw new Error('three');
        return i;
      }),
    );
    const outcome = Promise.allSettled(calls);
    // Let the first two start, then release calls one by one.
    const settle = () => new Promise((r) => setImmediate(r));
    await settle();
    expect(started).toEqual([0, 1]);
    for (let released = 0; released < 5; released++) {
      gates[released]();
      await settle();
    }
    const results = await outcome;
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 1, 2, 'three', 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(limiter.running).toBe(0);
  });

  it('refuses a limit below 1', () => {
    expect(() => new Limiter(0)).toThrow(/limit/);
  });
});
