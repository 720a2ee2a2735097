import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import type { CheckpointWorkerOptions } from "./background-checkpoint.js";

/**
 * The checkpoint thread of BackgroundCheckpoint: its own connection to the same file,
 * checkpointing on a timer. A passive checkpoint never lets the WAL start over while commits keep
 * coming (SQLite rewinds it only when a write begins after everything was copied), so under
 * sustained writes the file grows without bound (4 GB after 50 s of token writes in a
 * measurement). Once it holds more than `restartAfterFrames`, a RESTART checkpoint waits for the
 * current write batch, copies the few frames the passive runs left, and makes the next writer
 * rewind the WAL. Writers wait for that short copy (their busy timeout), the price of a bounded file.
 */
if (!parentPort) throw new Error("checkpoint-worker.ts runs only as a worker thread");
const port = parentPort;
const options = workerData as CheckpointWorkerOptions;
const db = new Database(options.filename);
db.pragma("busy_timeout = 1000");

/** A row of `PRAGMA wal_checkpoint`: `log` is the number of frames in the WAL. */
interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const timer = setInterval(() => {
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)") as CheckpointResult[];
    if (result && result.log > options.restartAfterFrames) db.pragma("wal_checkpoint(RESTART)");
  } catch {
    // A busy database is checkpointed next time.
  }
}, options.intervalMs);
port.postMessage("running");

port.on("message", () => {
  clearInterval(timer);
  db.close();
  port.close();
});
