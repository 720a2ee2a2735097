import { z } from "@hono/zod-openapi";
import { MAX_DURATION_SECONDS } from "../../domain/common.js";
import { AsymmetricJwsAlg } from "../../domain/enums.js";
import { extension, honoured, pending } from "../../domain/field-support.js";
import { dpopInputs, securityInputs } from "./security-inputs.js";

const dpop = dpopInputs({
  htm: "required with a proof (the method of the request to the protected resource; no default)",
  htu: "required with a proof (the URL of the protected resource; no default)",
});

/** `/auth/introspection` (Authlete's `introspection_request`). */
export const introspectionRequestFields = {
  token: honoured(
    z.string().max(8192).optional(),
    "The access token the resource server received (required; a missing one yields action BAD_REQUEST).",
  ),
  scopes: honoured(
    z.array(z.string().max(200)).max(100).optional(),
    "Scopes the resource requires; every one must be covered. In a form body, one space-separated value.",
  ),
  subject: honoured(z.string().max(200).optional(), "The user the resource requires to own the token."),
  clientCertificate: securityInputs.clientCertificate,
  dpop: dpop.dpop,
  htm: dpop.htm,
  htu: dpop.htu,
  resources: honoured(
    z.array(z.string().max(2000)).max(100).optional(),
    "Resources (RFC 8707) the resource server requires: a token restricted to resources must be restricted to every one of them " +
      "(FORBIDDEN otherwise); a token without a restriction passes, as with `rsUri` of the standard introspection.",
  ),
  acrValues: honoured(z.array(z.string().max(200)).max(100).optional(), "ACRs one of which the user authentication must have satisfied."),
  maxAge: honoured(
    z.number().int().min(0).max(MAX_DURATION_SECONDS).optional(),
    "Maximum age, in seconds, of the user authentication; 0 means no constraint.",
  ),
  requiredComponents: securityInputs.requiredComponents,
  uri: securityInputs.uri,
  message: securityInputs.message,
  headers: securityInputs.headers,
  targetUri: securityInputs.targetUri,
  dpopNonceRequired: dpop.dpopNonceRequired,
  requestBodyContained: securityInputs.requestBodyContained,
};

const ENCRYPTED_RESPONSES = "encrypted JWT introspection responses, RFC 9701 §5";
const SYMMETRIC_SIGNING = "JWT introspection responses signed with a shared key";

/** `/auth/introspection/standard` (Authlete's `standard_introspection_request`). */
export const standardIntrospectionRequestFields = {
  parameters: honoured(
    z.string().max(16384),
    "The form body the introspection endpoint received (`token`, `token_type_hint`, and client credentials when sent in the body).",
  ),
  withHiddenProperties: honoured(z.boolean().optional(), "Include hidden properties in the response."),
  rsUri: honoured(z.string().max(2000).optional(), "The resource server asking; a token restricted to other resources is reported inactive."),
  httpAcceptHeader: honoured(
    z.string().max(1000).optional(),
    "The `Accept` header; `application/token-introspection+jwt` asks for a signed JWT (RFC 9701).",
  ),
  introspectionSignAlg: honoured(AsymmetricJwsAlg.optional(), "Signing algorithm of a JWT response (default RS256)."),
  introspectionEncryptionAlg: pending(z.string().max(64), ENCRYPTED_RESPONSES),
  introspectionEncryptionEnc: pending(z.string().max(64), ENCRYPTED_RESPONSES),
  sharedKeyForSign: pending(z.string().max(8192), SYMMETRIC_SIGNING),
  sharedKeyForEncryption: pending(z.string().max(8192), ENCRYPTED_RESPONSES),
  publicKeyForEncryption: pending(z.string().max(65_536), ENCRYPTED_RESPONSES),
  clientId: extension(z.string().max(1000).optional(), "Client id from the HTTP Basic `Authorization` header of the introspection request."),
  clientSecret: extension(z.string().max(1000).optional(), "Client secret from the HTTP Basic `Authorization` header."),
};
