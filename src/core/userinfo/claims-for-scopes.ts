import type { TokenDetails } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";
import { scopeClaims } from "../claims/standard-claims.js";


/** §5.4 claims of the granted standard scopes that the service supports. */
export function claimsOfScopes(service: Pick<Service, "supportedClaims">, scopes: readonly string[]): string[] {
  const supported = new Set(service.supportedClaims);
  return scopes.flatMap((scope) => scopeClaims[scope] ?? []).filter((claim) => supported.has(claim));
}

/**
 * The claim names the login server should collect for the UserInfo response.
 * - Tokens from an authorization request carry `claimsAtUserInfo`, recorded at authorization: the
 *   §5.4 claims of the requested scopes, the §5.5 `claims` parameter's `userinfo` members, both
 *   limited to the supported claims and to what the user consented to at issue. That list is
 *   authoritative: adding the scope claims again here would override the user's consent.
 * - The password grant has no authorization request: its claims are those of its scopes (§5.4)
 *   that the service supports.
 * `sub` is always set by Tessera itself, so it is never asked for.
 */
export function userInfoClaimNames(service: Pick<Service, "supportedClaims">, scopes: readonly string[], details: Pick<TokenDetails, "grantType" | "claimsAtUserInfo">): string[] {
  const names = new Set(details.claimsAtUserInfo);
  if (details.grantType === "PASSWORD") for (const claim of claimsOfScopes(service, scopes)) names.add(claim);
  names.delete("sub");
  return [...names];
}
