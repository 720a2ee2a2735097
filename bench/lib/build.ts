import { execFileSync } from "node:child_process";
import { basename } from "node:path";
import { buildSync } from "esbuild";

/**
 * Every measured server runs as plain JavaScript, as in production: Tessera from `dist/` built by
 * `npm run build` (what `npm start` runs first), the peer's and the ceiling's small TypeScript
 * launchers compiled the same way into `bench/.build/`. Running under a TypeScript loader would
 * add its memory and its helpers to every figure.
 */

/** Builds `dist/` exactly as `npm start` does, once per bench run. */
export function buildTessera(): void {
  execFileSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
}

/** Compiles one launcher (its own code only; packages are loaded from node_modules) and returns its path. */
export function compileLauncher(entry: string): string {
  const outfile = `bench/.build/${basename(entry).replace(/\.ts$/, ".js")}`;
  buildSync({ entryPoints: [entry], outfile, bundle: true, packages: "external", platform: "node", format: "esm", target: "node20", logLevel: "warning" });
  return outfile;
}
