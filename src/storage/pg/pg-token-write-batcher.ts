import type { NewGrantTokenWrite } from "./pg-token-write-batch.js";
import { type Pending, TurnBatcher } from "./turn-batcher.js";

/** How many token writes one statement holds at most; a queue this long is written at once instead of waiting. */
export const maxTokenWriteBatch = 256;

/**
 * Batches written at the same time. Two let one batch be built and sent while the previous one
 * waits for its commit's WAL flush, so a steady stream of requests never waits for a whole extra
 * commit; more would only split the queue into smaller batches and take more of the pool's
 * connections from reads and other writes (each batch, and each retry of a failed one, holds one).
 * Two batches holding the same new key wait for each other like any two transactions; the one
 * that fails (or is chosen as a deadlock victim) is retried write by write.
 */
const maxBatchesInFlight = 2;

/**
 * Group commit for PostgreSQL token writes. One transaction per token costs several round trips
 * and a WAL flush each; the writes queued during one event-loop turn are written together instead.
 *
 * - A promise settles only after the statement holding its write has committed (or, on error,
 *   after its own retry): nothing is acknowledged that a crash could lose.
 * - When a batch fails (a duplicate token hash, say), nothing of it was written, and each of its
 *   writes is retried alone: every caller gets its own success or its own error.
 * - `close()` writes what is queued and waits for it; writes after that are refused.
 */
export class PgTokenWriteBatcher {
  readonly #writeBatch: (batch: NewGrantTokenWrite[]) => Promise<void>;
  readonly #writeOne: (write: NewGrantTokenWrite) => Promise<void>;
  readonly #batcher: TurnBatcher<NewGrantTokenWrite, void>;

  constructor(writeBatch: (batch: NewGrantTokenWrite[]) => Promise<void>, writeOne: (write: NewGrantTokenWrite) => Promise<void>) {
    this.#writeBatch = writeBatch;
    this.#writeOne = writeOne;
    this.#batcher = new TurnBatcher({ maxBatch: maxTokenWriteBatch, maxInFlight: maxBatchesInFlight, process: (batch) => this.#write(batch) });
  }

  /** Queues `write` for the next batch; settles once it is committed or has failed. */
  queue(write: NewGrantTokenWrite): Promise<void> {
    return this.#batcher.add(write);
  }

  /** Refuses new writes, then resolves once every queued write has settled. */
  close(): Promise<void> {
    return this.#batcher.close();
  }

  /** Never rejects: every failure is handed to the promise of the write it belongs to. */
  async #write(batch: Pending<NewGrantTokenWrite, void>[]): Promise<void> {
    try {
      await this.#writeBatch(batch.map((queued) => queued.item));
    } catch {
      // The batch's own error may belong to any one of its writes; the retries find out whose.
      await Promise.all(batch.map((queued) => this.#writeOne(queued.item).then(queued.resolve, queued.reject)));
      return;
    }
    for (const queued of batch) queued.resolve();
  }
}
