import { z } from "zod";

/**
 * The groups of API operations that are rate-limited separately, each per API token. Each route
 * names its group in its definition (registerRuntimeOperation's `rateLimitCategory`, or
 * `authorize(requirement, category)` in a createRoute middleware list):
 * - `authorization`: `/auth/authorization`, `/issue`, `/fail`, and `/pushed_auth_req`;
 * - `token`: `/auth/token`, `/issue`, `/fail`, and `/idtoken/reissue` (the second half of a refresh);
 * - `introspection`: `/auth/introspection`, `/auth/introspection/standard`;
 * - `revocation`: `/auth/revocation`;
 * - `userinfo`: `/auth/userinfo`, `/issue`, and `/gm` (the service's own protected resources);
 * - `management`: everything else under `/api` (services, clients, API tokens, keys, discovery, `/jose/verify`).
 */
export const rateLimitCategories = ["authorization", "token", "introspection", "revocation", "userinfo", "management"] as const;
export const RateLimitCategory = z.enum(rateLimitCategories);
export type RateLimitCategory = z.infer<typeof RateLimitCategory>;

/** A quota: `points` requests per window of `durationSeconds`. */
export const RateLimitPolicy = z
  .object({
    points: z.number().int().min(1).max(10_000_000).describe("Requests allowed per window."),
    durationSeconds: z.number().int().min(1).max(86_400).describe("Length of the window in seconds."),
  })
  .strict();
export type RateLimitPolicy = z.infer<typeof RateLimitPolicy>;

/** [ext] Per-service quotas overriding the server-wide defaults, category by category. */
export const ServiceRateLimits = z
  .object({
    authorization: RateLimitPolicy.optional(),
    token: RateLimitPolicy.optional(),
    introspection: RateLimitPolicy.optional(),
    revocation: RateLimitPolicy.optional(),
    userinfo: RateLimitPolicy.optional(),
    management: RateLimitPolicy.optional(),
  })
  .strict()
  .describe(
    "[ext] Rate limits of this service's API tokens per category (authorization, token, introspection, revocation, userinfo, management), each `{points, durationSeconds}`; a category left out keeps the operator's quota. A quota may not exceed the operator's TESSERA_RATE_LIMIT_* value (a window shorter than the operator's counts once per window started within it); a higher one is refused (A002202). Admin-token calls always use the operator's quotas.",
  );
export type ServiceRateLimits = z.infer<typeof ServiceRateLimits>;

/** The operator's quota per category (TESSERA_RATE_LIMIT_*): the default of every service, and the most any service may allow. */
export type RateLimitCeilings = Readonly<Record<RateLimitCategory, RateLimitPolicy>>;

/**
 * Requests `policy` admits within one window of `ceiling`: its points for each of its own windows
 * that window touches. Fixed windows of at least the ceiling's length touch it once; shorter ones
 * touch it once per started window, so 11 per second is 660 per minute.
 */
export function admittedPerCeilingWindow(policy: RateLimitPolicy, ceiling: RateLimitPolicy): number {
  return policy.points * Math.ceil(ceiling.durationSeconds / policy.durationSeconds);
}

/**
 * Whether a service's policy is no more generous than the operator's. A longer window with no more
 * points is accepted: it only makes the service's own tokens wait longer (admin calls are never
 * counted against it).
 */
export function isWithinCeiling(policy: RateLimitPolicy, ceiling: RateLimitPolicy): boolean {
  return admittedPerCeilingWindow(policy, ceiling) <= ceiling.points;
}
