import type { Worker } from "node:worker_threads";
import { startWorker } from "./start-worker.js";

/** What checkpoint-worker.ts is started with. */
export interface CheckpointWorkerOptions {
  filename: string;
  intervalMs: number;
  /** WAL frames beyond which the worker runs a RESTART checkpoint so the WAL starts over. */
  restartAfterFrames: number;
}

/** 16 384 frames of 4 KiB pages: the WAL file stays near 100 MB (64 MB plus what arrives between two checks) however long writes go on. */
const defaultRestartAfterFrames = 16_384;

/**
 * Moves WAL checkpoints off the request thread. With `synchronous=NORMAL` a commit never waits for
 * the disk, but SQLite's automatic checkpoint runs inside whichever commit crosses 1 000 WAL pages
 * and fsyncs the database file there, stalling every request behind it. Here the serving
 * connection never checkpoints; a worker thread with its own connection (checkpoint-worker.ts) runs
 * passive checkpoints (which never block writers) on a timer. The owner turns SQLite's automatic
 * checkpoints off on its writing connection; `onStopped` tells it when the worker failed, so they
 * come back.
 */
export class BackgroundCheckpoint {
  readonly #worker: Worker;
  #stopped = false;
  /**
   * Settles once the worker has its connection and checkpoints on its timer, or has stopped.
   * Nothing needs to wait for it; a measurement of the WAL under load does (from the TypeScript
   * sources the thread takes a few hundred milliseconds to load through tsx).
   */
  readonly running: Promise<void>;

  constructor(filename: string, onStopped: () => void, intervalMs = 250, restartAfterFrames = defaultRestartAfterFrames) {
    const options: CheckpointWorkerOptions = { filename, intervalMs, restartAfterFrames };
    this.#worker = startWorker(new URL("./checkpoint-worker.js", import.meta.url), options);
    this.#worker.unref();
    this.running = new Promise((resolve) => {
      this.#worker.once("message", () => resolve());
      this.#worker.once("exit", () => resolve());
    });
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
