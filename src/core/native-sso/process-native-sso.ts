import { sha256 } from "../../crypto/secrets.js";
import type { Service } from "../../domain/service.js";
import { subjectPattern } from "../authorization/issue/issue-input.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { issuedTokensResponse, reissuableTokens, type TokenPairRefusals } from "../id-token-reissue/reissuable-tokens.js";
import { reissuedClaims } from "../id-token-reissue/reissued-claims.js";
import { jsonObjectOf } from "../id-token-reissue/reissue-id-token.js";
import { resultBody } from "../result-codes.js";
import { createIdToken, type IdTokenAudType } from "../tokens/id-token.js";
import { deviceSecretBinding } from "./device-secret-binding.js";

/** What the login server sends to /nativesso (Authlete's `native_sso_request`). */
export interface NativeSsoInput {
  /** The access token of the NATIVE_SSO answer (its `jwtAccessToken` when the service signs access tokens). */
  accessToken?: string | null;
  /** The refresh token of the same answer, when it has one. */
  refreshToken?: string | null;
  /** The device secret to hand out: the client's, when the login server accepts it, or a new one. */
  deviceSecret?: string | null;
  /** The ID token's `ds_hash`; absent: base64url of the device secret's SHA-256. */
  deviceSecretHash?: string | null;
  sub?: string | null;
  claims?: string | null;
  idtHeaderParams?: string | null;
  idTokenAudType?: IdTokenAudType | null;
}

export type NativeSsoResult =
  | { action: "OK"; resultCode: string; resultMessage: string; responseContent: string; idToken: string }
  | { action: "CALLER_ERROR"; resultCode: string; resultMessage: string };

const nativeSsoRefusals: TokenPairRefusals = {
  accessTokenUnknown: "nativeSsoAccessTokenUnknown",
  accessTokenInactive: "nativeSsoAccessTokenInactive",
  refreshTokenUnknown: "nativeSsoRefreshTokenUnknown",
  refreshTokenInactive: "nativeSsoRefreshTokenInactive",
  tokensMismatch: "nativeSsoTokensMismatch",
  noOpenid: "nativeSsoNoOpenid",
  grantRevoked: "nativeSsoGrantRevoked",
};

const ISSUED_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

/**
 * `/nativesso` (OpenID Connect Native SSO §3.4, §4.2): after /auth/token answered NATIVE_SSO and the
 * login server checked the session, the ID token for the tokens it issued and the token response
 * to relay. The ID token: iss, sub (the override, else the grant's), aud (`idTokenAudType`: an array or
 * one string; absent: the service's idTokenAudType), exp, iat, auth_time and acr of the session's authentication, the
 * authorization request's nonce for a redeemed code, at_hash, `sid` (the tokens' session) and
 * `ds_hash` (`deviceSecretHash`, else base64url SHA-256 of the device secret), and the consented
 * claims of `claims`. The response: the token response of the tokens (expires_in what is left of
 * the access token's life), id_token, device_secret, and issued_token_type after a token exchange.
 * The device secret is recorded with the tokens' grant and the ID token's `ds_hash`, replacing the one
 * before: a later Native SSO token exchange must present this ID token with this device secret. Every call that cannot be
 * answered is CALLER_ERROR with its own code, checked before anything is signed or written.
 */
export async function processNativeSso(deps: CoreDeps, service: Service, input: NativeSsoInput): Promise<NativeSsoResult> {
  try {
    return await issue(deps, service, input);
  } catch (error) {
    if (!(error instanceof CallerError)) throw error;
    return { ...resultBody(error.resultName, ...error.args), action: "CALLER_ERROR" };
  }
}

async function issue(deps: CoreDeps, service: Service, input: NativeSsoInput): Promise<NativeSsoResult> {
  if (!service.nativeSsoSupported) throw new CallerError("nativeSsoNotEnabled");
  const { accessToken, deviceSecret } = input;
  if (!accessToken) throw new CallerError("nativeSsoFieldMissing", "accessToken");
  if (!deviceSecret) throw new CallerError("nativeSsoFieldMissing", "deviceSecret");
  if (input.sub && !subjectPattern.test(input.sub)) throw new CallerError("nativeSsoSubInvalid");
  const claims = jsonObjectOf(input.claims, "claims", "nativeSsoJsonObjectInvalid");
  jsonObjectOf(input.idtHeaderParams, "idtHeaderParams", "nativeSsoJsonObjectInvalid");

  const tokens = await reissuableTokens(deps, service, accessToken, input.refreshToken || null, nativeSsoRefusals);
  const { details, client } = tokens;
  const record = tokens.accessToken;
  const sessionId = details.sessionId;
  if (!sessionId) throw new CallerError("nativeSsoNoSession");

  const dsHash = input.deviceSecretHash || sha256(deviceSecret);
  const idToken = await createIdToken(deps, {
    service,
    client,
    subject: record.subject,
    sub: input.sub || details.sub,
    nonce: details.grantType === "AUTHORIZATION_CODE" ? details.nonce : null,
    authTime: details.authTime,
    acr: details.acr,
    claims: reissuedClaims(tokens, claims),
    accessToken,
    idtHeaderParams: input.idtHeaderParams || null,
    sessionId,
    deviceSecretHash: dsHash,
    audType: input.idTokenAudType,
  });
  // Revoked since it was read: the device secret would open nothing, so no answer is given.
  if (!(await deps.store.recordDeviceSecret(service.serviceId, record.grantId, deviceSecretBinding(dsHash, deviceSecret)))) throw new CallerError("nativeSsoGrantRevoked");

  const body = issuedTokensResponse(deps, service, tokens, accessToken, input.refreshToken || null, idToken);
  body.device_secret = deviceSecret;
  if (details.grantType === "TOKEN_EXCHANGE") body.issued_token_type = ISSUED_TOKEN_TYPE;
  return { ...resultBody("nativeSsoIssued"), action: "OK", responseContent: JSON.stringify(body), idToken };
}
