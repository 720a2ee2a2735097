import type { TokenDetails } from "../../../domain/protocol.js";
import { OAuthError } from "../../oauth-error.js";
import { tokenRequestBinding } from "../../sender/token-request-binding.js";
import { mintTokens } from "../../tokens/mint-tokens.js";
import { newGrant } from "../../tokens/new-grant.js";
import { checkRequestableDetails, requestedAuthorizationDetails } from "../authorization-details-policy.js";
import { parseScope } from "../parse-token-parameters.js";
import { requestedResources } from "../resource-policy.js";
import { grantableScopes } from "../scope-policy.js";
import { mergeProperties, tokenSuccess } from "../token-success.js";
import type { GrantTypeContext, GrantTypeModule } from "./grant-type-module.js";

/**
 * grant_type=client_credentials (RFC 6749 §4.4):
 * - only confidential clients, which authenticated (§4.4, SEC-073): `confidentialOnly`, checked by the
 *   entry point; a public client → unauthorized_client;
 * - requested scopes must be supported by the service and requestable by the client, never
 *   `openid` (no user, no ID token); without `scope`, the service's default scopes;
 * - an access token only: no refresh token (§4.4.3: its `refreshTokens` trait is `never`) and no ID token (SEC-074);
 * - `resource` parameters (RFC 8707 §2), each an absolute URI without a fragment (invalid_target), are the
 *   token's audience: with no earlier request to narrow, any well-formed resource is accepted, as in Authlete;
 * - `authorization_details` (RFC 9396 §6) are the token's, each type one the service supports and the client
 *   may request (`checkRequestableDetails`): invalid_request when malformed, invalid_authorization_details otherwise;
 * - the JWT access token's `sub` is the client id (RFC 9068 §2.2);
 * - the access token is bound to the request's DPoP key (RFC 9449 §5), as `tokenRequestBinding` says.
 */
async function handle({ deps, service, auth, params, withRefreshToken, request, sender }: GrantTypeContext) {
  const requested = parseScope(params.get("scope"));
  if (requested?.includes("openid")) {
    throw new OAuthError("invalid_scope", "The scope openid cannot be granted without a user.", "tokenScopeInvalid");
  }
  const scopes = grantableScopes(service, auth.client, requested, true);
  const resources = requestedResources(params);
  const authorizationDetails = requestedAuthorizationDetails(params);
  checkRequestableDetails(authorizationDetails, service, auth.client);

  const binding = tokenRequestBinding({ service, client: auth.client, presented: sender, grant: {} });
  const grant = newGrant(service.serviceId, auth.client.clientId, null, { scopes, claims: [], authorizationDetails, resources }, deps.now());
  const properties = mergeProperties([], request.properties);
  const details: TokenDetails = {
    grantType: "CLIENT_CREDENTIALS",
    authTime: null,
    acr: null,
    sub: null,
    properties,
    resources,
    accessTokenResources: resources,
    authorizationDetails,
    accessTokenAuthorizationDetails: authorizationDetails,
    claimsAtUserInfo: [],
    clientIdAliasUsed: auth.clientIdAliasUsed,
    ...binding.accessToken,
  };
  const minted = await mintTokens(deps, {
    service,
    client: auth.client,
    grantId: grant.grantId,
    newGrant: grant,
    subject: null,
    scopes,
    details,
    withRefreshToken,
    accessTokenDuration: request.accessTokenDuration,
    jwtAtClaims: request.jwtAtClaims,
    accessTokenValue: request.accessToken,
  });
  return tokenSuccess(
    service,
    auth,
    {
      minted,
      idToken: null,
      grantType: "CLIENT_CREDENTIALS",
      grantId: grant.grantId,
      subject: null,
      scopes,
      properties,
      accessTokenResources: resources,
      accessTokenAuthorizationDetails: authorizationDetails,
      accessTokenBinding: binding.accessToken,
    },
    resources,
    "tokenClientCredentialsIssued",
  );
}

export const clientCredentialsGrantType: GrantTypeModule<"CLIENT_CREDENTIALS"> = {
  grantType: "CLIENT_CREDENTIALS",
  implemented: true,
  confidentialOnly: true,
  refreshTokens: "never",
  redeemsCredential: false,
  parameters: ["scope", "resource", "authorization_details"],
  handle,
};
