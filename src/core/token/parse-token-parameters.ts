import { OAuthError } from "../oauth-error.js";

/**
 * Parses the token request body (application/x-www-form-urlencoded).
 * - RFC 6749 §3.2: request and response parameters MUST NOT be included more than once → invalid_request
 *   (never "first wins" or "last wins", SEC-007/SEC-048).
 * - RFC 6749 §3.2: parameters sent without a value MUST be treated as if they were omitted.
 */
export function parseTokenParameters(body: string): Map<string, string> {
  const params = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (seen.has(name)) {
      throw new OAuthError("invalid_request", `The parameter ${name} is included more than once.`, "tokenParameterDuplicated");
    }
    seen.add(name);
    if (value !== "") params.set(name, value);
  }
  return params;
}

/** A required parameter of a grant; missing → invalid_request naming it. */
export function requiredParameter(params: ReadonlyMap<string, string>, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new OAuthError("invalid_request", `The ${name} parameter is missing.`, "tokenParameterMissing");
  return value;
}

/** RFC 6749 §3.3: scope is a space-delimited list; order and repeated spaces do not matter. */
export function parseScope(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return [...new Set(value.split(" ").filter((s) => s.length > 0))];
}
