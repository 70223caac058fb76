/**
 * A counting semaphore: at most `limit` calls of `run` at once in this process, the others
 * waiting in order. The worker holds every reminder send (a `reminder.send` job's, or one
 * reminder of a `reminder.send-batch` job) to WORKER_CONCURRENCY at once with one of these, so
 * the messages in hand at a crash — the SMTP gap of "Guarantees, and where they end" — stay
 * bounded by the concurrency however many reminders the batch jobs in hand carry.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`Limiter: limit must be a whole number ≥ 1, got ${limit}`);
  }

  /** Calls running now (for tests). */
  get running(): number {
    return this.active;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next caller (active stays the same), or is freed.
      if (next) next();
      else this.active--;
    }
  }
}
