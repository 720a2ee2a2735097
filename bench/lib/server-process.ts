import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

/**
 * Every measured server runs as its own Node process on 127.0.0.1, started as `node <script>` on
 * compiled JavaScript (see build.ts), so CPU and memory figures belong to the server alone.
 */

export interface ServerProcess {
  name: string;
  pid: number;
  baseUrl: string;
  port: number;
  /** Last lines the process wrote, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  name: string;
  /** JavaScript file run with `node`. */
  entry: string;
  args?: string[];
  env?: Record<string, string>;
  port: number;
  /** GET path that answers once the server is ready. */
  readyPath: string;
  nodeArgs?: string[];
  timeoutMs?: number;
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), options.entry, ...(options.args ?? [])],
    {
      env: { ...process.env, ...options.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: number | null = null;
  const exitPromise = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      exited = code ?? -1;
      resolve();
    }),
  );

  const baseUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (exited !== null) throw new Error(`${options.name} exited with ${exited} before it was ready:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.name} not ready after ${options.timeoutMs ?? 30_000} ms:\n${tail}`);
    }
    try {
      const response = await fetch(baseUrl + options.readyPath);
      await response.arrayBuffer();
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    await delay(100);
  }

  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name} has no pid`);
  return {
    name: options.name,
    pid,
    baseUrl,
    port: options.port,
    output: () => tail,
    async stop() {
      if (exited !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
