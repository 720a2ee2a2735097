import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnMain(env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk) => {
    out += String(chunk);
  });
  child.stderr!.on("data", (chunk) => {
    err += String(chunk);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the tessera process", () => {
  let dir: string;
  let running: Spawned | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-process-"));
  });
  afterEach(() => {
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts on a fresh SQLite database, serves, and exits 0 on SIGTERM", async () => {
    running = spawnMain({ TESSERA_PORT: "0", TESSERA_DATABASE_URL: join(dir, "data", "tessera.db"), TESSERA_SHUTDOWN_TIMEOUT_MS: "2000" });
    const proc = running;
    const url = await waitFor(() => /Tessera is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.stdout())?.[1], "the listening line");
    expect(proc.stdout()).toMatch(/^ {4}[A-Za-z0-9_-]{43}$/m);
    expect(proc.stdout()).toContain(`${url}/docs`);

    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });

    const started = Date.now();
    proc.child.kill("SIGTERM");
    const { code } = await proc.exit;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(proc.stdout()).toContain('"msg":"Tessera stopped"');
  });

  it("exits 1 naming the bad setting, without a stack trace", async () => {
    running = spawnMain({ TESSERA_PORT: "not-a-port", TESSERA_DATABASE_URL: join(dir, "tessera.db") });
    const { code } = await running.exit;
    expect(code).toBe(1);
    expect(running.stderr()).toContain("TESSERA_PORT:");
    expect(running.stderr()).not.toMatch(/\n\s+at /);
  });

  it("refuses PostgreSQL without a master key before touching the database", async () => {
    running = spawnMain({ TESSERA_PORT: "0", TESSERA_DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    const { code } = await running.exit;
    expect(code).toBe(1);
    expect(running.stderr()).toMatch(/TESSERA_MASTER_KEY: must be set/);
    expect(running.stderr()).not.toMatch(/\n\s+at /);
  });
});
