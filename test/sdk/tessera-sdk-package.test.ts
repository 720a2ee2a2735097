import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";
import { listenOnLoopback } from "../helpers/listen.js";

const run = promisify(execFile);
const repo = new URL("../../", import.meta.url).pathname;
const sdkDir = join(repo, "sdk");
// The consumer's source is kept as .ts.txt: as a .ts file the repository's own typecheck would try
// to resolve "@tessera/sdk", which exists only in the temporary project.
const consumerDir = new URL("./consumer/", import.meta.url).pathname;

interface PackageJson {
  name: string;
  version: string;
  type?: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as PackageJson;

/**
 * The lock entries of the SDK's runtime dependencies, taken from the repository's lock: with them
 * npm installs from its cache alone (`--offline`), where a range would need the registry's index.
 */
function lockedDependencies(): Record<string, unknown> {
  const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as { packages: Record<string, Record<string, unknown>> };
  const entries: Record<string, unknown> = {};
  const queue = Object.keys(readJson(join(sdkDir, "package.json")).dependencies ?? {});
  while (queue.length > 0) {
    const name = queue.shift()!;
    const entry = lock.packages[`node_modules/${name}`];
    if (!entry || entries[`node_modules/${name}`]) continue;
    const { dev: _dev, devOptional: _devOptional, ...kept } = entry;
    entries[`node_modules/${name}`] = kept;
    queue.push(...Object.keys((entry.dependencies as Record<string, string> | undefined) ?? {}));
  }
  return entries;
}

describe("the SDK as an npm package", () => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  let project: string;
  beforeAll(async () => {
    t = await createTestApp();
    server = await listenOnLoopback(t.app);
    project = mkdtempSync(join(tmpdir(), "tessera-sdk-consumer-"));
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("has the server's version and openapi-fetch as its one runtime dependency", () => {
    const sdk = readJson(join(sdkDir, "package.json"));
    const root = readJson(join(repo, "package.json"));
    expect(sdk.version).toBe(root.version);
    expect(sdk.type).toBe("module");
    expect(sdk.exports?.["."]).toEqual({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    expect(Object.keys(sdk.dependencies ?? {})).toEqual(["openapi-fetch"]);
    expect(sdk.dependencies?.["openapi-fetch"]).toBe(root.devDependencies?.["openapi-fetch"]);
  });

  it("packs, installs offline into a new project, typechecks there and drives a login against a running Tessera", async () => {
    // npm pack runs the package's prepack, the build: dist/ with JavaScript, declarations and schema.d.ts.
    const packed = await run("npm", ["pack", "--silent", "--pack-destination", project], { cwd: sdkDir });
    const tarball = packed.stdout.trim().split("\n").pop()!;
    expect(tarball).toMatch(/^tessera-sdk-.*\.tgz$/);

    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "sdk-consumer", private: true, type: "module" }));
    writeFileSync(
      join(project, "package-lock.json"),
      JSON.stringify({ name: "sdk-consumer", lockfileVersion: 3, requires: true, packages: { "": { name: "sdk-consumer" }, ...lockedDependencies() } }),
    );
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", `./${tarball}`], { cwd: project });
    const installed = join(project, "node_modules", "@tessera", "sdk");
    expect(readdirSync(join(installed, "dist")).sort()).toEqual(["index.d.ts", "index.js", "schema.d.ts"]);
    expect(readdirSync(installed).sort()).toEqual(["README.md", "dist", "package.json"]);

    copyFileSync(join(consumerDir, "login-flow.ts.txt"), join(project, "login-flow.ts"));
    copyFileSync(join(consumerDir, "tsconfig.json"), join(project, "tsconfig.json"));
    const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
    // The typecheck also fails should a @ts-expect-error line compile, i.e. should the types be loose.
    await run(process.execPath, [tsc, "-p", project]).catch((error: { stdout?: string }) => {
      throw new Error(`the consumer does not typecheck against the installed SDK:\n${error.stdout ?? String(error)}`);
    });

    const service = await createService(t.app, t.adminToken, { supportedScopes: [{ name: "openid", defaultEntry: false }] });
    const redirectUri = "https://rp.example/callback";
    const { client, clientSecret } = await createClient(t.app, t.adminToken, service.apiKey, { redirectUris: [redirectUri] });
    const apiToken = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
    const args = [server.url, apiToken, String(service.apiKey), String(client.clientId), clientSecret!, redirectUri];
    const { stdout } = await run(process.execPath, [join(project, "out", "login-flow.js"), ...args], { cwd: project });
    const outcome = JSON.parse(stdout) as Record<string, unknown>;
    expect(outcome).toMatchObject({ issuer: service.issuer, tokenAction: "OK", hasIdToken: true });
    expect(outcome.accessToken).toEqual(expect.any(String));
    expect(outcome.listError).toBeUndefined();
  }, 60_000);
});
