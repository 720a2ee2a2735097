import { type Config, configSchema } from "../config/schema.js";
import { createOutboundFetcher } from "../outbound/outbound-fetcher.js";
import type { AppDeps } from "./env.js";

/** The settings of outbound fetches; any left out take the schema's defaults. */
export type OutboundConfig = Pick<Config, "outboundAllowLoopback" | "outboundTimeoutMs" | "outboundMaxResponseBytes">;

/** The deps with an outbound fetcher built from `config` where the caller did not bring one (a test may inject its own). */
export function withOutbound(deps: AppDeps): AppDeps {
  if (deps.outbound) return deps;
  // As rateLimitConfig does: the schema fills in the defaults of whatever the caller left out.
  const config = configSchema.parse(deps.config);
  return {
    ...deps,
    outbound: createOutboundFetcher({
      allowLoopback: config.outboundAllowLoopback,
      timeoutMs: config.outboundTimeoutMs,
      maxResponseBytes: config.outboundMaxResponseBytes,
      now: deps.now,
    }),
  };
}
