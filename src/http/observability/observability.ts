import type { Tracer } from "@opentelemetry/api";
import type { Config } from "../../config/schema.js";
import type { AttemptLimiter } from "../../core/brute-force/attempt-limiter.js";
import type { BruteForceGuards } from "../../core/brute-force/brute-force-guards.js";
import { tesseraTracer } from "../../logging/tracing.js";
import type { AppDeps } from "../env.js";
import { TesseraMetrics } from "./metrics.js";

/** The metrics and the tracer one server uses; createApp and the server wiring read them. */
export interface Observability {
  /** Null when TESSERA_METRICS=off: nothing is counted. */
  readonly metrics: TesseraMetrics | null;
  /** Null when TESSERA_TRACING=off: no tracing calls at all. */
  readonly tracer: Tracer | null;
  /** Set when the API's own port serves /metrics behind this token (TESSERA_METRICS=token). */
  readonly metricsRouteToken: string | null;
}

/** What an app built without a server gets (tests, the spec exporter): spans when an SDK is registered, no metrics. */
export const tracingOnly: Observability = { metrics: null, tracer: tesseraTracer(), metricsRouteToken: null };

export function createObservability(config: Pick<Config, "metrics" | "metricsToken" | "tracing">): Observability {
  return {
    metrics: config.metrics === "off" ? null : new TesseraMetrics(),
    tracer: config.tracing === "on" ? tesseraTracer() : null,
    metricsRouteToken: config.metrics === "token" ? (config.metricsToken ?? null) : null,
  };
}

/** `limiter`, calling `refused` whenever a key it is asked about is blocked. */
function countingLimiter(limiter: AttemptLimiter, refused: () => void): AttemptLimiter {
  return {
    async isBlocked(key) {
      const blocked = await limiter.isBlocked(key);
      if (blocked) refused();
      return blocked;
    },
    recordFailure: (key) => limiter.recordFailure(key),
    reset: (key) => limiter.reset(key),
    retryAfterSeconds: (key) => limiter.retryAfterSeconds(key),
  };
}

const guardLimits: Record<keyof BruteForceGuards, string> = {
  clientAuthentication: "client_authentication",
  credentialRedemption: "credential_redemption",
  passwordLogin: "password_login",
  userCodeLookup: "user_code_lookup",
};

/**
 * The deps with the brute-force guards counting their refusals, and the API-token failure counter
 * counting failed API authentications. Every guard asks `isBlocked` only where a yes refuses the
 * attempt, and none of them on every request, so the wrappers stay off the hot path. The address
 * guard's `isBlocked` runs on every API call and is left alone: the request observer counts its
 * refusals from the 429 itself (no caller yet).
 */
export function withObservedLimits(deps: AppDeps, metrics: TesseraMetrics | null): AppDeps {
  if (metrics === null) return deps;
  const guards = deps.bruteForce;
  const bruteForce =
    guards === undefined
      ? undefined
      : (Object.fromEntries(
          (Object.keys(guardLimits) as (keyof BruteForceGuards)[]).map((name) => [
            name,
            countingLimiter(guards[name], () => metrics.refused(guardLimits[name])),
          ]),
        ) as unknown as BruteForceGuards);
  const rateLimiting = deps.rateLimiting;
  const addressFailures = rateLimiting?.addressFailures;
  return {
    ...deps,
    ...(bruteForce ? { bruteForce } : {}),
    ...(rateLimiting && addressFailures
      ? {
          rateLimiting: {
            ...rateLimiting,
            addressFailures: {
              isBlocked: (key: string) => addressFailures.isBlocked(key),
              recordFailure: (key: string) => {
                metrics.apiAuthenticationFailed();
                return addressFailures.recordFailure(key);
              },
              reset: (key: string) => addressFailures.reset(key),
              retryAfterSeconds: (key: string) => addressFailures.retryAfterSeconds(key),
            },
          },
        }
      : {}),
  };
}
