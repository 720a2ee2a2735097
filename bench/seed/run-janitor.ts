import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cpuSeconds } from "../lib/process-stats.js";

/**
 * Runs the real `tessera janitor` command (dist/cli/index.js janitor) as its own process
 * against a database a server is using, and reports how long it took, how many rows it deleted
 * and the CPU it used.
 */

export interface JanitorRun {
  seconds: number;
  deletedRows: number;
  cpuSeconds: number;
  output: string;
}

/** Runs `tessera janitor` with its default batch size, as an operator's cron job would. */
export function runJanitor(databaseUrl: string): Promise<JanitorRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ["dist/cli/index.js", "janitor"], {
    env: { ...process.env, TESSERA_DATABASE_URL: databaseUrl, TESSERA_MIGRATE: "off", TESSERA_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  // The process's CPU time is only readable while it exists: sample it until it exits.
  let lastCpu = 0;
  const sampler = setInterval(() => {
    if (child.pid !== undefined && existsSync(`/proc/${child.pid}/stat`)) {
      try {
        lastCpu = cpuSeconds(child.pid);
      } catch {
        // exited between the check and the read
      }
    }
  }, 100);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) {
        reject(new Error(`janitor exited with ${code}:\n${output}`));
        return;
      }
      const deletedRows = [...output.matchAll(/^\s+\w+: (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
      resolve({ seconds, deletedRows, cpuSeconds: lastCpu, output });
    });
  });
}
