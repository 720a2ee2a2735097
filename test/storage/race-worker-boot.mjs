// Worker threads do not inherit vitest's TypeScript transform: load the TypeScript worker through tsx.
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

await tsImport(workerData.entry, import.meta.url);
