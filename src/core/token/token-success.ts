import type { Property } from "../../domain/common.js";
import type { Service } from "../../domain/service.js";
import type { AuthenticatedClient } from "../client-auth/authenticate-client.js";
import type { ResultCodeName } from "../result-codes.js";
import { tokenTypeOf } from "../tokens/confirmation.js";
import type { TokenOutcome, TokenSuccessDetails } from "./token-outcome.js";

/** Members of the RFC 6749 §5.1 response (and neighbours) that a property can never replace. */
export const reservedMembers = new Set([
  "access_token",
  "token_type",
  "expires_in",
  "refresh_token",
  "scope",
  "id_token",
  "error",
  "error_description",
  "error_uri",
  "issued_token_type",
  "authorization_details",
  "grant_id",
]);

/** Request properties replace stored ones of the same key; the rest are kept in order. */
export function mergeProperties(base: Property[], extra: Property[] | null | undefined): Property[] {
  if (!extra || extra.length === 0) return base;
  const keys = new Set(extra.map((p) => p.key));
  return [...base.filter((p) => !keys.has(p.key)), ...extra];
}

/**
 * RFC 6749 §5.1 successful response: access_token, token_type, expires_in, refresh_token when
 * minted, scope (always, so the client sees what it got, §3.3), id_token when minted,
 * authorization_details when the token has any (RFC 9396 §7), grant_id when the authorization behind the
 * tokens carried a grant management action (Grant Management §4.4: create, merge or replace; kept
 * through refreshes), and the visible properties as extra members.
 */
export function tokenResponseBody(service: Service, success: TokenSuccessDetails): Record<string, unknown> {
  const body: Record<string, unknown> = {
    access_token: success.minted.accessToken,
    // RFC 9449 §5: a DPoP-bound access token is of type DPoP.
    token_type: tokenTypeOf(success.accessTokenBinding, service.accessTokenType),
    expires_in: success.minted.accessTokenDuration,
  };
  if (success.minted.refreshToken) body.refresh_token = success.minted.refreshToken;
  if (success.scopes.length > 0) body.scope = success.scopes.join(" ");
  if (success.idToken) body.id_token = success.idToken;
  if (success.accessTokenAuthorizationDetails.length > 0) body.authorization_details = success.accessTokenAuthorizationDetails;
  if (success.gmAction) body.grant_id = success.grantId;
  for (const property of success.properties) {
    if (property.hidden || reservedMembers.has(property.key) || property.key in body) continue;
    body[property.key] = property.value;
  }
  return body;
}

/** An OK outcome; `requestedResources` are the token request's `resource` parameters (RFC 8707). */
export function tokenSuccess(
  service: Service,
  auth: AuthenticatedClient,
  success: TokenSuccessDetails,
  requestedResources: string[],
  resultCode: ResultCodeName,
): TokenOutcome {
  return {
    action: "OK",
    responseContent: JSON.stringify(tokenResponseBody(service, success)),
    resultCode,
    client: auth.client,
    clientIdAliasUsed: auth.clientIdAliasUsed,
    clientAuthMethod: auth.method,
    success,
    requestedResources,
  };
}
