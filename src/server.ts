import type { AddressInfo } from "node:net";
import { type Http2Bindings, type HttpBindings, type ServerType, serve } from "@hono/node-server";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { adminTokenBanner, bootstrapAdminToken } from "./bootstrap/admin-token.js";
import { describeDatabase } from "./config/database-url.js";
import { resolveMasterKey } from "./bootstrap/master-key.js";
import { StartupError, duringStartup } from "./bootstrap/startup-error.js";
import type { Config } from "./config/schema.js";
import { type ApiRateLimiting, createRateLimiting } from "./http/rate-limit/rate-limiting.js";
import type { TesseraApp } from "./app.js";
import { type MetricsListener, startMetricsListener } from "./http/observability/metrics-endpoint.js";
import { createObservability } from "./http/observability/observability.js";
import { withCache } from "./storage/caching-store.js";
import { invalidationFeedOf, logInvalidationFeedEvent } from "./storage/invalidation-feed.js";
import { observeStore } from "./storage/observed-store.js";
import { openStore } from "./storage/open-store.js";
import type { Store } from "./storage/ports.js";

export interface RunningTessera {
  url: string;
  port: number;
  store: Store;
  /** The metrics listener's URL when TESSERA_METRICS=port. */
  metricsUrl?: string;
  /** Stops accepting, waits for in-flight requests up to `shutdownTimeoutMs`, then closes the store. */
  stop(): Promise<void>;
}

/** Human-facing lines (URL, admin token banner) go here; logs go to the logger. */
export type Announce = (text: string) => void;

/** Set when shutdown begins: responses then ask clients to close their keep-alive connection. */
interface Draining {
  active: boolean;
}

/**
 * Closes the server gracefully: no new connections; idle keep-alive sockets close at once and
 * busy ones as soon as their response is sent; whatever is left when the timeout ends is cut.
 */
function closeServer(server: ServerType, draining: Draining, timeoutMs: number, logger: Logger): Promise<void> {
  draining.active = true;
  return new Promise((resolve) => {
    const http = server as import("node:http").Server;
    // Node closes idle sockets only when close() is called; a socket that becomes idle later would
    // otherwise wait for its keep-alive timeout.
    const sweeper = setInterval(() => http.closeIdleConnections(), 50);
    const timer = setTimeout(() => {
      logger.warn({ timeoutMs }, "shutdown timeout reached; closing the remaining connections");
      http.closeAllConnections();
    }, timeoutMs);
    http.close(() => {
      clearInterval(sweeper);
      clearTimeout(timer);
      resolve();
    });
    http.closeIdleConnections();
  });
}

/** The app as the node server calls it, with an access log that never records query strings or bodies (they may carry secrets). */
function serverHandler(app: TesseraApp, logger: Logger, draining: Draining): (request: Request, env: HttpBindings | Http2Bindings) => Promise<Response> {
  return async (request, env) => {
    const started = performance.now();
    // The bindings carry the socket: rate limits read the peer address from them (getConnInfo).
    const response = await app.fetch(request, env);
    if (draining.active) response.headers.set("connection", "close");
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
  const database = describeDatabase(config.databaseUrl);
  const { sealer } = await duringStartup("cannot prepare the master key", () => resolveMasterKey(config, logger));
  const observability = createObservability(config);
  const opened = await duringStartup(`cannot open the database (${database})`, () =>
    openStore(config.databaseUrl, {
      migrate: config.migrate === "auto",
      checkpointInBackground: true,
      writeOnWorkerThread: true,
      onWriterThreadFailure: (error) =>
        logger.error({ err: error }, "the SQLite writer thread stopped; writes continue on the serving thread"),
      onInvalidationFeedEvent: logInvalidationFeedEvent(logger),
    }),
  );
  // Access tokens are cached only where this process makes every token write (SQLite: one serving process per file).
  const accessTokenTtlMs = opened.dialect === "sqlite" ? Math.max(config.cacheTtlMs, 60_000) : 0;
  // Below the cache, so store metrics and spans are of database calls only.
  const observed = observeStore(opened, { ...(observability.metrics?.storeObservers() ?? { methodObserver: null, tokensIssued: null }), tracer: observability.tracer });
  observability.metrics?.watchStore(opened);
  const cacheStats = observability.metrics?.cacheStats;
  // Other nodes' writes on a shared PostgreSQL database reach the cache at once.
  const feed = invalidationFeedOf(opened);
  const store =
    config.cacheTtlMs > 0
      ? withCache(observed, {
          ttlMs: config.cacheTtlMs,
          maxEntries: 20_000,
          accessTokenTtlMs,
          ...(cacheStats ? { stats: cacheStats } : {}),
          ...(feed ? { feed } : {}),
        })
      : observed;
  let rateLimiting: ApiRateLimiting;
  try {
    const admin = await duringStartup("cannot set up the admin token", () => bootstrapAdminToken(store, config.adminToken, Date.now()));
    if (admin.outcome === "generated") {
      announce(adminTokenBanner(admin.token));
      logger.warn("generated an admin token on first start (printed once above; only its hash is stored)");
    } else if (admin.outcome === "configured") {
      logger.info({ created: admin.created }, "admin token from TESSERA_ADMIN_TOKEN is active");
    } else {
      logger.info("an admin token exists from an earlier start (set TESSERA_ADMIN_TOKEN to use one of your own)");
    }
    // Built here rather than inside createApp so the server can close its counters' store on stop.
    rateLimiting = createRateLimiting({ config, store, logger, now: Date.now });
  } catch (error) {
    await store.close();
    throw error;
  }
  let metricsListener: MetricsListener | undefined;
  const closeResources = async () => {
    await metricsListener?.close();
    await rateLimiting.limiter?.close();
    await store.close();
  };
  if (config.metrics === "port" && observability.metrics) {
    const metrics = observability.metrics;
    const { metricsHost: host, metricsPort: port, metricsToken: token } = config;
    metricsListener = await startMetricsListener(metrics, { host, port, token }, logger).catch(async (error: unknown) => {
      await closeResources();
      throw new StartupError(`cannot listen for metrics on ${host}:${port} (TESSERA_METRICS_PORT): ${(error as Error).message}`, { cause: error });
    });
  }

  const app = createApp({ store, sealer, logger, now: Date.now, config, rateLimiting }, observability);
  const draining: Draining = { active: false };
  const server = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
    const created = serve({ fetch: serverHandler(app, logger, draining), port: config.port, hostname: config.host }, (info: AddressInfo) =>
      resolve({ server: created, port: info.port }),
    );
    created.once("error", reject);
  }).catch(async (error: unknown) => {
    await closeResources();
    const hint = (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? " (set TESSERA_PORT to a free port)" : "";
    throw new StartupError(`cannot listen on ${config.host}:${config.port}${hint}: ${(error as Error).message}`, { cause: error });
  });

  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${server.port}`;
  logger.info({ url, database, ...(metricsListener ? { metricsUrl: metricsListener.url } : {}) }, "Tessera listening");
  announce(
    [
      `Tessera is listening on ${url}`,
      `  API docs:  ${url}/docs`,
      `  OpenAPI:   ${url}/openapi.json`,
      `  Database:  ${database}`,
      ...(metricsListener ? [`  Metrics:   ${metricsListener.url}`] : []),
      "",
    ].join("\n"),
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    port: server.port,
    store,
    ...(metricsListener ? { metricsUrl: metricsListener.url } : {}),
    stop() {
      stopping ??= (async () => {
        await closeServer(server.server, draining, config.shutdownTimeoutMs, logger);
        await closeResources();
        logger.info("Tessera stopped");
      })();
      return stopping;
    },
  };
}
