import { z } from "zod";

/**
 * The groups of API operations that are rate-limited separately, each per API token:
 * - `authorization`: `/auth/authorization`, `/issue`, `/fail`;
 * - `token`: `/auth/token`, `/issue`, `/fail`;
 * - `introspection`: `/auth/introspection`, `/auth/introspection/standard`;
 * - `revocation`: `/auth/revocation`;
 * - `userinfo`: `/auth/userinfo`, `/issue`;
 * - `management`: everything else under `/api` (services, clients, API tokens, keys, discovery).
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
    "[ext] Rate limits of this service's API tokens per category (authorization, token, introspection, revocation, userinfo, management), each `{points, durationSeconds}`; a category left out keeps the server-wide default.",
  );
export type ServiceRateLimits = z.infer<typeof ServiceRateLimits>;
