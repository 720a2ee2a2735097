import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { Sealer } from "../crypto/secrets.js";
import type { AppDeps } from "../http/env.js";
import type { Store } from "../storage/ports.js";

/**
 * Dependencies for building the app only to read its route table (the OpenAPI export): no
 * database is opened, and a request that reached storage would fail loudly instead of acting.
 */
export function inertDeps(): AppDeps {
  const store = new Proxy({} as Store, {
    get(_target, property) {
      if (property === "dialect") return "sqlite";
      if (property === "then") return undefined;
      return () => Promise.reject(new Error(`no database: the app was built only to export its OpenAPI document (${String(property)})`));
    },
  });
  return {
    store,
    sealer: new Sealer(randomBytes(32)),
    logger: pino({ level: "silent" }),
    now: Date.now,
    // No counters: nothing is served, and a postgres counter store would open a pool.
    config: { bodyLimitBytes: 1024 * 1024, rateLimitStore: "off" },
  };
}
