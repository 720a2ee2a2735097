import { execFile } from "node:child_process";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run-cli.js";

export const root = new URL("../..", import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The JSON a command printed. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`the command failed with status ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * Runs `tessera …` in this process with captured output: most tests need only the command's
 * behaviour, and a child process costs about a second of tsx start each.
 */
export async function tessera(args: string[], env: NodeJS.ProcessEnv = {}, stdin = ""): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    env,
    readStdin: async () => stdin,
    fetch: globalThis.fetch,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/**
 * Runs the real `bin/tessera.js` as a child process, asynchronously so that a server in this
 * process can answer it. Only PATH and HOME pass from this environment.
 */
export function spawnTessera(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "bin/tessera.js"), ...args],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: "utf8", timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** What a stack trace looks like in Node's output. */
export const stackLine = /^\s+at .+[:(]/m;
