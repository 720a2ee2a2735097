import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";
import type { MintedDecision } from "../pending/mint-decided-tokens.js";
import { reservedMembers } from "../token/token-success.js";
import type { BackchannelPending } from "./backchannel-pending.js";

/** CIBA Core §10.2: a ping tells the client only which request finished; it then polls the token endpoint. */
export function pingNotificationBody(authReqId: string): string {
  return JSON.stringify({ auth_req_id: authReqId });
}

/**
 * CIBA Core §10.3.1: a push delivers the token response itself, with the `auth_req_id` it answers:
 * access_token, token_type, expires_in, refresh_token when one was minted, id_token, and, as the token
 * endpoint answers, the granted scope, authorization_details and the visible properties.
 */
export function pushTokensBody(service: Service, authReqId: string, scopes: string[], authorizationDetails: AuthorizationDetail[], minted: MintedDecision): string {
  const body: Record<string, unknown> = {
    auth_req_id: authReqId,
    access_token: minted.minted.accessToken,
    token_type: service.accessTokenType,
    expires_in: minted.minted.accessTokenDuration,
  };
  if (minted.minted.refreshToken) body.refresh_token = minted.minted.refreshToken;
  if (minted.idToken) body.id_token = minted.idToken;
  if (scopes.length > 0) body.scope = scopes.join(" ");
  if (authorizationDetails.length > 0) body.authorization_details = authorizationDetails;
  for (const property of minted.properties) {
    if (property.hidden || reservedMembers.has(property.key) || property.key in body) continue;
    body[property.key] = property.value;
  }
  return JSON.stringify(body);
}

/**
 * CIBA Core §12: a refused push request is notified as `{auth_req_id, error}`, with `error_description`
 * and `error_uri` when the login server gave them (as Authlete does).
 */
export function pushDenialBody(authReqId: string, denial: NonNullable<BackchannelPending["denial"]>): string {
  const body: Record<string, string> = { auth_req_id: authReqId, error: denial.error };
  if (denial.description) body.error_description = denial.description;
  if (denial.uri) body.error_uri = denial.uri;
  return JSON.stringify(body);
}
