import type { Logger } from "pino";
import type { Sealer } from "../crypto/secrets.js";
import type { RateLimitCeilings } from "../domain/rate-limits.js";
import type { OutboundFetch } from "../outbound/ports.js";
import type { Store } from "../storage/ports.js";
import type { BruteForceGuards } from "./brute-force/brute-force-guards.js";

/** What protocol logic may use: storage, the master-key sealer, a clock and a logger. No HTTP, no SQL. */
export interface CoreDeps {
  store: Store;
  sealer: Sealer;
  logger: Logger;
  /** Epoch milliseconds; injectable so tests can move time. */
  now: () => number;
  /** Failure counters against credential guessing; `createApp` fills in in-memory ones when absent. */
  bruteForce?: BruteForceGuards;
  /**
   * Fetches of URLs a client registered (jwks_uri, sector_identifier_uri); `createApp` builds one
   * from the config when absent. Without one nothing is fetched and such fetches fail.
   */
  outbound?: OutboundFetch;
  /** The operator's API rate limits, which service `rateLimits` may not exceed; `createApp` fills them in from the config. */
  rateLimitCeilings?: RateLimitCeilings;
  /**
   * Where OAuth error bodies point `error_uri` (`<base>#<result code>`); `createApp` fills it in from
   * the config. Without one the bodies carry no `error_uri`.
   */
  errorUriBase?: string;
}

/**
 * The part of `CoreDeps` a module needs: `store` narrowed to the storage port it uses, and the
 * other collaborators it names. `CoreDeps` itself satisfies every such type.
 */
export type CoreDepsWith<Port, Keys extends Exclude<keyof CoreDeps, "store"> = never> = Pick<CoreDeps, Keys> & { store: Port };
