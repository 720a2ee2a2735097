import { readFileSync } from "node:fs";

/**
 * Where a command reads and writes. The process's own streams in production; tests pass their own,
 * so most commands run in the test process instead of paying a child process's start each.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** The whole of standard input, for `--file -`. */
  readStdin(): Promise<string>;
  fetch: typeof fetch;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    readStdin: async () => readFileSync(0, "utf8"),
    fetch: globalThis.fetch,
  };
}

/**
 * A reader that closed our standard output (`tessera openapi - | head -1`) has all it wanted: end
 * quietly instead of dying on the unhandled EPIPE that the next write raises.
 */
export function exitQuietlyOnClosedPipe(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    process.stderr.write(`tessera: cannot write to standard output: ${error.message}\n`);
    process.exit(1);
  });
  // Nothing useful can be said once standard error is gone too.
  process.stderr.on("error", () => process.exit(process.exitCode ?? 1));
}
