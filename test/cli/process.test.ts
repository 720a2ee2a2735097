// The real entry (bin/tessera.js) as a child process: exit statuses, a closed pipe, and `serve`
// answering the admin commands. Each spawn costs about a second (tsx's start), so there are few,
// run side by side; the other tests run the commands in process.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { listenOnLoopback } from "../helpers/listen.js";
import { json, root, spawnTessera, stackLine, tessera } from "./run.js";

const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

describe("tessera as a process", () => {
  let dir: string;
  let testApp: TestApp;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-cli-process-"));
    testApp = await createTestApp();
    server = await listenOnLoopback(testApp.app);
  });
  afterAll(async () => {
    await server?.close();
    await testApp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("exit statuses: 0 for --version and help, 2 for usage mistakes, 1 for an API error; never a stack", async () => {
    const [versionRun, migrateHelp, missing, apiError] = await Promise.all([
      spawnTessera(["--version"]),
      spawnTessera(["migrate", "--help"], { TESSERA_DATABASE_URL: `sqlite:${join(dir, "help", "x.db")}` }),
      spawnTessera(["client", "get"]),
      spawnTessera(["service", "get", "123456"], { TESSERA_URL: server.url, TESSERA_ADMIN_TOKEN: testApp.adminToken }),
    ]);
    expect(versionRun).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    expect(migrateHelp).toMatchObject({ code: 0, stderr: "" });
    expect(migrateHelp.stdout).toMatch(/^Usage: tessera migrate /);
    expect(existsSync(join(dir, "help"))).toBe(false);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("tessera: missing required argument 'clientId'\n(run `tessera client get --help` for usage)\n");
    expect(apiError).toEqual({ code: 1, stdout: "", stderr: "tessera: HTTP 404: [A002201] No service 123456 exists.\n" });
    for (const result of [versionRun, migrateHelp, missing, apiError]) expect(result.stderr).not.toMatch(stackLine);
  });

  it("a reader that closes the pipe early ends the command quietly (tessera openapi - | head -1)", () => {
    const result = spawnSync("bash", ["-c", `"${process.execPath}" bin/tessera.js openapi - 2>"${join(dir, "stderr")}" | head -1; echo "status=\${PIPESTATUS[0]}"`], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.stdout).toBe("{\nstatus=0\n");
    expect(readFileSync(join(dir, "stderr"), "utf8")).toBe("");
  });

  it("serve answers the admin commands and stops on SIGTERM with status 0", async () => {
    const adminToken = randomBytes(32).toString("base64url");
    const child = spawn(process.execPath, [join(root, "bin/tessera.js"), "serve"], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TESSERA_PORT: "0",
        TESSERA_HOST: "127.0.0.1",
        TESSERA_DATABASE_URL: `sqlite:${join(dir, "serve", "tessera.db")}`,
        TESSERA_MASTER_KEY: randomBytes(32).toString("base64url"),
        TESSERA_ADMIN_TOKEN: adminToken,
        TESSERA_LOG_LEVEL: "error",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Tessera is listening on (http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.stderr.on("data", (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.on("exit", () => reject(new Error(`serve exited before listening:\n${output}`)));
      });
      const env = { TESSERA_URL: url, TESSERA_ADMIN_TOKEN: adminToken };
      // The commands run in this process: the spawns above already cover the entry itself.
      const created = await tessera(["service", "create", "--name", "Served", "--issuer", "https://served.example"], env);
      expect(created).toMatchObject({ code: 0, stderr: "" });
      const listed = await tessera(["service", "list", "-o", "table"], env);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(new RegExp(`^${json(created).apiKey}\\s+Served\\s+https://served\\.example`, "m"));
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
