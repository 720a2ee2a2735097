import type { TokenDetails } from "../../domain/protocol.js";
import { claimsOfScopes } from "../claims/standard-claims.js";
import { OAuthError } from "../oauth-error.js";
import { tokenRequestBinding } from "../sender/token-request-binding.js";
import type { GrantTypeContext } from "../token/grant-types/grant-type-module.js";
import { parseScope } from "../token/parse-token-parameters.js";
import { requestedResources } from "../token/resource-policy.js";
import { grantableScopes, stillGrantable } from "../token/scope-policy.js";
import { tokenTypeCodes, type PresentableTokenType } from "../token/token-exchange/token-types.js";
import { verifyOwnIdTokenOfAnyAge } from "../token/token-exchange/verify-presented-jwt.js";
import type { TokenOutcome } from "../token/token-outcome.js";
import { mergeProperties, tokenSuccess } from "../token/token-success.js";
import { IssuedJwtRefused } from "../trusted-issuers/issued-jwt-refused.js";
import { mintTokens } from "../tokens/mint-tokens.js";
import { newGrant } from "../tokens/new-grant.js";
import { deviceSecretBinding } from "./device-secret-binding.js";
import { nativeSsoOutcome } from "./native-sso-outcome.js";
import { DEVICE_SSO_SCOPE } from "./native-sso-scopes.js";

/** What the token exchange request presented: an ID token as subject and a device secret as actor. */
export interface NativeSsoPresented {
  subjectToken: string;
  subjectTokenType: PresentableTokenType;
  deviceSecret: string;
}

const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

/** The ID token's claims the exchange stands on: its session (`sid`) and the hash of its device secret (`ds_hash`). */
async function sessionOfIdToken(context: GrantTypeContext, idToken: string) {
  let payload: Awaited<ReturnType<typeof verifyOwnIdTokenOfAnyAge>>;
  try {
    payload = await verifyOwnIdTokenOfAnyAge(context.deps, context.service, idToken);
  } catch (error) {
    if (error instanceof IssuedJwtRefused) throw new OAuthError("invalid_request", `The subject_token is not a usable ID token of this service: ${error.detail}.`, "nativeSsoIdTokenInvalid", [error.detail]);
    throw error;
  }
  for (const claim of ["sid", "ds_hash"] as const) {
    const value = payload[claim];
    if (typeof value !== "string" || value === "") {
      throw new OAuthError("invalid_request", `The subject_token has no ${claim} claim: it was not issued for Native SSO.`, "nativeSsoIdTokenClaimMissing", [claim]);
    }
  }
  return { payload, sessionId: payload.sid as string, deviceSecretHash: payload.ds_hash as string };
}

/**
 * The scopes of the new tokens: the requested ones (each one the client may have, invalid_scope
 * otherwise), or openid and device_sso of those the client may have. openid is required: the answer
 * carries an ID token.
 */
function exchangedScopes({ service, auth, params }: GrantTypeContext): string[] {
  const requested = parseScope(params.get("scope"));
  const scopes = requested === null ? ["openid", DEVICE_SSO_SCOPE].filter(stillGrantable(service, auth.client)) : grantableScopes(service, auth.client, requested);
  if (!scopes.includes("openid")) {
    throw new OAuthError("invalid_scope", "A Native SSO token exchange issues an ID token, and the client may not have the openid scope.", "nativeSsoOpenidNotGrantable");
  }
  return scopes;
}

/**
 * OpenID Connect Native SSO §4 (the token exchange profile), on a service with nativeSsoSupported:
 * a sibling app presents the ID token another app of the device received (subject_token, type
 * id_token) and the device secret that came with it (actor_token, type device-secret). In order:
 * - the subject token must be of type id_token (invalid_request);
 * - requested_token_type, when present, access_token (invalid_request); each `audience` the issuer
 *   (invalid_target, §4.1); `resource` as elsewhere; `scope` as `exchangedScopes` says;
 * - the ID token: signed by this service, its iss the issuer, with `sid` and `ds_hash`; it may have
 *   expired (invalid_request otherwise);
 * - the device secret: Tessera records the secret /nativesso hands out with a session's tokens, bound
 *   to the `ds_hash` of the ID token it came with (`deviceSecretBinding`), so it must be the secret
 *   recorded with this ID token for an unrevoked grant of its session (invalid_grant otherwise: not
 *   this ID token's, replaced since, or the session was logged out with /nativesso/logout).
 * Then, as for a redeemed code, the tokens are minted for the session's user, in a new grant of the
 * same session, and the answer is NATIVE_SSO: the login server checks the session is still alive
 * and finishes the response with /nativesso, which adds the ID token for this client.
 */
