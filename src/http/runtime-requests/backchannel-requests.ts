import { z } from "@hono/zod-openapi";
import { AUTH_TIME_CLOCK_SKEW_SECONDS } from "../../core/authorization/issue/check-auth-time.js";
import { backchannelCompleteResults } from "../../core/backchannel/complete-backchannel-authentication.js";
import { backchannelFailReasons } from "../../core/backchannel/fail-backchannel-authentication.js";
import { MAX_DURATION_SECONDS, Property, RequestDuration } from "../../domain/common.js";
import { honoured } from "../../domain/field-support.js";
import { cimdOptions } from "./cimd-options.js";
import { clientCredentialInputs } from "./security-inputs.js";
import { chosenAccessToken } from "./token-requests.js";


/** `/backchannel/authentication` (Authlete's `backchannel_authentication_request`). */
export const backchannelAuthenticationRequestFields = {
  parameters: honoured(
    z.string().max(65_536).optional(),
    "The form body the backchannel authentication endpoint received (CIBA Core section 7.1), unparsed. Missing or empty yields BAD_REQUEST (A179201).",
  ),
  ...clientCredentialInputs,
  cimdOptions,
};

/** `/backchannel/authentication/issue` (Authlete's `backchannel_authentication_issue_request`). */
export const backchannelAuthenticationIssueRequestFields = {
  ticket: honoured(
    z.string().min(1).max(200),
    "The ticket of the USER_IDENTIFICATION answer; spent by this call. Keep it: /backchannel/authentication/complete takes it to report the user's decision.",
  ),
};

const reasons = Object.keys(backchannelFailReasons) as [keyof typeof backchannelFailReasons, ...(keyof typeof backchannelFailReasons)[]];

/** `/backchannel/authentication/fail` (Authlete's `backchannel_authentication_fail_request`). */
export const backchannelAuthenticationFailRequestFields = {
  ticket: honoured(z.string().min(1).max(200), "The ticket of the USER_IDENTIFICATION answer; spent by this call."),
  reason: honoured(
    z.enum(reasons),
    "Why the request is refused; chooses the CIBA Core section 13 `error`: ACCESS_DENIED → access_denied (FORBIDDEN); SERVER_ERROR → server_error (INTERNAL_SERVER_ERROR); " +
      "EXPIRED_LOGIN_HINT_TOKEN, INVALID_BINDING_MESSAGE, INVALID_TARGET, INVALID_USER_CODE, MISSING_USER_CODE, UNAUTHORIZED_CLIENT, UNKNOWN_USER_ID → the same-named error (BAD_REQUEST).",
  ),
  errorDescription: honoured(z.string().max(1000).optional(), "Replaces the default text of `error_description`; the reason's result code still prefixes it."),
  errorUri: honoured(z.string().max(2000).optional(), "Replaces `error_uri`."),
};

/** `/backchannel/authentication/complete` (Authlete's `backchannel_authentication_complete_request`). */
export const backchannelAuthenticationCompleteRequestFields = {
  ticket: honoured(z.string().min(1).max(200), "The ticket /backchannel/authentication/issue was called with; the decision counts once."),
  result: honoured(
    z.enum(backchannelCompleteResults),
    "The user's decision: AUTHORIZED, ACCESS_DENIED (the client gets access_denied) or TRANSACTION_FAILED (no decision could be obtained: the client gets expired_token).",
  ),
  subject: honoured(z.string().max(1000).optional(), "The user who approved: 1–100 printable ASCII characters; required with AUTHORIZED (A198202)."),
  sub: honoured(z.string().max(1000).optional(), "Value of the ID token `sub` instead of the subject (or its pairwise form)."),
  authTime: honoured(
    z.number().int().min(0).optional(),
    `When the user authenticated on the authentication device, seconds since epoch (the ID token's \`auth_time\`); never more than ${AUTH_TIME_CLOCK_SKEW_SECONDS} s in the future.`,
  ),
  acr: honoured(z.string().max(200).optional(), "The ACR the authentication met (the ID token's `acr`)."),
  claims: honoured(
    z.string().max(65_536).optional(),
    "JSON object of claim values for the ID token; only the claims the scopes stand for (`claimNames`), and of those the `consentedClaims`, are kept.",
  ),
  properties: honoured(z.array(Property).max(100).optional(), "Extra properties kept with the tokens; visible ones are added to the token response."),
  scopes: honoured(z.array(z.string().max(200)).max(1000).optional(), "Replaces the requested scopes; must keep openid (A198203) and name scopes the client may request."),
  idtHeaderParams: honoured(z.string().max(8192).optional(), "JSON object of extra JWS header parameters for the ID token."),
  errorDescription: honoured(z.string().max(1000).optional(), "ACCESS_DENIED / TRANSACTION_FAILED: the `error_description` of the push notification and of the client's next poll."),
  errorUri: honoured(z.string().max(2000).optional(), "ACCESS_DENIED / TRANSACTION_FAILED: the `error_uri` of the push notification."),
  consentedClaims: honoured(z.array(z.string().max(200)).max(1000).optional(), "The claims the user consented to disclose; others are left out of the ID token and UserInfo."),
  jwtAtClaims: honoured(z.string().max(65_536).optional(), "JSON object of extra claims for a JWT access token."),
  accessToken: honoured(
    chosenAccessToken,
    "Push mode: value for the access token minted now (opaque tokens only), 32 to 1000 characters. In poll and ping modes the token is minted by /auth/token, which takes its own `accessToken`; here it is refused (A198204).",
  ),
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
