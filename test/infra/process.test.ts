import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Spawned, spawnMain, waitFor } from "./support-process.js";

const { threadPoolSize } = createRequire(import.meta.url)("../../bin/thread-pool-size.cjs") as {
  threadPoolSize: (env: NodeJS.ProcessEnv, cores?: number) => string;
};

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
    const token = /^ {4}([A-Za-z0-9_-]{43})$/m.exec(proc.stdout())?.[1];
    expect(token).toBeDefined();
    // The banner is the only place: no JSON log line carries the token.
    const logLines = proc.stdout().split("\n").filter((line) => line.startsWith("{"));
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(token!);
    expect(proc.stdout()).toContain(`${url}/docs`);

    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });

    const started = Date.now();
    proc.child.kill("SIGTERM");
    const { code } = await proc.exit;
    expect(code).toBe(0);
    // Well inside TESSERA_SHUTDOWN_TIMEOUT_MS plus process teardown, even on a loaded machine.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(proc.stdout()).toContain('"msg":"Tessera stopped"');
  });

  it("stops gracefully when `npm start` itself gets SIGTERM (the script execs node, so the signal reaches it)", async () => {
    running = spawnMain({ TESSERA_PORT: "0", TESSERA_DATABASE_URL: join(dir, "tessera.db") }, true);
    const proc = running;
    await waitFor(() => /Tessera is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.stdout())?.[1], "the listening line");
    proc.child.kill("SIGTERM");
    const { code } = await proc.exit;
    expect(code).toBe(0);
    expect(proc.stdout()).toContain('"msg":"Tessera stopped"');
  });

  it("sizes libuv's thread pool (where WebCrypto signs) to the cores unless UV_THREADPOOL_SIZE says otherwise", async () => {
    // The pool starts while the server starts (its first async crypto or file call), so its threads exist by the
    // listening line. Through `npm start` (node on the built files): under tsx's loader the pool starts before the entry runs.
    const threadsWith = async (poolSize: string | undefined): Promise<number> => {
      const env: NodeJS.ProcessEnv = { TESSERA_PORT: "0", TESSERA_DATABASE_URL: join(dir, `pool-${poolSize ?? "default"}.db`) };
      if (poolSize !== undefined) env.UV_THREADPOOL_SIZE = poolSize;
      running = spawnMain(env, true);
      const proc = running;
      await waitFor(() => /Tessera is listening on/.exec(proc.stdout())?.[0], "the listening line", 60_000);
      // npm's child: the shell that `exec`ed node.
      const serverPid = readFileSync(`/proc/${proc.child.pid}/task/${proc.child.pid}/children`, "utf8").trim().split(" ")[0];
      const threads = readdirSync(`/proc/${serverPid}/task`).length;
      proc.child.kill("SIGTERM");
      await proc.exit;
      return threads;
    };
    const byDefault = await threadsWith(undefined);
    const withTen = await threadsWith("10");
    expect(withTen - byDefault).toBe(10 - Number(threadPoolSize({})));
    expect(threadPoolSize({})).toBe(String(Math.max(2, availableParallelism())));
    expect(threadPoolSize({ UV_THREADPOOL_SIZE: "7" })).toBe("7");
    expect(threadPoolSize({}, 1)).toBe("2");
    expect(threadPoolSize({}, 16)).toBe("16");
  });

  it("exits 1 naming the bad setting, without a stack trace", async () => {
    running = spawnMain({ TESSERA_PORT: "not-a-port", TESSERA_DATABASE_URL: join(dir, "tessera.db") });
    const { code } = await running.exit;
    expect(code).toBe(1);
    expect(running.stderr()).toContain("TESSERA_PORT:");
    expect(running.stderr()).not.toMatch(/\n\s+at /);
  });

  it("says which database it cannot open, without a stack trace", async () => {
    running = spawnMain({
      TESSERA_PORT: "0",
      TESSERA_DATABASE_URL: "postgres://nobody:secret-pw@127.0.0.1:1/none",
      TESSERA_MASTER_KEY: "k".repeat(43),
    });
    const { code } = await running.exit;
    expect(code).toBe(1);
    expect(running.stderr()).toContain("tessera: cannot open the database (PostgreSQL postgres://nobody:***@127.0.0.1:1/none): ");
    expect(running.stderr()).toContain("ECONNREFUSED");
    expect(running.stderr()).not.toContain("secret-pw");
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
