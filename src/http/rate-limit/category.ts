import type { RateLimitCategory } from "../../domain/rate-limits.js";

const RUNTIME_PATH = /^\/api\/[^/]+\/auth\/(authorization|token|introspection|revocation|userinfo)(?:\/|$)/;

/** The rate-limit category of an API path: the runtime endpoint family, or `management` for every other /api operation. */
export function categoryOfPath(path: string): RateLimitCategory {
  const match = RUNTIME_PATH.exec(path);
  return match ? (match[1] as RateLimitCategory) : "management";
}
