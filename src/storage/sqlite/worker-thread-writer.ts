import type { Worker } from "node:worker_threads";
import { startWorker } from "./start-worker.js";
import type { SqliteWriter, WriteRequest, WriteUnitArgs, WriteUnitName, WriteUnitResult } from "./write-units.js";
import { type WriterMessage, type WriterReply, type WriterThreadOptions, fromWireError } from "./writer-protocol.js";

/** Batches sent and not yet answered, at most: one being committed while the next one fills. */
const maxInFlight = 2;

interface PendingWrite {
  request: WriteRequest;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs the store's writes on a worker thread with its own connection, so the serving thread never
 * spends its time in SQLite's B-tree inserts, WAL appends or commits. The writes of one
 * event-loop turn go over as one message and come back settled after their COMMIT; while a batch
 * is on the writer, the next one gathers (one more may wait behind it), so a busier server makes
 * larger group commits. Reads stay on the serving thread's connection: a write's promise settles
 * after its COMMIT, so every read begun after that sees it (WAL snapshots).
 *
 * If the thread dies, writes never sent to it run on `fallback` (the serving connection); writes
 * it held are rejected, because whether their COMMIT happened is unknown.
 */
export class WorkerThreadWriter implements SqliteWriter {
  /** Writers whose thread runs, for the queue-depth gauge: it reads them at scrape time, so the write path counts nothing. */
  static readonly #running = new Set<WorkerThreadWriter>();

  /** Writes queued for, and being committed by, every running writer thread of the process. */
  static queueDepth(): { queued: number; committing: number } {
    let queued = 0;
    let committing = 0;
    for (const writer of WorkerThreadWriter.#running) {
      queued += writer.#queue.length;
      for (const batch of writer.#inFlight.values()) committing += batch.length;
    }
    return { queued, committing };
  }

  readonly #worker: Worker;
  readonly #fallback: SqliteWriter;
  readonly #onFailure: (error: Error) => void;
  #queue: PendingWrite[] = [];
  readonly #inFlight = new Map<number, PendingWrite[]>();
  #nextBatchId = 1;
  #sendScheduled = false;
  #ready = false;
  #stopped = false;
  #closing: Promise<void> | null = null;
  #whenIdle: Array<() => void> = [];

  constructor(options: WriterThreadOptions, fallback: SqliteWriter, onFailure: (error: Error) => void = () => {}) {
    this.#fallback = fallback;
    this.#onFailure = onFailure;
    this.#worker = startWorker(new URL("./write-worker.js", import.meta.url), options);
    this.#worker.unref();
    this.#worker.on("message", (reply: WriterReply) => this.#onReply(reply));
    this.#worker.on("error", (error) => this.#fail(error));
    this.#worker.on("exit", (code) => this.#fail(new Error(`the SQLite writer thread exited with code ${code}`)));
    WorkerThreadWriter.#running.add(this);
  }

  run<K extends WriteUnitName>(name: K, args: WriteUnitArgs<K>): Promise<WriteUnitResult<K>> {
    if (this.#closing) return Promise.reject(new Error("the SQLite store is closed"));
    if (this.#stopped) return this.#fallback.run(name, args);
    return new Promise<WriteUnitResult<K>>((resolve, reject) => {
      this.#queue.push({ request: { name, args } as WriteRequest, resolve: resolve as (value: unknown) => void, reject });
      this.#scheduleSend();
    });
  }

  /** False once the thread has stopped: it failed (writes then run on the fallback) or the writer was closed. */
  get active(): boolean {
    return !this.#stopped;
  }

  setAutocheckpoint(pages: number): void {
    this.#fallback.setAutocheckpoint(pages);
    if (!this.#stopped) this.#post({ type: "autocheckpoint", pages });
  }

  /** Sends what is queued, waits for every answer, closes the thread's connection, then the fallback's queue. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#stopped) {
        await new Promise<void>((resolve) => {
          this.#whenIdle.push(resolve);
          this.#send();
          this.#settleIdleWaiters();
        });
      }
      if (!this.#stopped) {
        const exited = new Promise<void>((resolve) => this.#worker.once("exit", () => resolve()));
        this.#stopped = true; // from here on the thread's exit is expected, not a failure
        WorkerThreadWriter.#running.delete(this);
        this.#worker.ref();
        this.#post({ type: "close" });
        await exited;
      }
      // Writes that fell back to the serving connection after a failure commit before it closes.
      await this.#fallback.close();
    })();
    return this.#closing;
  }

  #scheduleSend(): void {
    if (this.#sendScheduled || this.#inFlight.size >= maxInFlight) return;
    this.#sendScheduled = true;
    // After this turn's I/O callbacks, so requests that arrived together share one commit.
    setImmediate(() => {
      this.#sendScheduled = false;
      this.#send();
    });
  }

  #send(): void {
    if (this.#stopped || this.#queue.length === 0 || this.#inFlight.size >= maxInFlight) return;
    const batch = this.#queue;
    this.#queue = [];
    const id = this.#nextBatchId++;
    this.#inFlight.set(id, batch);
    // Referenced while it holds work, so a process waiting for a write does not exit under it.
    this.#worker.ref();
    try {
      this.#post({ type: "batch", id, requests: batch.map((pending) => pending.request) });
    } catch (error) {
      // Arguments that cannot be cloned: nothing reached the writer.
      this.#inFlight.delete(id);
      for (const pending of batch) pending.reject(error);
      this.#afterBatch();
    }
  }

  #post(message: WriterMessage): void {
    this.#worker.postMessage(message);
  }

  #onReply(reply: WriterReply): void {
    if (reply.type === "ready") {
      this.#ready = true;
      return;
    }
    const batch = this.#inFlight.get(reply.id);
    if (!batch) return;
    this.#inFlight.delete(reply.id);
    reply.settlements.forEach((settlement, index) => {
      const pending = batch[index] as PendingWrite;
      if (settlement.ok) pending.resolve(settlement.value);
      else pending.reject(fromWireError(settlement.error));
    });
    this.#afterBatch();
  }

  #afterBatch(): void {
    this.#send();
    if (this.#inFlight.size === 0) this.#worker.unref();
    this.#settleIdleWaiters();
  }

  #settleIdleWaiters(): void {
    if (this.#queue.length > 0 || this.#inFlight.size > 0) return;
    const waiters = this.#whenIdle;
    this.#whenIdle = [];
    for (const resolve of waiters) resolve();
  }

  #fail(cause: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    WorkerThreadWriter.#running.delete(this);
    const error = cause instanceof Error ? cause : new Error(String(cause));
    const reason = error.message;
    for (const batch of this.#inFlight.values()) {
      for (const pending of batch) {
        if (!this.#ready) {
          // The thread never opened its connection: nothing of this batch was written.
          this.#runOnFallback(pending);
        } else {
          pending.reject(new Error(`the SQLite writer thread stopped (${reason}); this write may or may not have been committed`));
        }
      }
    }
    this.#inFlight.clear();
    const queued = this.#queue;
    this.#queue = [];
    for (const pending of queued) this.#runOnFallback(pending);
    this.#settleIdleWaiters();
    this.#onFailure(error);
  }

  #runOnFallback(pending: PendingWrite): void {
    const { name, args } = pending.request;
    this.#fallback.run(name, args as never).then(pending.resolve, pending.reject);
  }
}
