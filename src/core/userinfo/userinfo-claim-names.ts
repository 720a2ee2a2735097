import type { TokenDetails } from "../../domain/protocol.js";
import { claimsOfKeptScopes } from "../claims/standard-claims.js";

/**
 * The claim names the login server should collect for the UserInfo response.
 * - Tokens from an authorization request carry `claimsAtUserInfo`, recorded at authorization: the
 *   §5.4 claims of the requested scopes, the §5.5 `claims` parameter's `userinfo` members, both
 *   limited to the supported claims and to what the user consented to at issue. That list is
 *   authoritative: adding the scope claims again here would override the user's consent.
 * - The password grant has no authorization request: its tokens record the §5.4 claims of their
 *   scopes that the service supports (see handle-token-issue.ts), and refreshes keep them.
 * - A token whose scopes were narrowed since (`scopes` against `consentedScopes`) loses the claims only
 *   the withdrawn scopes stood for.
 * `sub` is always set by Tessera itself, so it is never asked for.
 */
export function userInfoClaimNames(details: Pick<TokenDetails, "claimsAtUserInfo" | "consentedScopes">, scopes: readonly string[]): string[] {
  return claimsOfKeptScopes(details.claimsAtUserInfo, details.consentedScopes ?? scopes, scopes).filter((name) => name !== "sub");
}
