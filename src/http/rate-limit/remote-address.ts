import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";

/** The key of requests whose peer is unknown (in-process `app.request()` calls): they share one bucket. */
export const UNKNOWN_ADDRESS = "unknown";

/**
 * The TCP peer of the request, from @hono/node-server's connection info. Forwarded-for headers are
 * not trusted: behind a proxy every request appears to come from the proxy (docs/rate-limits.md).
 */
export function remoteAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? UNKNOWN_ADDRESS;
  } catch {
    return UNKNOWN_ADDRESS;
  }
}