export async function exchangeForNativeSso(context: GrantTypeContext, presented: NativeSsoPresented): Promise<TokenOutcome> {
  const { deps, service, auth, params, withRefreshToken, request, sender } = context;
  if (presented.subjectTokenType !== "ID_TOKEN") {
    throw new OAuthError(
      "invalid_request",
      "With a device secret as actor_token, the subject_token must be an ID token (OpenID Connect Native SSO section 4.1).",
      "nativeSsoSubjectNotIdToken",
    );
  }
  const requestedType = params.get("requested_token_type");
  if (requestedType !== undefined && requestedType !== ACCESS_TOKEN_TYPE) {
    throw new OAuthError("invalid_request", `Native SSO issues an access token: requested_token_type ${requestedType} is not accepted.`, "nativeSsoRequestedTypeInvalid", [requestedType]);
  }
  const audiences = [...new Set(params.all("audience"))];
  if (audiences.some((audience) => audience !== service.issuer)) {
    throw new OAuthError("invalid_target", `The audience of a Native SSO token exchange must be the issuer ${service.issuer}.`, "nativeSsoAudienceInvalid", [service.issuer]);
  }
  const resources = requestedResources(params);
  const scopes = exchangedScopes(context);

  const { payload, sessionId, deviceSecretHash } = await sessionOfIdToken(context, presented.subjectToken);
  const sessionGrant = await deps.store.findDeviceSecretGrant(service.serviceId, sessionId, deviceSecretBinding(deviceSecretHash, presented.deviceSecret));
  if (!sessionGrant || sessionGrant.subject === null) {
    throw new OAuthError("invalid_grant", "The device secret is not the one handed out with the ID token in its login session, or that session has ended.", "nativeSsoDeviceSecretInvalid");
  }
  const subject = sessionGrant.subject;

  const now = deps.now();
  const binding = tokenRequestBinding({ service, client: auth.client, presented: sender, grant: {} });
  const claims = claimsOfScopes(service, scopes);
  const grant = newGrant(service.serviceId, auth.client.clientId, subject, { scopes, claims, authorizationDetails: [], resources }, now, sessionId);
  const properties = mergeProperties([], request.properties);
  const details: TokenDetails = {
    grantType: "TOKEN_EXCHANGE",
    authTime: typeof payload.auth_time === "number" ? payload.auth_time : null,
    acr: typeof payload.acr === "string" ? payload.acr : null,
    sub: null,
    properties,
    resources,
    accessTokenResources: resources,
    authorizationDetails: [],
    accessTokenAuthorizationDetails: [],
    claimsAtUserInfo: claims,
    clientIdAliasUsed: auth.clientIdAliasUsed,
    ...binding.accessToken,
    sessionId,
  };
  const minted = await mintTokens(deps, {
    service,
    client: auth.client,
    grantId: grant.grantId,
    newGrant: grant,
    subject,
    scopes,
    details,
    withRefreshToken,
    accessTokenDuration: request.accessTokenDuration,
    refreshTokenDuration: request.refreshTokenDuration,
    jwtAtClaims: request.jwtAtClaims,
    accessTokenValue: request.accessToken,
    refreshTokenBinding: binding.refreshToken,
  });
  const issued = tokenSuccess(
    service,
    auth,
    {
      minted,
      idToken: null,
      grantType: "TOKEN_EXCHANGE",
      grantId: grant.grantId,
      subject,
      scopes,
      properties,
      accessTokenResources: resources,
      accessTokenAuthorizationDetails: [],
      accessTokenBinding: binding.accessToken,
    },
    resources,
    "tokenNativeSsoExchanged",
  );
  const withExchange: TokenOutcome = {
    ...issued,
    tokenExchange: {
      subjectToken: presented.subjectToken,
      subjectTokenType: "ID_TOKEN",
      subjectTokenInfo: { subject: String(payload.sub ?? ""), ...(typeof payload.exp === "number" ? { expiresAt: payload.exp * 1000 } : {}) },
      actorToken: presented.deviceSecret,
      actorTokenType: tokenTypeCodes["urn:openid:params:token-type:device-secret"],
      ...(requestedType !== undefined ? { requestedTokenType: tokenTypeCodes[ACCESS_TOKEN_TYPE] } : {}),
      audiences,
      scopes,
    },
  };
  return nativeSsoOutcome(withExchange, { sessionId, deviceSecret: presented.deviceSecret, deviceSecretHash }, "tokenNativeSsoExchanged");
}
