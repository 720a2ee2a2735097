import type { NewGrantIssue } from "./pg-issue-batch.js";
import { type Pending, TurnBatcher } from "./turn-batcher.js";

/** How many issues one statement writes at most; a queue this long is written at once instead of waiting. */
export const maxIssueBatch = 256;

/**
 * Batches written at the same time. Two let one batch be built and sent while the previous one
 * waits for its commit's WAL flush, so a steady stream of requests never waits for a whole extra
 * commit; more would only split the queue into smaller batches and take more of the pool's
 * connections from reads and other writes (each batch, and each retry of a failed one, holds one).
 * Two batches holding the same new key wait for each other like any two transactions; the one
 * that fails (or is chosen as a deadlock victim) is retried issue by issue.
 */
const maxBatchesInFlight = 2;

/**
 * Group commit for PostgreSQL token issuance. One transaction per token costs several round trips
 * and a WAL flush each; the issues queued during one event-loop turn are written together instead.
 *
 * - A promise settles only after the statement holding its issue has committed (or, on error,
 *   after its own retry): nothing is acknowledged that a crash could lose.
 * - When a batch fails (a duplicate token hash, say), nothing of it was written, and each of its
 *   issues is retried alone: every caller gets its own success or its own error.
 * - `close()` writes what is queued and waits for it; issues after that are refused.
 */
export class PgIssueBatcher {
  readonly #writeBatch: (batch: NewGrantIssue[]) => Promise<void>;
  readonly #writeOne: (issue: NewGrantIssue) => Promise<void>;
  readonly #batcher: TurnBatcher<NewGrantIssue, void>;

  constructor(writeBatch: (batch: NewGrantIssue[]) => Promise<void>, writeOne: (issue: NewGrantIssue) => Promise<void>) {
    this.#writeBatch = writeBatch;
    this.#writeOne = writeOne;
    this.#batcher = new TurnBatcher({ maxBatch: maxIssueBatch, maxInFlight: maxBatchesInFlight, process: (batch) => this.#write(batch) });
  }

  /** Queues `issue` for the next batch; settles once it is committed or has failed. */
  issue(issue: NewGrantIssue): Promise<void> {
    return this.#batcher.add(issue);
  }

  /** Refuses new issues, then resolves once every queued issue has settled. */
  close(): Promise<void> {
    return this.#batcher.close();
  }

  /** Never rejects: every failure is handed to the promise of the issue it belongs to. */
  async #write(batch: Pending<NewGrantIssue, void>[]): Promise<void> {
    try {
      await this.#writeBatch(batch.map((queued) => queued.item));
    } catch {
      // The batch's own error may belong to any one of its issues; the retries find out whose.
      await Promise.all(batch.map((queued) => this.#writeOne(queued.item).then(queued.resolve, queued.reject)));
      return;
    }
    for (const queued of batch) queued.resolve();
  }
}
