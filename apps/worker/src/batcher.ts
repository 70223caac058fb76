/**
 * A per-process micro-batcher (DataLoader-style "group commit"): requests submitted while a
 * batch is in flight wait for it and go together in the next one, so the statements of all
 * the jobs in flight in a process become one statement per step (load, claim, settle) and
 * one round trip. A request alone is flushed on the next turn of the event loop
 * (`setImmediate`), so a quiet worker waits for nothing.
 *
 * `run` gets the requests of one batch and returns one result per request, in order (or an
 * Error for that request alone); if it throws, every request of the batch gets the error.
 * Requests with the same `key` never share a batch (the second waits for the next one), so a
 * batch statement never touches one row twice.
 */
export interface BatcherOptions<Req> {
  /** Requests per batch at most. */
  maxBatch: number;
  /** Batches running at once at most (each holds one connection). */
  maxInFlight: number;
  key?: (req: Req) => string;
  /**
   * Holds a batch back while this says more requests are on their way (the settles of messages
   * still being sent), until the batch is full or `maxHoldMs` has passed since the hold began:
   * one larger statement instead of several as each reply comes in.
   */
  holdWhile?: () => boolean;
  /** The longest a batch is held back by `holdWhile` (ms); default 5. */
  maxHoldMs?: number;
}

interface Pending<Req, Res> {
  req: Req;
  resolve: (res: Res) => void;
  reject: (err: unknown) => void;
}

export class Batcher<Req, Res> {
  /** Batches run and requests they carried, by every batcher of the process (the bench prints them). */
  static readonly stats = { batches: 0, requests: 0 };
  private readonly queue: Pending<Req, Res>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private holdTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly run: (reqs: Req[]) => Promise<(Res | Error)[]>,
    private readonly opts: BatcherOptions<Req>,
  ) {}

  submit(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight || this.queue.length === 0) return;
    if (this.opts.holdWhile && this.queue.length < this.opts.maxBatch && this.opts.holdWhile()) {
      this.holdTimer ??= setTimeout(() => {
        this.holdTimer = null;
        this.release();
      }, this.opts.maxHoldMs ?? 5);
      return;
    }
    this.release();
  }

  /** Flushes on the next turn of the event loop, as many batches as may run. */
  private release(): void {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight || this.queue.length === 0) return;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) void this.flush(this.take());
    });
  }

  /** Up to maxBatch requests from the front of the queue, no two with the same key. */
  private take(): Pending<Req, Res>[] {
    const key = this.opts.key;
    if (!key) return this.queue.splice(0, this.opts.maxBatch);
    const batch: Pending<Req, Res>[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.opts.maxBatch; ) {
      const k = key(this.queue[i].req);
      if (seen.has(k)) {
        i++;
        continue;
      }
      seen.add(k);
      batch.push(...this.queue.splice(i, 1));
    }
    return batch;
  }

  private async flush(batch: Pending<Req, Res>[]): Promise<void> {
    this.inFlight++;
    Batcher.stats.batches++;
    Batcher.stats.requests += batch.length;
    try {
      const results = await this.run(batch.map((p) => p.req));
      batch.forEach((p, i) => {
        const r = results[i];
        if (r instanceof Error) p.reject(r);
        else p.resolve(r);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
