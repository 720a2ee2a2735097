import { credentialHash } from "../../../crypto/secrets.js";
import type { TokenDetails } from "../../../domain/protocol.js";
import { detailsOf } from "../../introspection/access-token-state.js";
import { OAuthError } from "../../oauth-error.js";
import { tokenRequestBinding } from "../../sender/token-request-binding.js";
import { chosenAccessTokenConflict } from "../../tokens/chosen-access-token.js";
import { startIdToken } from "../../tokens/id-token.js";
import { refreshTokenLifetime } from "../../tokens/lifetimes.js";
import { enforceSingleAccessToken, type MintTokensInput, prepareTokens, writeTokens } from "../../tokens/mint-tokens.js";
import { narrowAuthorizationDetails, requestedAuthorizationDetails } from "../authorization-details-policy.js";
import { parseScope, requiredParameter } from "../parse-token-parameters.js";
import { narrowResources, requestedResources } from "../resource-policy.js";
import { stillGrantable } from "../scope-policy.js";
import { mergeProperties, tokenSuccess } from "../token-success.js";
import type { GrantTypeContext, GrantTypeModule } from "./grant-type-module.js";
import { nativeSsoOutcome } from "../../native-sso/native-sso-outcome.js";
import { takesPartInNativeSso } from "../../native-sso/native-sso-scopes.js";

const invalidRefreshToken = () =>
  new OAuthError("invalid_grant", "The refresh token is invalid, expired or revoked.", "tokenRefreshTokenInvalid");
const reusedRefreshToken = () =>
  new OAuthError("invalid_grant", "The refresh token was already used.", "tokenRefreshTokenReused");

/**
 * grant_type=refresh_token (RFC 6749 §6, RFC 9700 §4.14):
 * - the token must belong to the authenticated client (SEC-064), be live, and its grant unrevoked (SEC-067);
 * - `scope` may only narrow the original grant; a wider scope → invalid_scope (SEC-066); the new
 *   refresh token keeps the original scope; scopes the service or client no longer allows are
 *   dropped from the new access token (SEC-071);
 * - `resource` (RFC 8707 §2.2) narrows the new access token's audience to resources of the grant
 *   (invalid_target otherwise, checked before the token is spent); without it the access token is for
 *   all of them again; the new refresh token keeps the grant's resources;
 * - `authorization_details` (RFC 9396 §6) narrows the new access token's details the same way
 *   (invalid_request when malformed, invalid_authorization_details beyond the grant's, both before the
 *   token is spent); the new refresh token keeps the grant's details;
 * - a refresh token bound to a DPoP key (a public client's, RFC 9449 §5) needs a proof of that key
 *   (invalid_grant, catalogue SEC-069, checked before the token is spent); the new tokens are bound as
 *   `tokenRequestBinding` says (a confidential client's new access token to its new proof's key);
 * - rotation (unless `refreshTokenKept`): the presented token is marked rotated and a new one written
 *   in one transaction, so of parallel refreshes exactly one wins; a rotated token presented again
 *   revokes the whole grant (SEC-062/063);
 * - `refreshTokenDurationKept`: the new refresh token expires when the old one would have;
 * - `refreshTokenDurationReset` (only with `refreshTokenKept`, as in Authlete): the kept token's expiry
 *   restarts at now + its lifetime (`refreshTokenLifetime`, the request's `refreshTokenDuration` included);
 *   otherwise a kept token keeps its expiry;
 * - an ID token is minted again when `openid` is in scope, with the original `sub`, `auth_time`
 *   and `acr`, and no nonce (OIDC Core §12.2);
 * - with the service's `idTokenReissuable`, such a refresh answers ID_TOKEN_REISSUABLE instead of OK, with
 *   the same tokens and responseContent: the login server relays it, or calls /idtoken/reissue;
 * - OpenID Connect Native SSO: the ID token carries the tokens' login session as `sid`; on a service with
 *   nativeSsoSupported, tokens of a session with openid and device_sso still granted answer NATIVE_SSO (before
 *   ID_TOKEN_REISSUABLE): the tokens are written, no ID token is made, and the login server finishes the response
 *   with /nativesso; a `device_secret` parameter the client sent is passed on.
 */
