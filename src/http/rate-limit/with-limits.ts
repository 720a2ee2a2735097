import { inMemoryBruteForceGuards } from "../../core/brute-force/brute-force-guards.js";
import type { AppDeps } from "../env.js";
import { createRateLimiting, rateLimitConfig } from "./rate-limiting.js";

/**
 * The deps with API rate limits and brute-force guards filled in from `config` where the caller
 * did not bring its own (the server and most tests bring none; a test may inject either).
 */
export function withLimits(deps: AppDeps): AppDeps {
  if (deps.rateLimiting && deps.bruteForce) return deps;
  const config = rateLimitConfig(deps.config);
  return {
    ...deps,
    rateLimiting: deps.rateLimiting ?? createRateLimiting({ config: deps.config, store: deps.store, logger: deps.logger, now: deps.now }),
    bruteForce:
      deps.bruteForce ??
      inMemoryBruteForceGuards(
        {
          clientAuthentication: { maxFailures: config.bruteForceMaxFailures, windowSeconds: config.bruteForceWindowSeconds },
          grantRedemption: { maxFailures: config.bruteForceMaxInvalidGrants, windowSeconds: config.bruteForceWindowSeconds },
          passwordLogin: { maxFailures: config.bruteForceMaxFailures, windowSeconds: config.bruteForceWindowSeconds },
        },
        deps.now,
      ),
  };
}
