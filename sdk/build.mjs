// Builds the package's dist/: index.js and index.d.ts with the TypeScript compiler, and the generated
// schema.d.ts beside them (tsc emits no copy of a .d.ts input, yet index.d.ts imports it). TypeScript
// is resolved from the repository this package lives in; a published tarball carries dist/ already.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

// The package's version is the server's: the types describe that server's API and no other.
const own = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const root = JSON.parse(readFileSync(join(here, "..", "package.json"), "utf8"));
if (own.version !== root.version) {
  console.error(`sdk/package.json has version ${own.version}, Tessera is ${root.version}: make them equal`);
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
execFileSync(process.execPath, [tsc, "-p", join(here, "tsconfig.build.json")], { stdio: "inherit" });
copyFileSync(join(here, "schema.d.ts"), join(dist, "schema.d.ts"));

