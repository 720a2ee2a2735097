import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { listenOnLoopback } from "../helpers/listen.js";

/** The README's "Walk-through with curl" script, with its two placeholders taken from the environment instead. */
function walkthroughScript(): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Walk-through with curl"));
  const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (script === undefined) throw new Error("README.md has no sh block under 'Walk-through with curl'");
  const placeholders = [/^export TESSERA=.*$/m, /^export ADMIN_TOKEN=.*$/m];
  for (const line of placeholders) if (!line.test(script)) throw new Error(`README walk-through lost its line ${line}`);
  return placeholders.reduce((text, line) => text.replace(line, ""), script);
}

/**
 * Runs the script as its reader would, with `bash` (not its rc files: a pipe on stdin makes bash think it was started by a
 * remote shell and read ~/.bashrc) and a temporary directory of its own, and tells what it left there: its secrets must not stay.
 */
async function runWalkthrough(tessera: string, adminToken: string) {
  const temporary = mkdtempSync(join(tmpdir(), "tessera-readme-"));
  try {
    const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        "bash",
        ["--norc", "-c", walkthroughScript()],
        { env: { PATH: process.env.PATH, TESSERA: tessera, ADMIN_TOKEN: adminToken, TMPDIR: temporary }, encoding: "utf8", timeout: 60_000 },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    return { ...run, leftBehind: readdirSync(temporary) };
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

describe("the README's walk-through, run as written", () => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    t = await createTestApp();
    server = await listenOnLoopback(t.app);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it("reaches a client_credentials token and introspects it", async () => {
    const run = await runWalkthrough(server.url, t.adminToken);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [action, responseContent, usable, standard] = run.stdout.trim().split("\n");
    expect(action).toBe("OK");
    expect(JSON.parse(responseContent!)).toMatchObject({ token_type: "Bearer", scope: "profile", expires_in: expect.any(Number) });
    expect(usable).toBe("true");
    expect(JSON.parse(standard!)).toMatchObject({ active: true, scope: "profile" });
    expect(run.leftBehind).toEqual([]);
  });

  it("stops at the first failed step with its message, leaving nothing of what it made behind", async () => {
    const run = await runWalkthrough(server.url, "not-the-admin-token-0123456789abcdef");
    expect(run.status).not.toBe(0);
    // curl's status line and Tessera's answer, on stderr; no later step ran on an undefined service id.
    expect(run.stderr).toContain("401");
    expect(run.stderr).toContain("A001203");
    expect(run.stdout).toBe("");
    expect(run.leftBehind).toEqual([]);
  });
});
