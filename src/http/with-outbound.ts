import { type Config, configSchema } from "../config/schema.js";
import { createOutboundFetcher } from "../outbound/outbound-fetcher.js";
import type { AppDeps } from "./env.js";

/** The settings of outbound fetches; any left out take the schema's defaults. */
export type OutboundConfig = Pick<Config, "outboundAllowLoopback" | "outboundTimeoutMs" | "outboundMaxResponseBytes">;

/** The deps with an outbound fetcher built from `config` where the caller did not bring one (a test may inject its own). */
export function withOutbound(deps: AppDeps): AppDeps {
  if (deps.outbound) return deps;
  const settings = configSchema
    .pick({ outboundAllowLoopback: true, outboundTimeoutMs: true, outboundMaxResponseBytes: true })
    .parse({
      outboundAllowLoopback: deps.config.outboundAllowLoopback,
      outboundTimeoutMs: deps.config.outboundTimeoutMs,
      outboundMaxResponseBytes: deps.config.outboundMaxResponseBytes,
    });
  return {
    ...deps,
    outbound: createOutboundFetcher({
      allowLoopback: settings.outboundAllowLoopback,
      timeoutMs: settings.outboundTimeoutMs,
      maxResponseBytes: settings.outboundMaxResponseBytes,
      now: deps.now,
    }),
  };
}
