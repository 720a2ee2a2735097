import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Spawned, spawnMain, waitFor } from "./support-process.js";

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
