import { credentialHash, newCredential } from "../../../crypto/secrets.js";
import { refuseBlockedPasswordLogin, usernameHash } from "../../brute-force/guard-password-login.js";
import { checkRequestableDetails, requestedAuthorizationDetails } from "../authorization-details-policy.js";
import { parseScope, requiredParameter } from "../parse-token-parameters.js";
import { PASSWORD_TICKET_LIFETIME_MS, type PasswordTicketPayload } from "../password-ticket.js";
import { requestedResources } from "../resource-policy.js";
import { grantableScopes } from "../scope-policy.js";
import { mergeProperties } from "../token-success.js";
import type { GrantTypeContext, GrantTypeModule } from "./grant-type-module.js";

/**
 * grant_type=password (RFC 6749 §4.3), reachable only when both the service's `supportedGrantTypes`
 * and the client's `grantTypes` contain PASSWORD (checked by the entry point):
 * - username and password are required (invalid_request);
 * - scopes as for any request without consent (`grantableScopes`);
 * - `resource` parameters (RFC 8707 §2), each an absolute URI without a fragment (invalid_target), become
 *   the token's audience; the PASSWORD answer lists them, so the login server may refuse one with
 *   /auth/token/fail (INVALID_TARGET);
 * - `authorization_details` (RFC 9396 §6) as for client_credentials (`checkRequestableDetails`); the
 *   PASSWORD answer shows them and the ticket carries them into the token;
 * - the request's DPoP proof was verified before (RFC 9449 §5); the ticket carries its key, to which
 *   /auth/token/issue binds the tokens;
 * - Tessera never sees the user database: it parks the request behind a single-use ticket and answers
 *   PASSWORD; the login server checks the credentials and calls /auth/token/issue or /auth/token/fail.
 */
async function handle({ deps, service, auth, params, request, sender }: GrantTypeContext) {
  const username = requiredParameter(params, "username");
  const password = requiredParameter(params, "password");
  const scopes = grantableScopes(service, auth.client, parseScope(params.get("scope")));
  const resources = requestedResources(params);
  const authorizationDetails = requestedAuthorizationDetails(params);
  checkRequestableDetails(authorizationDetails, service, auth.client);
  const loginKey = usernameHash(username);
  await refuseBlockedPasswordLogin(deps, service.serviceId, loginKey);

  const ticket = newCredential();
  const now = deps.now();
  const payload: PasswordTicketPayload = {
    scopes,
    clientIdAliasUsed: auth.clientIdAliasUsed,
    clientAuthMethod: auth.method,
    properties: mergeProperties([], request.properties),
    jwtAtClaims: request.jwtAtClaims ?? null,
    accessTokenDuration: request.accessTokenDuration ?? null,
    refreshTokenDuration: request.refreshTokenDuration ?? null,
    resources,
    authorizationDetails,
    usernameHash: loginKey,
    sender,
  };
  await deps.store.saveTicket({
    ticketHash: credentialHash(ticket),
    serviceId: service.serviceId,
    clientId: auth.client.clientId,
    kind: "PASSWORD",
    payload,
    createdAt: now,
    expiresAt: now + PASSWORD_TICKET_LIFETIME_MS,
  });
  return {
    action: "PASSWORD" as const,
    responseContent: null,
    resultCode: "tokenPasswordRequested" as const,
    client: auth.client,
    clientIdAliasUsed: auth.clientIdAliasUsed,
    clientAuthMethod: auth.method,
    password: { username, password, ticket },
    requestedResources: resources,
    requestedAuthorizationDetails: authorizationDetails,
  };
}

export const passwordGrantType: GrantTypeModule<"PASSWORD"> = {
  grantType: "PASSWORD",
  implemented: true,
  confidentialOnly: false,
  refreshTokens: "when-refresh-token-enabled",
  redeemsCredential: false,
  parameters: ["username", "password", "scope", "resource", "authorization_details"],
  handle,
};
