import { credentialHash } from "../../../crypto/secrets.js";
import type { AuthorizationCodePayload, TokenDetails } from "../../../domain/protocol.js";
import { claimsOfKeptScopes } from "../../claims/standard-claims.js";
import { redirectUriMatches } from "../../clients/redirect-uri-match.js";
import { OAuthError } from "../../oauth-error.js";
import { tokenRequestBinding } from "../../sender/token-request-binding.js";
import { startIdToken } from "../../tokens/id-token.js";
import { parseJsonObject } from "../../tokens/jwt-claims.js";
import { type MintTokensInput, prepareTokens, writeTokens } from "../../tokens/mint-tokens.js";
import { narrowAuthorizationDetails, requestedAuthorizationDetails } from "../authorization-details-policy.js";
import { requiredParameter } from "../parse-token-parameters.js";
import { verifyPkce } from "../pkce.js";
import { narrowResources, requestedResources } from "../resource-policy.js";
import { stillGrantable } from "../scope-policy.js";
import { mergeProperties, tokenSuccess } from "../token-success.js";
import type { GrantTypeContext, GrantTypeModule } from "./grant-type-module.js";
import { nativeSsoOutcome } from "../../native-sso/native-sso-outcome.js";
import { takesPartInNativeSso } from "../../native-sso/native-sso-scopes.js";

/**
 * grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 9700 §4.2.4):
 * - the code is consumed atomically: of N parallel redemptions exactly one succeeds (SEC-046);
 * - a code used before → invalid_grant and the grant with every token from it is revoked (SEC-042/043);
 * - unknown or expired code → invalid_grant (SEC-045); a code of another client → invalid_grant (SEC-044),
 *   and the code stays usable by its own client: the client binding is part of the consuming statement;
 * - redirect_uri must equal the one of the authorization request when that carried one;
 * - the URI the code was sent to must still be registered for the client (RFC 9700 §4.1; issue 12 item 13);
 * - PKCE as in `verifyPkce` (SEC-036/037/038);
 * - a revoked grant → invalid_grant (SEC-049);
 * - `resource` parameters (RFC 8707 §2.2) are checked before the code is spent (malformed → invalid_target),
 *   and must be among the authorization request's resources (invalid_target, the code spent as for a PKCE
 *   failure); they narrow the access token's audience, while the grant and its refresh token keep them all;
 * - `authorization_details` (RFC 9396 §6) likewise: malformed → invalid_request before the code is spent; each
 *   element within the granted details (`narrowAuthorizationDetails`, invalid_authorization_details otherwise)
 *   narrows the access token's details, while the grant and its refresh token keep them all;
 * - a code bound to a DPoP key (`dpop_jkt`, RFC 9449 §10) needs a proof of that key (invalid_grant, the
 *   code spent as for a PKCE failure); the tokens are bound as `tokenRequestBinding` says;
 * - the code's scopes are narrowed to those the service and the client allow now (`stillGrantable`,
 *   as a refresh does, SEC-071): a scope withdrawn since the authorization is dropped silently, with
 *   the UserInfo claims only it stood for, and `scope` in the response lists what was granted (RFC 6749 §3.3).
 * Mints an access token, a refresh token when the client and service allow one (`withRefreshToken`), and an ID
 * token when `openid` is still granted (with nonce, auth_time, acr, at_hash and the user claims, and `sid` when the
 * user authorized in a login session).
 * OpenID Connect Native SSO (§3.3): on a service with nativeSsoSupported, a code of a login session whose
 * openid and device_sso scopes are still granted answers NATIVE_SSO instead: the tokens are written, no ID token
 * is made, and the login server finishes the response with /nativesso; a `device_secret` parameter the client sent
 * is passed on.
 */
