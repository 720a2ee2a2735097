import { OAuthError } from "../oauth-error.js";
import type { RequestParameters } from "../protocol/request-parameters.js";

/**
 * What a grant type reads of the token request: the single value of a parameter, or every value of
 * one the token endpoint lets repeat (`resource`, RFC 8707 §2).
 */
export type GrantTypeParameters = Pick<RequestParameters, "get" | "all">;

/** A required parameter of a grant; missing → invalid_request naming it. */
export function requiredParameter(params: GrantTypeParameters, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new OAuthError("invalid_request", `The ${name} parameter is missing.`, "tokenParameterMissing");
  return value;
}

/** RFC 6749 §3.3: scope is a space-delimited list; order and repeated spaces do not matter. */
export function parseScope(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return [...new Set(value.split(" ").filter((s) => s.length > 0))];
}
