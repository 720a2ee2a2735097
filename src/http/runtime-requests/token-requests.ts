import { z } from "@hono/zod-openapi";
import { tokenFailReasons } from "../../core/token/handle-token-fail.js";
import { MAX_DURATION_SECONDS, Property, RequestDuration } from "../../domain/common.js";
import { honoured } from "../../domain/field-support.js";
import { cimdOptions } from "./cimd-options.js";
import { dpopInputs, securityInputs } from "./security-inputs.js";

/** Authlete's spec types TokenRequest.properties as a string (its SDK sends it so); its servers take an array. Both are accepted. */
export const PropertiesField = z.union([z.array(Property).max(100), z.string().max(1_000_000)]).optional();

const propertiesNote =
  "Extra properties stored with the tokens: an array of `{key, value, hidden}`, or that array as a JSON string. Visible ones are added to the token response.";

const durationField = (what: string) =>
  honoured(
    RequestDuration.optional(),
    `Lifetime of the ${what} in seconds for this request, at most ${MAX_DURATION_SECONDS} (ten years); used when > 0, otherwise the service/client setting applies.`,
  );

/** An access-token value the login server chooses; "" is read as absent, as SDKs default strings to it. */
export const chosenAccessToken = z.union([z.literal(""), z.string().min(32).max(1000)]).optional();

const dpop = dpopInputs({ htm: "default POST", htu: "default the service's `tokenEndpoint`" });

/** `/auth/token` (Authlete's `token_request`). */
export const tokenRequestFields = {
  parameters: honoured(
    z.string().max(65_536).optional(),
    "The token request's form body as received (application/x-www-form-urlencoded), unparsed. Missing or empty yields BAD_REQUEST (A050201).",
  ),
  clientId: honoured(
    z.string().max(1000).optional(),
    "Client id from an HTTP Basic `Authorization` header of the token request, form-decoded (RFC 6749 section 2.3.1). An empty string means the header carried an empty client id and fails authentication.",
  ),
  clientSecret: honoured(z.string().max(1000).optional(), "Client secret from that Basic header, form-decoded; Tessera uses it exactly as given."),
  clientCertificate: securityInputs.clientCertificate,
  clientCertificatePath: securityInputs.clientCertificatePath,
  properties: honoured(PropertiesField, propertiesNote),
  dpop: dpop.dpop,
  htm: dpop.htm,
  htu: dpop.htu,
  accessToken: honoured(chosenAccessToken, "Value for the access token instead of a generated one (opaque tokens only): 32 to 1000 characters; empty or absent: a generated one."),
  jwtAtClaims: honoured(z.string().max(65_536).optional(), "JSON object of extra claims for a JWT access token."),
  oauthClientAttestation: securityInputs.oauthClientAttestation,
  oauthClientAttestationPop: securityInputs.oauthClientAttestationPop,
  accessTokenDuration: durationField("access token"),
  refreshTokenDuration: durationField("refresh token"),
  dpopNonceRequired: dpop.dpopNonceRequired,
  cimdOptions,
};

/** `/auth/token/issue` (Authlete's `token_issue_request`). */
export const tokenIssueRequestFields = {
  ticket: honoured(z.string().min(1).max(200), "The ticket of the PASSWORD action; spent by this call."),
  subject: honoured(
    z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\x21-\x7E]+$/, "subject is 1 to 100 printable ASCII characters"),
    "The user whose credentials the login server verified.",
  ),
  properties: honoured(PropertiesField, propertiesNote),
  jwtAtClaims: honoured(z.string().max(65_536).optional(), "JSON object of extra claims for a JWT access token."),
  accessToken: honoured(chosenAccessToken, "Value for the access token instead of a generated one (opaque tokens only): 32 to 1000 characters; empty or absent: a generated one."),
  accessTokenDuration: durationField("access token"),
  refreshTokenDuration: durationField("refresh token"),
};

/** `/auth/token/fail` (Authlete's `token_fail_request`). */
export const tokenFailRequestFields = {
  ticket: honoured(z.string().min(1).max(200), "The ticket of the PASSWORD action; spent by this call."),
  reason: honoured(
    z.enum(tokenFailReasons),
    "INVALID_RESOURCE_OWNER_CREDENTIALS → invalid_request; INVALID_TARGET → invalid_target; INVALID_CLIENT, UNAUTHORIZED_CLIENT, INVALID_SCOPE [ext, newer Authlete library values] → same-named errors; UNKNOWN → server_error.",
  ),
};
