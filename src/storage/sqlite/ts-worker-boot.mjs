// Used only when running from the TypeScript sources (see start-worker.ts): a worker thread does not
// inherit the parent's TypeScript loader, so this plain module loads the worker's .ts file through tsx.
import { tsImport } from "tsx/esm/api";

await tsImport(process.argv.at(-1), import.meta.url);
