import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { freePort, type ServerProcess, startServer } from "../lib/server-process.js";

/**
 * Starts Tessera through its real process entry (`dist/main.js`, what `npm start` runs after building) with a
 * fresh database, a fixed admin token and master key, and logging at `warn` (what an operator
 * runs in production; request logging happens at `debug`).
 */

export interface TesseraProcess extends ServerProcess {
  adminToken: string;
  databaseUrl: string;
}

export interface TesseraStart {
  name: string;
  databaseUrl: string;
  /** Directory for a V8 CPU profile written when the process exits (node --cpu-prof). */
  cpuProfileDir?: string;
  /** Further TESSERA_* settings. */
  env?: Record<string, string>;
  /**
   * Metrics on (TESSERA_METRICS=token) and an OpenTelemetry SDK registered (otel-sdk.mjs: every request
   * sampled, spans batched and dropped), as an operator running with both would (`--observability`).
   */
  observability?: boolean;
}

/** What `--observability` adds to a Tessera process. */
function observabilitySetup(enabled: boolean): { nodeArgs: string[]; env: Record<string, string> } {
  if (!enabled) return { nodeArgs: [], env: {} };
  return {
    nodeArgs: ["--import", pathToFileURL(resolve("bench/tessera/otel-sdk.mjs")).href],
    // TESSERA_TRACING=off in the bench's environment keeps the SDK registered with Tessera's spans off, to tell their costs apart.
    env: { TESSERA_METRICS: "token", TESSERA_METRICS_TOKEN: randomBytes(32).toString("base64url"), TESSERA_TRACING: process.env.TESSERA_TRACING ?? "on" },
  };
}

/** The Node options `npm start` passes (`exec node <options> dist/main.js` in package.json), so the bench runs what users run. */
function startNodeOptions(): string[] {
  const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
  const match = /^exec node (.*?)\s*dist\/main\.js$/.exec(scripts.start ?? "");
  if (!match) throw new Error(`unexpected start script: ${scripts.start}`);
  return match[1] ? match[1].split(/\s+/) : [];
}

export async function startTessera(options: TesseraStart): Promise<TesseraProcess> {
  const port = await freePort();
  const adminToken = randomBytes(32).toString("base64url");
  const observability = observabilitySetup(options.observability ?? false);
  const server = await startServer({
    name: options.name,
    entry: "dist/main.js",
    port,
    readyPath: "/readyz",
    nodeArgs: [
      ...startNodeOptions(),
      ...observability.nodeArgs,
      ...(options.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : []),
    ],
    env: {
      TESSERA_PORT: String(port),
      TESSERA_HOST: "127.0.0.1",
      TESSERA_DATABASE_URL: options.databaseUrl,
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_MASTER_KEY: randomBytes(32).toString("base64url"),
      TESSERA_LOG_LEVEL: "warn",
      TESSERA_MIGRATE: "auto",
      ...observability.env,
      ...options.env,
    },
  });
  return { ...server, adminToken, databaseUrl: options.databaseUrl };
}
