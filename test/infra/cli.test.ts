import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderOpenApiSpec } from "../../src/cli/commands/openapi.js";
import { openStore } from "../../src/storage/open-store.js";

const root = new URL("../..", import.meta.url).pathname;

function tessera(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(root, "bin/tessera.js"), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("tessera CLI", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-cli-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("migrate creates the schema of a new SQLite database and exits 0", async () => {
    const file = join(dir, "fresh", "tessera.db");
    const result = tessera(["migrate"], { TESSERA_DATABASE_URL: `sqlite:${file}` });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Migrations applied to SQLite ${file}`);
    const store = await openStore(`sqlite:${file}`, { migrate: false });
    expect(await store.hasAdminToken()).toBe(false);
    await store.close();
    // migrate never bootstraps secrets: no key file, no admin token.
    expect(existsSync(`${file}.master-key`)).toBe(false);
  });

  it("migrate reports a bad database URL by its variable", () => {
    const result = tessera(["migrate"], { TESSERA_DATABASE_URL: "mysql://db/x" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("TESSERA_DATABASE_URL:");
  });

  it("openapi writes the same document the code produces, without a database", () => {
    const file = join(dir, "spec", "openapi.json");
    const result = tessera(["openapi", file], { TESSERA_DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(result.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(renderOpenApiSpec());
  });

  it("janitor deletes nothing on a fresh database and reports the counts", () => {
    const result = tessera(["janitor", "50"], { TESSERA_DATABASE_URL: join(dir, "tessera.db") });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("accessTokens: 0");
    expect(result.stdout).toContain("tickets: 0");
  });

  it("rejects a bad janitor batch size and an unknown command with the usage text and status 2", () => {
    const bad = tessera(["janitor", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("batch size must be a positive integer");
    const unknown = tessera(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command: frobnicate");
    expect(unknown.stderr).toContain("Usage: tessera <command>");
    const none = tessera([]);
    expect(none.code).toBe(2);
  });
});
