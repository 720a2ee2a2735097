/** One queued request and the promise its caller awaits. */
export interface Pending<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export interface TurnBatcherOptions<Item, Result> {
  /** Requests per batch at most; a queue this long is flushed at once instead of waiting. */
  maxBatch: number;
  /** Batches being processed at the same time at most; each holds a pooled connection. */
  maxInFlight: number;
  /**
   * Settles every request of `batch`. If it rejects, each request it left unsettled is rejected
   * with that error, so no caller hangs.
   */
  process: (batch: Pending<Item, Result>[]) => Promise<void>;
}

/**
 * Gathers the requests made during one event-loop turn into batches, so the requests that arrive
 * together share one round trip. A batch starts only after each of its requests was made, so its
 * answer reflects every write acknowledged before the call.
 *
 * `close()` processes what is queued and waits for it; requests after that are refused.
 */
export class TurnBatcher<Item, Result> {
  readonly #options: TurnBatcherOptions<Item, Result>;
  #queue: Pending<Item, Result>[] = [];
  #flushScheduled = false;
  #inFlight = 0;
  #closed = false;
  #whenIdle: (() => void)[] = [];

  constructor(options: TurnBatcherOptions<Item, Result>) {
    this.#options = options;
  }

  /** Queues `item` for the next batch; settles once its batch has been processed. */
  add(item: Item): Promise<Result> {
    if (this.#closed) return Promise.reject(new Error("the PostgreSQL store is closed"));
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#queue.length >= this.#options.maxBatch) {
        this.#flush();
      } else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // After the I/O callbacks of this turn, so the requests that arrived together share a batch.
        setImmediate(() => {
          this.#flushScheduled = false;
          this.#flush();
        });
      }
    });
  }

  /** Refuses new requests, then resolves once every queued request has settled. */
  close(): Promise<void> {
    this.#closed = true;
    this.#flush();
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenIdle.push(resolve));
  }

  /** Starts batches from the queue while fewer than `maxInFlight` are being processed. */
  #flush(): void {
    const { maxBatch, maxInFlight, process } = this.#options;
    while (this.#inFlight < maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, maxBatch);
      this.#inFlight++;
      void process(batch)
        .catch((error: unknown) => {
          for (const pending of batch) pending.reject(error);
        })
        .then(() => {
          this.#inFlight--;
          // What queued up meanwhile has waited long enough: start it now rather than next turn.
          this.#flush();
          if (this.#inFlight === 0) for (const resolve of this.#whenIdle.splice(0)) resolve();
        });
    }
  }
}
