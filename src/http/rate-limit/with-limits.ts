import { inMemoryBruteForceGuards } from "../../core/brute-force/brute-force-guards.js";
import type { AppDeps } from "../env.js";
import { bruteForceSettings, createRateLimiting, rateLimitConfig } from "./rate-limiting.js";

/**
 * The deps with API rate limits, the ceilings service settings are checked against, and
 * brute-force guards filled in from `config` where the caller did not bring its own (the server
 * and most tests bring none; a test may inject any).
 */
export function withLimits(deps: AppDeps): AppDeps {
  if (deps.rateLimiting && deps.bruteForce && deps.rateLimitCeilings) return deps;
  const config = rateLimitConfig(deps.config);
  const rateLimiting = deps.rateLimiting ?? createRateLimiting({ config: deps.config, store: deps.store, logger: deps.logger, now: deps.now });
  return {
    ...deps,
    rateLimiting,
    rateLimitCeilings: deps.rateLimitCeilings ?? rateLimiting.policies.ceilings,
    // A rate-limiting brought by a test may carry no guards of its own.
    bruteForce: deps.bruteForce ?? rateLimiting.bruteForce ?? inMemoryBruteForceGuards(bruteForceSettings(config), deps.now),
  };
}
