import { randomBytes } from "node:crypto";
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
}

export async function startTessera(options: TesseraStart): Promise<TesseraProcess> {
  const port = await freePort();
  const adminToken = randomBytes(32).toString("base64url");
  const server = await startServer({
    name: options.name,
    entry: "dist/main.js",
    port,
    readyPath: "/readyz",
    nodeArgs: options.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : [],
    env: {
      TESSERA_PORT: String(port),
      TESSERA_HOST: "127.0.0.1",
      TESSERA_DATABASE_URL: options.databaseUrl,
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_MASTER_KEY: randomBytes(32).toString("base64url"),
      TESSERA_LOG_LEVEL: "warn",
      TESSERA_MIGRATE: "auto",
    },
  });
  return { ...server, adminToken, databaseUrl: options.databaseUrl };
}
