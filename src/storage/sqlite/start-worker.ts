import { Worker } from "node:worker_threads";

/** True when this process runs the TypeScript sources (tsx, vitest) rather than the compiled dist/. */
const fromSources = import.meta.url.endsWith(".ts");

/**
 * Starts the worker module `module`, named by its compiled `.js` file as imports name it
 * (`new URL("./write-worker.js", import.meta.url)`). In dist/ that file runs as it is. From the
 * TypeScript sources it is the `.ts` file beside it, which a worker thread cannot load by itself
 * (threads do not inherit the parent's loader), so ts-worker-boot.mjs loads it through tsx.
 * Either way the module reads `workerData` as given here.
 */
export function startWorker(module: URL, workerData: unknown): Worker {
  if (!fromSources) return new Worker(module, { workerData });
  const source = new URL(module.href.replace(/\.js$/, ".ts"));
  return new Worker(new URL("./ts-worker-boot.mjs", import.meta.url), { workerData, argv: [source.href] });
}
