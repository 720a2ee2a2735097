import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { adminTokenBanner, bootstrapAdminToken } from "./bootstrap/admin-token.js";
import { describeDatabase } from "./bootstrap/database-location.js";
import { resolveMasterKey } from "./bootstrap/master-key.js";
import type { Config } from "./config/schema.js";
import type { TesseraApp } from "./app.js";
import { openStore } from "./storage/open-store.js";
import type { Store } from "./storage/ports.js";

export interface RunningTessera {
  url: string;
  port: number;
  store: Store;
  /** Stops accepting, waits for in-flight requests up to `shutdownTimeoutMs`, then closes the store. */
  stop(): Promise<void>;
}

/** Human-facing lines (URL, admin token banner) go here; logs go to the logger. */
export type Announce = (text: string) => void;

/** Closes the server gracefully: idle keep-alive sockets at once, busy ones when their response is sent or the timeout ends. */
function closeServer(server: ServerType, timeoutMs: number, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const http = server as import("node:http").Server;
    const timer = setTimeout(() => {
      logger.warn({ timeoutMs }, "shutdown timeout reached; closing the remaining connections");
      http.closeAllConnections();
    }, timeoutMs);
    timer.unref();
    http.close(() => {
      clearTimeout(timer);
      resolve();
    });
    http.closeIdleConnections();
  });
}

/** Wraps the app with an access log that never records query strings or bodies (they may carry secrets). */
function withAccessLog(app: TesseraApp, logger: Logger): (request: Request) => Promise<Response> {
  return async (request) => {
    const started = performance.now();
    const response = await app.fetch(request);
    if (logger.isLevelEnabled("debug")) {
      const path = new URL(request.url).pathname;
      logger.debug({ method: request.method, path, status: response.status, ms: Math.round(performance.now() - started) }, "request");
    }
    return response;
  };
}

/**
 * Everything `tessera serve` does after reading the config: master key, database (migrated when
 * TESSERA_MIGRATE=auto), admin token bootstrap, then the HTTP server.
 */
export async function startTessera(config: Config, logger: Logger, announce: Announce): Promise<RunningTessera> {
  const { sealer } = resolveMasterKey(config, logger);
  const store = await openStore(config.databaseUrl, { migrate: config.migrate === "auto" });
  try {
    const admin = await bootstrapAdminToken(store, config.adminToken, Date.now());
    if (admin.outcome === "generated") {
      announce(adminTokenBanner(admin.token));
      logger.warn("generated an admin token on first start (printed once above; only its hash is stored)");
    } else if (admin.outcome === "configured") {
      logger.info({ created: admin.created }, "admin token from TESSERA_ADMIN_TOKEN is active");
    } else {
      logger.info("an admin token exists from an earlier start (set TESSERA_ADMIN_TOKEN to use one of your own)");
    }
  } catch (error) {
    await store.close();
    throw error;
  }

  const app = createApp({ store, sealer, logger, now: Date.now, config });
  const server = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
    const created = serve({ fetch: withAccessLog(app, logger), port: config.port, hostname: config.host }, (info: AddressInfo) =>
      resolve({ server: created, port: info.port }),
    );
    created.once("error", reject);
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });

  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${server.port}`;
  logger.info({ url, database: describeDatabase(config.databaseUrl) }, "Tessera listening");
  announce(
    [
      `Tessera is listening on ${url}`,
      `  API docs:  ${url}/docs`,
      `  OpenAPI:   ${url}/openapi.json`,
      `  Database:  ${describeDatabase(config.databaseUrl)}`,
      "",
    ].join("\n"),
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    port: server.port,
    store,
    stop() {
      stopping ??= (async () => {
        await closeServer(server.server, config.shutdownTimeoutMs, logger);
        await store.close();
        logger.info("Tessera stopped");
      })();
      return stopping;
    },
  };
}
