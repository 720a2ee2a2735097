import type Database from "better-sqlite3";

/** How many units one transaction holds at most; a full queue is flushed at once instead of waiting. */
const defaultMaxBatch = 256;

type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown };

interface QueuedUnit {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for one better-sqlite3 connection. SQLite has one writer and each commit costs a
 * WAL append, so one transaction per request caps the token endpoint at the commit rate; this
 * runs every unit queued during one event-loop turn in a single `BEGIN IMMEDIATE … COMMIT`.
 *
 * - Each unit runs in its own SAVEPOINT: a unit that throws is rolled back alone and only its
 *   promise rejects; the units after it see the batch's earlier writes, so consume-once
 *   statements still decide one winner.
 * - Promises settle only after COMMIT returned: nothing is acknowledged that a crash could lose.
 *   When BEGIN or COMMIT fails, or the transaction is lost mid-batch, every unit of the batch
 *   rejects and none of its writes remain.
 * - Units are synchronous, so no read on the connection can interleave with an open batch.
 */
export class WriteBatcher {
  readonly #db: Database.Database;
  readonly #maxBatch: number;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  readonly #savepoint: Database.Statement;
  readonly #release: Database.Statement;
  readonly #rollbackToSavepoint: Database.Statement;
  #queue: QueuedUnit[] = [];
  #flushScheduled = false;

  constructor(db: Database.Database, maxBatch = defaultMaxBatch) {
    this.#db = db;
    this.#maxBatch = maxBatch;
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
    this.#savepoint = db.prepare("SAVEPOINT unit");
    this.#release = db.prepare("RELEASE unit");
    this.#rollbackToSavepoint = db.prepare("ROLLBACK TO unit");
  }

  /** Queues `unit` for the next batch; settles with its result or error once the batch has committed. */
  run<T>(unit: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work: unit, resolve: resolve as (value: unknown) => void, reject });
      if (this.#queue.length >= this.#maxBatch) {
        this.flush();
      } else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // After the I/O callbacks of this turn, so the requests that arrived together share a commit.
        setImmediate(() => {
          this.#flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Runs the queued units now, in one transaction (used on close, and when the queue is full). */
  flush(): void {
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    let settlements: Settlement[];
    try {
      settlements = this.commit(batch.map((unit) => unit.work));
    } catch (error) {
      for (const unit of batch) unit.reject(error);
      return;
    }
    batch.forEach((unit, index) => {
      const settlement = settlements[index] as Settlement;
      if (settlement.ok) unit.resolve(settlement.value);
      else unit.reject(settlement.error);
    });
  }

  /**
   * Runs `works` now as one transaction, BEGIN to COMMIT, each in its own savepoint, and returns
   * their settlements in order. Throws when the batch as a whole failed; the connection is then
   * left outside any transaction and none of the batch's writes remain.
   */
  commit(works: ReadonlyArray<() => unknown>): Settlement[] {
    try {
      return this.#execute(works);
    } catch (error) {
      this.#abandonTransaction();
      throw error;
    }
  }

  #execute(works: ReadonlyArray<() => unknown>): Settlement[] {
    this.#begin.run();
    const settlements: Settlement[] = [];
    for (const work of works) {
      const settlement = this.#runInSavepoint(work);
      // SQLite rolls the whole transaction back on some errors (disk full, I/O): the earlier units'
      // writes are gone, and the next units must not run in autocommit mode.
      if (!this.#db.inTransaction) {
        throw settlement.ok ? new Error("the write batch's transaction ended inside a unit") : settlement.error;
      }
      settlements.push(settlement);
    }
    this.#commit.run();
    return settlements;
  }

  #runInSavepoint(work: () => unknown): Settlement {
    this.#savepoint.run();
    try {
      const value = work();
      this.#release.run();
      return { ok: true, value };
    } catch (error) {
      if (this.#db.inTransaction) {
        this.#rollbackToSavepoint.run();
        this.#release.run();
      }
      return { ok: false, error };
    }
  }

  /** After a failed BEGIN, COMMIT or lost transaction: leaves the connection outside any transaction. */
  #abandonTransaction(): void {
    if (!this.#db.open || !this.#db.inTransaction) return;
    try {
      this.#rollback.run();
    } catch {
      // The connection is unusable; the next batch's BEGIN reports the cause to its callers.
    }
  }
}