async function handle({ deps, service, auth, params, withRefreshToken, request, sender }: GrantTypeContext) {
  const presented = requiredParameter(params, "refresh_token");
  const resources = requestedResources(params);
  const requestedDetails = requestedAuthorizationDetails(params);
  const now = deps.now();
  const record = await deps.store.findRefreshToken(service.serviceId, credentialHash(presented));
  if (!record || record.clientId !== auth.client.clientId) throw invalidRefreshToken();
  if (record.rotatedAt !== null) {
    await deps.store.revokeGrant(service.serviceId, record.grantId, now);
    deps.logger.warn({ serviceId: service.serviceId, grantId: record.grantId }, "rotated refresh token reused; grant revoked");
    throw reusedRefreshToken();
  }
  if (record.revokedAt !== null || record.expiresAt <= now) throw invalidRefreshToken();
  const previous = detailsOf(record.details);
  const binding = tokenRequestBinding({ service, client: auth.client, presented: sender, grant: { refreshToken: previous } });

  const requested = parseScope(params.get("scope"));
  if (requested) {
    const widened = requested.filter((scope) => !record.scopes.includes(scope));
    if (widened.length > 0) {
      throw new OAuthError("invalid_scope", `The scope ${widened.join(" ")} was not granted originally.`, "tokenScopeInvalid");
    }
  }
  const scopes = (requested ?? record.scopes).filter(stillGrantable(service, auth.client));

  // Rotation refuses a token whose grant was revoked, in its own transaction; a kept token is checked here.
  const rotating = !service.refreshTokenKept;
  if (!rotating) {
    const grant = await deps.store.getGrant(service.serviceId, record.grantId);
    if (!grant || grant.revokedAt !== null) throw invalidRefreshToken();
  }

  const accessTokenResources = narrowResources(previous.resources, resources);
  const accessTokenAuthorizationDetails = narrowAuthorizationDetails(previous.authorizationDetails, requestedDetails);
  const properties = mergeProperties(previous.properties, request.properties);
  const details: TokenDetails = {
    ...previous,
    grantType: "REFRESH_TOKEN",
    properties,
    accessTokenResources,
    accessTokenAuthorizationDetails,
    ...binding.accessToken,
  };
  // The authorization request's nonce belongs to the first ID token only (OIDC Core §12.2).
  delete details.nonce;
  const sessionId = service.nativeSsoSupported ? (previous.sessionId ?? null) : null;
  const nativeSso = sessionId !== null && takesPartInNativeSso(service, scopes);
  const keptExpiresAt = service.refreshTokenDurationReset
    ? now + refreshTokenLifetime(service, auth.client, request.refreshTokenDuration) * 1000
    : record.expiresAt;
  const input: MintTokensInput = {
    service,
    client: auth.client,
    grantId: record.grantId,
    newGrant: null,
    subject: record.subject,
    scopes,
    details,
    withRefreshToken,
    accessTokenDuration: request.accessTokenDuration,
    refreshTokenDuration: request.refreshTokenDuration,
    jwtAtClaims: request.jwtAtClaims,
    accessTokenValue: request.accessToken,
    refreshTokenScopes: record.scopes,
    refreshTokenExpiresAt: service.refreshTokenDurationKept ? record.expiresAt : null,
    keptRefreshToken: rotating ? null : { value: presented, record, expiresAt: keptExpiresAt },
    refreshTokenBinding: binding.refreshToken,
  };

  const { minted, write } = await prepareTokens(deps, input);
  const idTokenSigning =
    scopes.includes("openid") && record.subject !== null && !nativeSso
      ? startIdToken(deps, {
          service,
          client: auth.client,
          subject: record.subject,
          sub: previous.sub,
          authTime: previous.authTime,
          acr: previous.acr,
          accessToken: minted.accessToken,
          sessionId,
        })
      : null;
  if (rotating) {
    // Also retires the access token issued with the presented refresh token.
    const rotated = await deps.store.rotateRefreshToken(service.serviceId, record.tokenHash, now, write).catch((error: unknown) => {
      throw chosenAccessTokenConflict(request.accessToken, error);
    });
    if (rotated.outcome === "replayed") {
      await deps.store.revokeGrant(service.serviceId, rotated.grantId, deps.now());
      deps.logger.warn({ serviceId: service.serviceId, grantId: rotated.grantId }, "refresh token used concurrently; grant revoked");
      throw reusedRefreshToken();
    }
    if (rotated.outcome === "unknown") throw invalidRefreshToken();
    await enforceSingleAccessToken(deps, input, write);
  } else {
    // Also a last look that the kept token is live: a revocation since it was read makes it fail.
    if (service.refreshTokenDurationReset && !(await deps.store.resetRefreshTokenExpiry(service.serviceId, record.tokenHash, keptExpiresAt, now))) {
      throw invalidRefreshToken();
    }
    await writeTokens(deps, input, write);
    // The access token issued with the kept refresh token is retired by this refresh.
    await deps.store.revokeAccessTokensOfRefreshToken(service.serviceId, record.grantId, record.tokenHash, deps.now(), write.accessToken.tokenHash);
  }
  const idToken = idTokenSigning ? await idTokenSigning : null;

  const outcome = tokenSuccess(
    service,
    auth,
    {
      minted,
      idToken,
      grantType: "REFRESH_TOKEN",
      grantId: record.grantId,
      subject: record.subject,
      scopes,
      properties,
      accessTokenResources,
      accessTokenAuthorizationDetails,
      accessTokenBinding: binding.accessToken,
      gmAction: previous.gmAction ?? null,
    },
    resources,
    "tokenRefreshIssued",
  );
  if (nativeSso) {
    const deviceSecret = params.get("device_secret");
    return nativeSsoOutcome(outcome, { sessionId, ...(deviceSecret ? { deviceSecret } : {}) }, "tokenNativeSsoRefresh");
  }
  // Authlete's ID_TOKEN_REISSUABLE: the same tokens and responseContent as OK (the ID token above, without
  // user claims), so a login server that treats it as OK loses nothing; /idtoken/reissue adds the claims.
  return service.idTokenReissuable && idToken !== null ? { ...outcome, action: "ID_TOKEN_REISSUABLE" as const } : outcome;
}

export const refreshTokenGrantType: GrantTypeModule<"REFRESH_TOKEN"> = {
  grantType: "REFRESH_TOKEN",
  implemented: true,
  confidentialOnly: false,
  refreshTokens: "renews",
  redeemsCredential: true,
  parameters: ["refresh_token", "scope", "resource", "authorization_details", "device_secret"],
  handle,
};
