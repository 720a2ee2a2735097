import { z } from "@hono/zod-openapi";
import { AUTH_TIME_CLOCK_SKEW_SECONDS } from "../../core/authorization/issue/check-auth-time.js";
import { MAX_DURATION_SECONDS, Property, RequestDuration } from "../../domain/common.js";
import { honoured } from "../../domain/field-support.js";
import { cimdOptions } from "./cimd-options.js";
import { clientCredentialInputs } from "./security-inputs.js";

/** `/device/authorization` (Authlete's `device_authorization_request`). */
export const deviceAuthorizationRequestFields = {
  parameters: honoured(
    z.string().max(65_536).optional(),
    "The form body the device authorization endpoint received (RFC 8628 section 3.1), unparsed. Missing or empty yields BAD_REQUEST (A220201).",
  ),
  ...clientCredentialInputs,
  cimdOptions,
};

/** `/device/verification` (Authlete's `device_verification_request`). */
export const deviceVerificationRequestFields = {
  userCode: honoured(
    z.string().min(1).max(100),
    "The code the user typed on the verification page, as typed: case, spaces and dashes do not matter (RFC 8628 section 6.1).",
  ),
};

export const deviceCompleteResults = ["AUTHORIZED", "ACCESS_DENIED", "TRANSACTION_FAILED"] as const;

/** `/device/complete` (Authlete's `device_complete_request`). */
export const deviceCompleteRequestFields = {
  userCode: honoured(z.string().min(1).max(100), "The user code the decision is about, as typed (case, spaces and dashes do not matter)."),
  result: honoured(
    z.enum(deviceCompleteResults),
    "The user's decision: AUTHORIZED, ACCESS_DENIED (the client's next poll gets access_denied) or TRANSACTION_FAILED (no decision could be obtained: expired_token).",
  ),
  subject: honoured(z.string().max(1000).optional(), "The user who approved: 1–100 printable ASCII characters; required with AUTHORIZED (A241201)."),
  sub: honoured(z.string().max(1000).optional(), "Value of the ID token `sub` instead of the subject (or its pairwise form)."),
  authTime: honoured(
    z.number().int().min(0).optional(),
    `When the user authenticated, seconds since epoch (the ID token's \`auth_time\`); never more than ${AUTH_TIME_CLOCK_SKEW_SECONDS} s in the future.`,
  ),
  acr: honoured(z.string().max(200).optional(), "The ACR the authentication met (the ID token's `acr`)."),
  claims: honoured(
    z.string().max(65_536).optional(),
    "JSON object of claim values for the ID token; only the claims the scopes stand for (`claimNames`), and of those the `consentedClaims`, are kept.",
  ),
  properties: honoured(z.array(Property).max(100).optional(), "Extra properties kept with the tokens; visible ones are added to the token response."),
  scopes: honoured(
    z.array(z.string().max(200)).max(1000).optional(),
    "Replaces the requested scopes; cannot add openid and names only scopes the client may request (A040203, A040206, A040207 as INVALID_REQUEST).",
  ),
  errorDescription: honoured(z.string().max(1000).optional(), "ACCESS_DENIED / TRANSACTION_FAILED: the `error_description` of the client's next poll (its result code still leads it)."),
  errorUri: honoured(z.string().max(2000).optional(), "ACCESS_DENIED / TRANSACTION_FAILED: the `error_uri` of the client's next poll; an absolute http(s) URI."),
  idtHeaderParams: honoured(z.string().max(8192).optional(), "JSON object of extra JWS header parameters for the ID token."),
  consentedClaims: honoured(z.array(z.string().max(200)).max(1000).optional(), "The claims the user consented to disclose; others are left out of the ID token and UserInfo."),
  jwtAtClaims: honoured(z.string().max(65_536).optional(), "JSON object of extra claims for a JWT access token."),
  accessTokenDuration: honoured(
    RequestDuration.min(0).optional(),
    `Lifetime in seconds of the access token, at most ${MAX_DURATION_SECONDS}; 0 or absent: the configured one.`,
  ),
  refreshTokenDuration: honoured(
    RequestDuration.min(0).optional(),
    `Lifetime in seconds of the refresh token, at most ${MAX_DURATION_SECONDS}; 0 or absent: the configured one.`,
  ),
  idTokenAudType: honoured(
    z.enum(["array", "string"]).nullish(),
    "The shape of the ID token's `aud`: `array` (the client id in an array) or `string`; absent: the service's idTokenAudType, else one string.",
  ),
};
