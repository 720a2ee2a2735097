import { OAuthError } from "../oauth-error.js";

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
