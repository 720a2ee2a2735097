import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../../src/storage/open-store.js";

/** One of several threads migrating the same new SQLite file at once (test/storage/migrations.test.ts). */
const { databaseUrl, startLine } = workerData as { databaseUrl: string; startLine: SharedArrayBuffer };
const flags = new Int32Array(startLine);
parentPort!.postMessage({ ready: true });
Atomics.wait(flags, 0, 0);
try {
  const store = await openStore(databaseUrl, { migrate: true });
  await store.ping();
  await store.close();
  parentPort!.postMessage({ outcome: "ok" });
} catch (error) {
  parentPort!.postMessage({ outcome: String(error) });
}
