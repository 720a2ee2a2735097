import { z } from "@hono/zod-openapi";
import { failReasons } from "../../core/authorization/fail/fail-authorization.js";
import { AUTH_TIME_CLOCK_SKEW_SECONDS } from "../../core/authorization/issue/check-auth-time.js";
import { TicketContext } from "../../core/authorization/ticket-info/ticket-info-input.js";
import { MAX_DURATION_SECONDS, RequestDuration } from "../../domain/common.js";
import { honoured } from "../../domain/field-support.js";
import { AuthzDetails } from "../authorization-details-wire.js";
import { cimdOptions } from "./cimd-options.js";
import { chosenAccessToken } from "./token-requests.js";
import { transformedClaimInputs } from "./transformed-claims.js";

const PropertySchema = z
  .object({ key: z.string().min(1).max(200), value: z.string().max(65_535), hidden: z.boolean().optional() })
  .openapi("Property");

/** `/auth/authorization` (Authlete's `authorization_request`). */
export const authorizationRequestFields = {
  parameters: honoured(
    z.string().max(65_536).optional(),
    "The authorization request as received: the whole query string of a GET, or the whole form body of a POST, unparsed. Required; missing or empty yields action BAD_REQUEST (A004201).",
  ),
  context: honoured(
    TicketContext.optional(),
    "Opaque text kept (encrypted) with the ticket, read and replaced by ticket/info and ticket/update, and echoed as `ticketInfo.context` by /issue.",
  ),
  cimdOptions,
};

/** `/auth/authorization/issue` (Authlete's `authorization_issue_request`). */
export const authorizationIssueRequestFields = {
  ticket: honoured(z.string().min(1).max(200), "The ticket of /auth/authorization; spent by this call."),
  subject: honoured(z.string().max(1000), "The user's stable id at the login server: 1–100 printable ASCII characters."),
  authTime: honoured(
    z.number().int().min(0).optional(),
    "When the user authenticated, seconds since epoch (the ID token's `auth_time`). Required when the request sent `max_age` (0 included), " +
      "the client has a `defaultMaxAge` or `authTimeRequired`, or the request asked for `auth_time` as an essential claim (A040208); " +
      `never more than ${AUTH_TIME_CLOCK_SKEW_SECONDS} s in the future (A040209); with \`max_age\` or \`defaultMaxAge\`, not older than \`maxAge\` seconds (plus ${AUTH_TIME_CLOCK_SKEW_SECONDS} s of clock skew) before the request (A040210).`,
  ),
  acr: honoured(z.string().max(200).optional(), "The ACR the authentication met (the ID token's `acr`); one of the requested ones when they are essential."),
  claims: honoured(z.string().max(65_536).optional(), "JSON object with the values of the requested claims."),
  properties: honoured(z.array(PropertySchema).max(100).optional(), "Extra properties kept with the code and tokens; visible ones are added to the token response."),
  scopes: honoured(z.array(z.string().max(200)).max(1000).optional(), "Replaces the requested scopes; cannot add openid."),
  sub: honoured(z.string().max(1000).optional(), "Value of the ID token `sub` instead of the subject (or its pairwise form)."),
  idtHeaderParams: honoured(z.string().max(8192).optional(), "JSON object of extra JWS header parameters for the ID token."),
  consentedClaims: honoured(z.array(z.string().max(200)).max(1000).optional(), "The claims the user consented to disclose; others are left out of the ID token and UserInfo."),
  jwtAtClaims: honoured(z.string().max(65_536).optional(), "JSON object of extra claims for a JWT access token."),
  accessToken: honoured(chosenAccessToken, "Value for the access token of an implicit or hybrid response (opaque tokens only): 32 to 1000 characters; empty or absent: a generated one."),
  accessTokenDuration: honoured(
    RequestDuration.min(0).optional(),
    `Lifetime in seconds of the access token of an implicit or hybrid response, at most ${MAX_DURATION_SECONDS}; 0 or absent: the configured one.`,
  ),
  ...transformedClaimInputs,
  authorizationDetails: honoured(
    AuthzDetails.nullish(),
    "Replaces the request's `authorization_details` (RFC 9396) with what the user granted: narrowed, or enriched (RFC 9396 section 7), " +
      "each type one the service supports and the client may request (A040211, A040212); each element's `otherFields` a JSON object. Absent, null or without elements: the request's details.",
  ),
  sessionId: honoured(
    z.string().max(200).nullish(),
    "The user's login session at the login server (OpenID Connect Native SSO): on a service with nativeSsoSupported it is kept with the grant, is the `sid` of " +
      "its ID tokens, and /nativesso/logout ends it; required when /auth/authorization answered nativeSsoRequested (A040213). Never the session cookie's value: " +
      "it travels in ID tokens. Without nativeSsoSupported it is accepted and not used, as in Authlete.",
  ),
  idTokenAudType: honoured(
    z.enum(["array", "string"]).nullish(),
    "The shape of the ID token's `aud`: `array` (the client id in an array) or `string`; absent: the service's idTokenAudType, else one string.",
  ),
};

const reasons = Object.keys(failReasons) as [keyof typeof failReasons, ...(keyof typeof failReasons)[]];

/** `/auth/authorization/fail` (Authlete's `authorization_fail_request`). */
export const authorizationFailRequestFields = {
  ticket: honoured(z.string().min(1).max(200), "The ticket of /auth/authorization; spent by this call."),
  reason: honoured(
    z.enum(reasons),
    "Why the request is refused; chooses the OAuth `error`. INVALID_SCOPE, UNAUTHORIZED_CLIENT and TEMPORARILY_UNAVAILABLE [ext] are newer Authlete library values.",
  ),
  description: honoured(z.string().max(1000).optional(), "Replaces the default text of `error_description`; the reason's result code still prefixes it."),
};
