import { z } from "zod";
import { honoured } from "../../domain/field-support.js";
import { dpopInputs, securityInputs } from "./security-inputs.js";
import { transformedClaimInputs } from "./transformed-claims.js";

const dpop = dpopInputs({ htm: "default GET", htu: "default the service's `userInfoEndpoint`" });

/** `/auth/userinfo` (Authlete's `userinfo_request`). */
export const userInfoRequestFields = {
  token: honoured(
    z.string().max(8192).optional(),
    "The access token presented at the UserInfo endpoint (required; a missing one yields action BAD_REQUEST).",
  ),
  clientCertificate: securityInputs.clientCertificate,
  dpop: dpop.dpop,
  htm: dpop.htm,
  htu: dpop.htu,
  uri: securityInputs.uri,
  message: securityInputs.message,
  headers: securityInputs.headers,
  targetUri: securityInputs.targetUri,
  dpopNonceRequired: dpop.dpopNonceRequired,
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
