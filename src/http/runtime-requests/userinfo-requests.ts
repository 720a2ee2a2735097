import { z } from "zod";
import { honoured } from "../../domain/field-support.js";
import { securityInputs } from "./security-inputs.js";
import { transformedClaimInputs } from "./transformed-claims.js";

/** `/auth/userinfo` (Authlete's `userinfo_request`). */
export const userInfoRequestFields = {
  token: honoured(
    z.string().max(8192).optional(),
    "The access token presented at the UserInfo endpoint (required; a missing one yields action BAD_REQUEST).",
  ),
  clientCertificate: securityInputs.clientCertificate,
  dpop: securityInputs.dpop,
  htm: securityInputs.htm,
  htu: securityInputs.htu,
  uri: securityInputs.uri,
  message: securityInputs.message,
  headers: securityInputs.headers,
  targetUri: securityInputs.targetUri,
  dpopNonceRequired: securityInputs.dpopNonceRequired,
  requestBodyContained: securityInputs.requestBodyContained,
};

/** `/auth/userinfo/issue` (Authlete's `userinfo_issue_request`). */
export const userInfoIssueRequestFields = {
  token: honoured(z.string().max(8192).optional(), "The same access token."),
  claims: honoured(
    z.string().max(100_000).optional(),
    "JSON object of claim values for the names `/auth/userinfo` returned; others are dropped.",
  ),
  sub: honoured(
    z
      .string()
      .regex(/^[\x21-\x7E]{0,100}$/, "sub is 1 to 100 printable ASCII characters, like the ID token's, or empty")
      .optional(),
    "Value of the `sub` claim, overriding the stored one: 1 to 100 printable ASCII characters, as in /auth/authorization/issue; empty or absent: the stored one.",
  ),
  ...transformedClaimInputs,
  requestSignature: securityInputs.requestSignature,
  headers: securityInputs.headers,
};
