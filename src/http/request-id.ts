import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import type { AppEnv } from "./env.js";

/**
 * The id that ties a request's log lines and internal-error message together: the caller's
 * `X-Request-Id` (first 64 characters) or a random UUID. Made on first use, since most requests
 * never log; the same value every time after.
 */
export function requestIdOf(c: Context<AppEnv>): string {
  let id = c.get("requestId");
  if (id === undefined) {
    id = c.req.header("x-request-id")?.slice(0, 64) ?? randomUUID();
    c.set("requestId", id);
  }
  return id;
}
