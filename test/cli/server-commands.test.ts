import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderCompatibilityDocs, readAuthleteFacts } from "../../src/cli/commands/compat-docs.js";
import { renderConfigDocs } from "../../src/cli/commands/config-docs.js";
import { renderOpenApiSpec } from "../../src/cli/commands/openapi.js";
import { renderResultCodesDocs } from "../../src/cli/commands/result-codes-docs.js";
import { processIo } from "../../src/cli/io.js";
import { buildProgram } from "../../src/cli/run-cli.js";
import { root, stackLine, tessera } from "./run.js";

const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

/** Every command of the tree as its words after `tessera`, groups included. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    return [path, ...commandPaths(child, path)];
  });
}

describe("tessera command line: help, version, server and generator commands", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-cli-server-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--help on every command prints its usage on stdout and exits 0 without running it", async () => {
    const paths = commandPaths(buildProgram(processIo())).filter((path) => path.at(-1) !== "help");
    expect(paths.map((path) => path.join(" "))).toEqual(
      expect.arrayContaining(["serve", "migrate", "janitor", "openapi", "service create", "client update", "apitoken delete", "keys rotate", "token revoke"]),
    );
    const database = join(dir, "help", "never.db");
    for (const path of paths) {
      for (const flag of ["--help", "-h"]) {
        const result = await tessera([...path, flag], { TESSERA_DATABASE_URL: `sqlite:${database}` });
        expect({ path, code: result.code, stderr: result.stderr }).toEqual({ path, code: 0, stderr: "" });
        expect(result.stdout).toMatch(new RegExp(`^Usage: tessera ${path.join(" ")} `));
      }
    }
    // migrate --help (and serve --help, janitor --help) touched no database.
    expect(existsSync(join(dir, "help"))).toBe(false);
  });

  it("`help <command>` is the same as `<command> --help`", async () => {
    const viaHelp = await tessera(["help", "client"]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe((await tessera(["client", "--help"])).stdout);
    expect(viaHelp.stdout).toContain("refresh-secret");
  });

  it("--version and -V print the package version", async () => {
    for (const flag of ["--version", "-V"]) expect(await tessera([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("no command, a bare group or an unknown command is a usage error (2) with the usage on stderr", async () => {
    const none = await tessera([]);
    expect(none).toMatchObject({ code: 2, stdout: "" });
    expect(none.stderr).toContain("Usage: tessera <command> [options]");
    const group = await tessera(["token"]);
    expect(group).toMatchObject({ code: 2, stdout: "" });
    expect(group.stderr).toContain("Usage: tessera token [options] [command]");
    const unknown = await tessera(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^tessera: unknown command: frobnicate\n/);
    const misspelt = await tessera(["clinet"]);
    expect(misspelt.stderr).toContain("(Did you mean client?)");
    const option = await tessera(["--frob"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^tessera: unknown option '--frob'/);
  });

  it("migrate applies the migrations; janitor reports counts and refuses a bad batch size", async () => {
    const env = { TESSERA_DATABASE_URL: `sqlite:${join(dir, "db", "tessera.db")}` };
    const migrated = await tessera(["migrate"], env);
    expect(migrated).toEqual({ code: 0, stdout: `Migrations applied to SQLite ${join(dir, "db", "tessera.db")}\n`, stderr: "" });
    const janitor = await tessera(["janitor", "10"], env);
    expect(janitor.code).toBe(0);
    expect(janitor.stdout).toContain("accessTokens: 0");
    for (const bad of ["0", "-1", "ten", "1.5"]) {
      const result = await tessera(["janitor", bad], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("batch size must be a positive integer");
    }
  });

  it("a bad setting is exit status 1 naming the variable, without a stack", async () => {
    const result = await tessera(["migrate"], { TESSERA_DATABASE_URL: "mysql://db/x" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tessera: /);
    expect(result.stderr).toContain("TESSERA_DATABASE_URL: unsupported scheme");
    expect(result.stderr).not.toMatch(stackLine);
  });

  it("generated-file commands print to stdout unless given a path, and write exactly that there", async () => {
    const generators: Array<[string, () => string]> = [
      ["openapi", renderOpenApiSpec],
      ["config-docs", renderConfigDocs],
      ["result-codes", renderResultCodesDocs],
      ["compat-docs", () => renderCompatibilityDocs(readAuthleteFacts())],
    ];
    for (const [command, render] of generators) {
      const expected = render();
      expect(await tessera([command])).toEqual({ code: 0, stdout: expected, stderr: "" });
      expect((await tessera([command, "-"])).stdout).toBe(expected);
      const file = join(dir, "out", `${command}.txt`);
      expect(await tessera([command, file])).toEqual({ code: 0, stdout: `Wrote ${file}\n`, stderr: "" });
      expect(readFileSync(file, "utf8")).toBe(expected);
    }
  });

  it("npm run generate passes each generator the path of its tracked file", () => {
    const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.openapi).toContain("openapi openapi/openapi.json");
    expect(scripts.generate).toContain("config-docs docs/configuration.md");
    expect(scripts.generate).toContain("result-codes docs/result-codes.md");
    expect(scripts.generate).toContain("compat-docs docs/authlete-compatibility.md");
  });
});