async function handle({ deps, service, auth, params, withRefreshToken, request, sender }: GrantTypeContext) {
  const code = requiredParameter(params, "code");
  const requested = requestedResources(params);
  const requestedDetails = requestedAuthorizationDetails(params);
  const now = deps.now();
  const consumed = await deps.store.consumeAuthorizationCode(service.serviceId, credentialHash(code), auth.client.clientId, now);
  if (consumed.outcome === "replayed") {
    // Stamped with the time the replay was seen, which is after the winner started (see below).
    await deps.store.revokeGrant(service.serviceId, consumed.grantId, deps.now());
    deps.logger.warn({ serviceId: service.serviceId, grantId: consumed.grantId }, "authorization code replayed; grant revoked");
    throw new OAuthError("invalid_grant", "The authorization code was already used.", "tokenCodeReplayed");
  }
  if (consumed.outcome === "unknown") {
    throw new OAuthError("invalid_grant", "The authorization code is invalid or expired.", "tokenCodeInvalid");
  }
  const record = consumed.code;
  if (record.expiresAt <= now) {
    throw new OAuthError("invalid_grant", "The authorization code is invalid or expired.", "tokenCodeInvalid");
  }
  const payload = record.payload as AuthorizationCodePayload;

  const redirectUri = params.get("redirect_uri");
  if (payload.redirectUri !== null ? redirectUri !== payload.redirectUri : redirectUri !== undefined && !auth.client.redirectUris.includes(redirectUri)) {
    throw new OAuthError("invalid_grant", "The redirect_uri does not match the one of the authorization request.", "tokenRedirectUriMismatch");
  }
  const sentTo = payload.sentTo ?? payload.redirectUri;
  if (sentTo !== null && !redirectUriMatches(service, auth.client, sentTo)) {
    throw new OAuthError("invalid_grant", "The redirect URI the code was sent to is no longer registered.", "tokenRedirectUriWithdrawn");
  }
  verifyPkce(payload.codeChallenge, payload.codeChallengeMethod, params.get("code_verifier"));
  const binding = tokenRequestBinding({ service, client: auth.client, presented: sender, grant: { codeDpopJkt: payload.dpopJkt } });
  const accessTokenResources = narrowResources(payload.resources, requested);
  const authorizationDetails = payload.authorizationDetails ?? [];
  const accessTokenAuthorizationDetails = narrowAuthorizationDetails(authorizationDetails, requestedDetails);

  // A grant revoked before this request started refuses the code (SEC-049). One revoked since was
  // revoked by a replay racing this request, which won the code: it goes on (exactly one OK,
  // SEC-046), and the store writes its tokens revoked (SEC-043). The grant was read with the code.
  const grant = consumed.grant;
  if (!grant || (grant.revokedAt !== null && grant.revokedAt < now)) {
    throw new OAuthError("invalid_grant", "The authorization behind the code was revoked.", "tokenGrantRevoked");
  }

  const scopes = payload.scopes.filter(stillGrantable(service, auth.client));
  const sessionId = service.nativeSsoSupported ? (payload.sessionId ?? null) : null;
  // The ID token of a Native SSO redemption is made by /nativesso, with the device secret's hash.
  const nativeSso = sessionId !== null && takesPartInNativeSso(service, scopes);
  const properties = mergeProperties(payload.properties, request.properties);
  const details: TokenDetails = {
    grantType: "AUTHORIZATION_CODE",
    authTime: payload.authTime,
    acr: payload.acr,
    sub: payload.sub,
    properties,
    resources: payload.resources,
    accessTokenResources,
    authorizationDetails,
    accessTokenAuthorizationDetails,
    claimsAtUserInfo: claimsOfKeptScopes(payload.claimsAtUserInfo, payload.scopes, scopes),
    clientIdAliasUsed: payload.clientIdAliasUsed,
    ...binding.accessToken,
    ...(payload.gmAction ? { gmAction: payload.gmAction } : {}),
    ...(sessionId !== null ? { sessionId } : {}),
    ...(nativeSso && payload.nonce ? { nonce: payload.nonce } : {}),
  };
  const input: MintTokensInput = {
    service,
    client: auth.client,
    grantId: grant.grantId,
    newGrant: null,
    subject: payload.subject,
    scopes,
    details,
    withRefreshToken,
    accessTokenDuration: request.accessTokenDuration && request.accessTokenDuration > 0 ? request.accessTokenDuration : payload.accessTokenDuration,
    refreshTokenDuration: request.refreshTokenDuration,
    jwtAtClaims: request.jwtAtClaims ?? payload.jwtAtClaims,
    accessTokenValue: request.accessToken,
    refreshTokenBinding: binding.refreshToken,
  };
  const { minted, write } = await prepareTokens(deps, input);
  const idTokenSigning =
    scopes.includes("openid") && !nativeSso
    ? startIdToken(deps, {
        service,
        client: auth.client,
        subject: payload.subject,
        sub: payload.sub,
        nonce: payload.nonce,
        authTime: payload.authTime,
        acr: payload.acr,
        claims: parseJsonObject(payload.idTokenClaims),
        accessToken: minted.accessToken,
        idtHeaderParams: payload.idtHeaderParams,
        sessionId,
        audType: payload.idTokenAudType,
      })
    : null;
  await writeTokens(deps, input, write);
  const idToken = idTokenSigning ? await idTokenSigning : null;

  const outcome = tokenSuccess(
    service,
    auth,
    {
      minted,
      idToken,
      grantType: "AUTHORIZATION_CODE",
      grantId: grant.grantId,
      subject: payload.subject,
      scopes,
      properties,
      accessTokenResources,
      accessTokenAuthorizationDetails,
      accessTokenBinding: binding.accessToken,
      gmAction: payload.gmAction ?? null,
    },
    requested,
    "tokenCodeIssued",
  );
  if (!nativeSso || sessionId === null) return outcome;
  const deviceSecret = params.get("device_secret");
  return nativeSsoOutcome(outcome, { sessionId, ...(deviceSecret ? { deviceSecret } : {}) }, "tokenNativeSsoCode");
}

export const authorizationCodeGrantType: GrantTypeModule<"AUTHORIZATION_CODE"> = {
  grantType: "AUTHORIZATION_CODE",
  implemented: true,
  confidentialOnly: false,
  refreshTokens: "when-refresh-token-enabled",
  redeemsCredential: true,
  parameters: ["code", "redirect_uri", "code_verifier", "resource", "authorization_details", "device_secret"],
  handle,
};
