import { createApp } from "../../src/app.js";
import type { AppDeps } from "../../src/http/env.js";
import type { RateLimitConfig } from "../../src/http/rate-limit/rate-limiting.js";
import { type TestApp, createTestApp } from "../helpers/app.js";

/**
 * A test app whose limits come from `config` (everything else as in createTestApp). `extra` can
 * inject a prepared `rateLimiting` or `bruteForce`.
 */
export async function limitedApp(config: Partial<RateLimitConfig>, extra: Partial<Pick<AppDeps, "rateLimiting" | "bruteForce">> = {}): Promise<TestApp> {
  const t = await createTestApp();
  const deps: AppDeps = { ...t.deps, config: { ...t.deps.config, ...config }, ...extra };
  return { ...t, deps, app: createApp(deps) };
}

/** The rate-limit fields of a response. */
export function limitHeaders(headers: Headers) {
  return {
    policy: headers.get("ratelimit-policy"),
    state: headers.get("ratelimit"),
    limit: headers.get("x-ratelimit-limit"),
    remaining: headers.get("x-ratelimit-remaining"),
    reset: headers.get("x-ratelimit-reset"),
    retryAfter: headers.get("retry-after"),
  };
}
