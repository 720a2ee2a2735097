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

/** The part of Node's response object the echo uses (HTTP/1 and HTTP/2 responses both have it). */
interface NodeOutgoing {
  readonly headersSent: boolean;
  setHeader(name: string, value: string): unknown;
}

/**
 * Sends the request id back as `X-Request-Id` when the caller sent one, or when the request made
 * one (it was logged, or named in a 500 answer), so the caller can quote it; answers the id sent.
 * Under the Node server the header goes onto Node's own response, which merges it with the
 * answer's: touching `response.headers` would turn the plain header object of a runtime answer
 * into a `Headers` (see jsonResponse). In-process calls (`app.request`) get it on the Response.
 */
export function echoRequestId(c: Context<AppEnv>, response: Response): string | undefined {
  const id = c.get("requestId") ?? (c.req.header("x-request-id") === undefined ? undefined : requestIdOf(c));
  if (id === undefined) return undefined;
  const outgoing = (c.env as { outgoing?: Partial<NodeOutgoing> } | undefined)?.outgoing;
  if (outgoing !== undefined && typeof outgoing.setHeader === "function" && outgoing.headersSent === false) {
    outgoing.setHeader("x-request-id", id);
  } else {
    try {
      response.headers.set("x-request-id", id);
    } catch {
      // Immutable headers (a Response.redirect): the answer goes out without the echo.
    }
  }
  return id;
}
