import type { Config } from "../config/schema.js";
import type { CoreDeps } from "../core/context.js";
import type { Permission } from "../domain/enums.js";
import type { RateLimitOutcome } from "./rate-limit/enforce-rate-limit.js";
import type { ApiRateLimiting, RateLimitConfig } from "./rate-limit/rate-limiting.js";
import type { ErrorUriConfig } from "./with-error-uri-base.js";
import type { OutboundConfig } from "./with-outbound.js";

/** Everything a request handler may use; built once in main.ts (or a test) and passed to createApp. */
export interface AppDeps extends CoreDeps {
  config: Pick<Config, "bodyLimitBytes"> & Partial<RateLimitConfig> & Partial<OutboundConfig> & Partial<ErrorUriConfig>;
  /** API rate limits; `createApp` builds them from `config` when absent. */
  rateLimiting?: ApiRateLimiting;
}

/** Who is calling the API: an organization (admin) token, or a token of one service with its rights. */
export type ApiCaller =
  | { kind: "admin"; tokenId: string }
  | {
      kind: "service";
      tokenId: string;
      serviceId: number;
      /** Granted and implied (USE_SERVICE implies USE_INTROSPECTION, …). */
      permissions: ReadonlySet<Permission>;
    };

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    /** Read through requestIdOf, which makes it on first use. */
    requestId: string | undefined;
    caller: ApiCaller;
    /** Set once the request was counted against its rate limit. */
    rateLimit: RateLimitOutcome | undefined;
    /** The `action` of a runtime answer (set by jsonResponse), for the metrics and the request's span. */
    action: string | undefined;
  };
}
