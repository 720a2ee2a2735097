import { claimsOfKeptScopes } from "../claims/standard-claims.js";
import type { ReissuableTokens } from "./reissuable-tokens.js";

/**
 * The login server's claim values that may go into the reissued ID token: only claims the user
 * consented to release to this client, as the authorization flow records them: the grant's `claims`
 * (the ID token and UserInfo claims requested and consented to at /auth/authorization/issue) and the
 * token's `claimsAtUserInfo` (which also covers grants with no authorization request, such as the
 * password grant's scope claims), less those only scopes withdrawn since stood for (as UserInfo
 * narrows them). Other values are dropped, not refused, as /auth/authorization/issue drops them.
 */
export function reissuedClaims(tokens: ReissuableTokens, values: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!values) return null;
  const { details, grant, accessToken } = tokens;
  const consented = [...new Set([...grant.claims, ...details.claimsAtUserInfo])];
  const allowed = new Set(claimsOfKeptScopes(consented, details.consentedScopes ?? accessToken.scopes, accessToken.scopes));
  const kept = Object.entries(values).filter(([name]) => allowed.has(name));
  return kept.length > 0 ? Object.fromEntries(kept) : null;
}
