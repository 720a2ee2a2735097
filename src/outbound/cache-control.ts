export interface FreshnessLimits {
  /** Shortest time a document is kept, whatever the server says (also for `no-store`, `no-cache`, `max-age=0`). */
  minTtlMs: number;
  /** Longest time a document is kept, whatever the server says. */
  maxTtlMs: number;
  /** Time kept when the server sends no `max-age`. */
  defaultTtlMs: number;
}

/**
 * How long to keep a fetched document, from its `Cache-Control` (RFC 9111 §5.2.2) clamped to the
 * limits. `no-store` and `no-cache` are honoured as far as the floor allows: keeping a document a
 * little is what stops a client from making Tessera fetch it on every request.
 */
export function freshnessLifetimeMs(cacheControl: string | undefined, limits: FreshnessLimits): number {
  const clamp = (ms: number) => Math.min(limits.maxTtlMs, Math.max(limits.minTtlMs, ms));
  if (!cacheControl) return clamp(limits.defaultTtlMs);
  const directives = cacheControl.split(",").map((part) => part.trim().toLowerCase());
  if (directives.includes("no-store") || directives.includes("no-cache")) return limits.minTtlMs;
  const maxAge = directives.map((directive) => /^max-age\s*=\s*"?(\d+)"?$/.exec(directive)).find((match) => match !== null);
  return clamp(maxAge ? Number(maxAge[1]) * 1000 : limits.defaultTtlMs);
}
