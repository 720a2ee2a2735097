import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Runs in the worker: its own connection to the same file, checkpointing on a timer. A passive
 * checkpoint never lets the WAL start over while commits keep coming (SQLite rewinds it only when
 * a write begins after everything was copied), so under sustained writes the file grows without
 * bound (4 GB after 50 s of token issuance in a measurement). Once it holds more than
 * `restartAfterFrames`, the worker runs a RESTART checkpoint: it waits for the current write
 * batch, copies the few frames the passive runs left, and makes the next writer rewind the WAL.
 * Writers wait for that short copy (their busy timeout), which is the price of a bounded file.
 */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma("busy_timeout = 1000");
const timer = setInterval(() => {
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    if (result && result.log > workerData.restartAfterFrames) db.pragma("wal_checkpoint(RESTART)");
  } catch { /* a busy database is checkpointed next time */ }
}, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** 16 384 frames of 4 KiB pages: the WAL file stays near 100 MB (64 MB plus what arrives between two checks) however long writes go on. */
const defaultRestartAfterFrames = 16_384;

/**
 * Moves WAL checkpoints off the request thread. With `synchronous=NORMAL` a commit never waits for
 * the disk, but SQLite's automatic checkpoint runs inside whichever commit crosses 1 000 WAL pages
 * and fsyncs the database file there, stalling every request behind it. Here the serving
 * connection never checkpoints; a worker thread with its own connection runs passive checkpoints
 * (which never block writers) on a timer. The owner turns SQLite's automatic checkpoints off on its
 * writing connection; `onStopped` tells it when the worker failed, so they come back.
 */
export class BackgroundCheckpoint {
  readonly #worker: Worker;
  #stopped = false;

  constructor(filename: string, onStopped: () => void, intervalMs = 250, restartAfterFrames = defaultRestartAfterFrames) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#worker = new Worker(workerSource, { eval: true, workerData: { driver, filename, intervalMs, restartAfterFrames } });
    this.#worker.unref();
    const fallBack = () => {
      if (!this.#stopped) onStopped();
    };
    this.#worker.on("error", fallBack);
    this.#worker.on("exit", fallBack);
  }

  /** Stops the worker and waits for its connection to close. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const exited = new Promise<void>((resolve) => this.#worker.once("exit", () => resolve()));
    // Unreferenced so it never keeps a process alive; referenced again so the process waits for it here.
    this.#worker.ref();
    this.#worker.postMessage("stop");
    await exited;
  }
}
