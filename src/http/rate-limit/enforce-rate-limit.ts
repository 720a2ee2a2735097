import type { Context } from "hono";
import { resultBody } from "../../core/result-codes.js";
import type { RateLimitCategory } from "../../domain/rate-limits.js";
import type { ApiCaller, AppEnv } from "../env.js";
import { jsonResponse } from "../json-response.js";
import type { RateLimitVerdict } from "./api-rate-limiter.js";
import { remoteAddress } from "./remote-address.js";

function secondsUntil(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The rate-limit response fields by lower-case header name. */
export interface RateLimitHeaderValues {
  readonly "ratelimit-policy": string;
  readonly ratelimit: string;
  readonly "x-ratelimit-limit": string;
  readonly "x-ratelimit-remaining": string;
  readonly "x-ratelimit-reset": string;
}

/** What a counted request must answer with, kept as strings until the response is built (see jsonResponse). */
export interface RateLimitOutcome {
  readonly headers: RateLimitHeaderValues;
  /** Seconds, on a refusal only. */
  readonly retryAfter?: string;
  /** The answer built with these fields already in it. */
  carriedBy?: Response;
}

/**
 * Rate-limit fields on the response: `RateLimit-Policy` and `RateLimit` as in
 * draft-ietf-httpapi-ratelimit-headers-09 (policy named after the category, `q` quota, `w` window
 * seconds; `r` remaining, `t` seconds until the quota is whole again), and the widespread
 * `X-RateLimit-Limit|Remaining|Reset` (Reset in epoch seconds).
 */
function headerValues(category: RateLimitCategory, windowSeconds: number, verdict: RateLimitVerdict): RateLimitHeaderValues {
  const resetSeconds = Math.ceil(verdict.msBeforeReset / 1000);
  return {
    "ratelimit-policy": `"${category}";q=${verdict.limit};w=${windowSeconds}`,
    ratelimit: `"${category}";r=${verdict.remaining};t=${resetSeconds}`,
    "x-ratelimit-limit": String(verdict.limit),
    "x-ratelimit-remaining": String(verdict.remaining),
    "x-ratelimit-reset": String(Math.ceil((Date.now() + verdict.msBeforeReset) / 1000)),
  };
}

/**
 * Adds the request's rate-limit fields to an answer built without them: hono's `c.json` of the
 * management routes and of the error handler. Runtime operations answer through jsonResponse,
 * which carries them already, so their hot path never builds a `Headers`.
 */
export function withRateLimitFields(c: Context<AppEnv>, answer: Response): Response {
  const limits = c.get("rateLimit");
  if (limits === undefined || limits.carriedBy === answer) return answer;
  for (const [name, value] of Object.entries(limits.headers)) answer.headers.set(name, value);
  limits.carriedBy = answer;
  return answer;
}

/**
 * Counts the request against the caller's API token in `category`, the one its route declares
 * (registerRuntimeOperation's `rateLimitCategory`, authorize's second argument): a service token with
 * its service's `rateLimits` (within the operator's ceilings), an admin token always with the
 * operator's quotas, so no tenant setting can throttle the organization. Runs after
 * authentication and before the handler, so a refused request changes nothing: it gets 429 with
 * `Retry-After` and A001207. Answers the refusal, or undefined to go on (the fields are then kept
 * on the context for the answer).
 * A fault of the limiter lets the request through (logged): limits must not take the API down.
 */
export async function enforceRateLimit(c: Context<AppEnv>, caller: ApiCaller, category: RateLimitCategory): Promise<Response | undefined> {
  const deps = c.get("deps");
  const limiting = deps.rateLimiting;
  if (!limiting?.limiter) return undefined;
  let verdict: RateLimitVerdict;
  let windowSeconds: number;
  try {
    const policy = await limiting.policies.policyFor(caller.kind === "service" ? caller.serviceId : null, category);
    windowSeconds = policy.durationSeconds;
    verdict = await limiting.limiter.consume(`${category}:${caller.tokenId}`, policy);
  } catch (error) {
    deps.logger.warn({ err: error, category }, "rate limiter failed; request let through");
    return undefined;
  }
  const headers = headerValues(category, windowSeconds, verdict);
  if (verdict.allowed) {
    c.set("rateLimit", { headers });
    return undefined;
  }
  const retryAfter = secondsUntil(verdict.msBeforeReset);
  c.set("rateLimit", { headers, retryAfter: String(retryAfter) });
  return jsonResponse(c, resultBody("rateLimited", retryAfter), 429);
}

/**
 * Guessing API tokens: a remote address whose requests failed authentication (no or unknown token)
 * too often in the window gets 429 before its token is even looked up. Answers the refusal or undefined.
 */
export async function refuseBlockedAddress(c: Context<AppEnv>): Promise<Response | undefined> {
  const guard = c.get("deps").rateLimiting?.addressFailures;
  if (!guard) return undefined;
  const address = remoteAddress(c);
  if (!(await guard.isBlocked(address))) return undefined;
  const retryAfter = await guard.retryAfterSeconds(address);
  c.header("Retry-After", String(retryAfter));
  return c.json(resultBody("apiAuthenticationBlocked", retryAfter), 429);
}

/** One more failed API authentication from the request's address. */
export async function countFailedAuthentication(c: Context<AppEnv>): Promise<void> {
  await c.get("deps").rateLimiting?.addressFailures.recordFailure(remoteAddress(c));
}
