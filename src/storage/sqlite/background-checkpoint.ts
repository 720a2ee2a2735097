import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";

/** Runs in the worker: its own connection to the same file, checkpointing on a timer. */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma("busy_timeout = 1000");
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* a busy database is checkpointed next time */ }
}, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

const defaultAutocheckpointPages = 1000;

/**
 * Moves WAL checkpoints off the request thread. With `synchronous=NORMAL` a commit never waits for
 * the disk, but SQLite's automatic checkpoint runs inside whichever commit crosses 1 000 WAL pages
 * and fsyncs the database file there, stalling every request behind it. Here the serving
 * connection never checkpoints; a worker thread with its own connection runs passive checkpoints
 * (which never block writers) on a timer. If the worker fails, automatic checkpoints come back.
 */
export class BackgroundCheckpoint {
  readonly #worker: Worker;
  #stopped = false;

  constructor(db: Database.Database, filename: string, intervalMs = 250) {
    db.pragma("wal_autocheckpoint = 0");
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#worker = new Worker(workerSource, { eval: true, workerData: { driver, filename, intervalMs } });
    this.#worker.unref();
    const fallBack = () => {
      if (!this.#stopped && db.open) db.pragma(`wal_autocheckpoint = ${defaultAutocheckpointPages}`);
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
