import type { Context } from "hono";
import type { AppEnv } from "./env.js";

const JSON_ONLY: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json" });

/**
 * A JSON answer carrying the request's rate-limit fields, as the same bytes `c.json` would send.
 * Its headers are a plain object, never a `Headers`: @hono/node-server then hands them straight
 * to Node, whereas hono's `c.json` with any header set builds an undici `Headers` (validated,
 * then sorted) that the server converts back to an object on every response.
 */
export function jsonResponse(c: Context<AppEnv>, body: unknown, status: number): Response {
  const action = (body as { action?: unknown } | null)?.action;
  if (typeof action === "string") c.set("action", action);
  const limits = c.get("rateLimit");
  if (limits === undefined) return new Response(JSON.stringify(body), { status, headers: JSON_ONLY });
  const headers: Record<string, string> = { "content-type": "application/json", ...limits.headers };
  if (limits.retryAfter !== undefined) headers["retry-after"] = limits.retryAfter;
  const response = new Response(JSON.stringify(body), { status, headers });
  limits.carriedBy = response;
  return response;
}
