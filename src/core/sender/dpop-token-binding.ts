import type { Client } from "../../domain/client.js";
import { OAuthError } from "../oauth-error.js";
import { resultText } from "../result-codes.js";

/**
 * RFC 9449 §5.2 (`dpop_bound_access_tokens`, Authlete's client `dpopRequired`): the server MUST
 * reject a token request of such a client that has no DPoP proof. The RFC names no error code for
 * it; `invalid_dpop_proof` is for a proof that is present but invalid (§5, §7.1), whereas a proof
 * that is missing is a required input missing, RFC 6749 §5.2's `invalid_request`.
 */
export function requireDpopProof(client: Pick<Client, "dpopRequired">, presentedJkt: string | null): void {
  if (client.dpopRequired && presentedJkt === null) {
    throw new OAuthError("invalid_request", resultText("tokenDpopProofRequired"), "tokenDpopProofRequired");
  }
}

/** The DPoP keys the grant being redeemed is already bound to. */
export interface GrantDpopKeys {
  /** The authorization code's `dpop_jkt` (RFC 9449 §10): the key the authorization request named, or the PAR proof's. */
  codeDpopJkt?: string | null;
  /** The DPoP key the presented refresh token is bound to (RFC 9449 §5: refresh tokens of public clients). */
  refreshTokenDpopJkt?: string | null;
}

/**
 * The DPoP keys of the tokens a token request mints, or the OAuth error that refuses it:
 * - a code whose authorization request named `dpop_jkt` is redeemed only with a proof of that key
 *   (RFC 9449 §10.1) → `invalid_grant` otherwise (catalogue SEC-112);
 * - a refresh token bound to a key is refreshed only with a proof of that key (RFC 9449 §5) →
 *   `invalid_grant` otherwise, without a proof too (SEC-069);
 * - the access token is bound to the proof's key (§5, §6); the refresh token only for a public client
 *   (§5): a confidential client's refresh tokens are already constrained by its authentication, so
 *   its refresh may bind each new access token to a new key.
 */
export function dpopTokenBinding(
  client: Pick<Client, "clientType">,
  presentedJkt: string | null,
  grant: GrantDpopKeys,
): { accessToken: string | null; refreshToken: string | null } {
  if (grant.codeDpopJkt && grant.codeDpopJkt !== presentedJkt) {
    throw new OAuthError("invalid_grant", resultText("tokenCodeDpopKeyMismatch"), "tokenCodeDpopKeyMismatch");
  }
  if (grant.refreshTokenDpopJkt && grant.refreshTokenDpopJkt !== presentedJkt) {
    throw new OAuthError("invalid_grant", resultText("tokenRefreshTokenDpopKeyMismatch"), "tokenRefreshTokenDpopKeyMismatch");
  }
  return { accessToken: presentedJkt, refreshToken: client.clientType === "PUBLIC" ? presentedJkt : null };
}
