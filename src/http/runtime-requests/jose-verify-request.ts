import { z } from "@hono/zod-openapi";
import { honoured } from "../../domain/field-support.js";

/** `/jose/verify` (Authlete's `jose_verify_request`): every field honoured (src/core/jose-verify). */
export const joseVerifyRequestFields = {
  jose: honoured(
    z.string().max(65_535),
    "The JOSE object: a compact JWS. A JWE is answered valid=false (A160302): Tessera cannot decrypt one at /jose/verify yet.",
  ),
  mandatoryClaims: honoured(
    z.array(z.string().max(256)).max(100).nullish(),
    "Claims the payload must hold; each one absent is listed in `missingClaims` and makes the JOSE invalid.",
  ),
  clockSkew: honoured(
    z.number().int().min(0).max(2_147_483_647).nullish(),
    "Seconds of clock skew allowed when exp, nbf and iat are checked; absent: the service's `allowableClockSkew`.",
  ),
  clientIdentifier: honoured(
    z.string().max(1000).nullish(),
    "The client (numeric id or alias) whose keys verify the JOSE when `signedByClient` is true; required then (A160201), and a client of this " +
      "service (A160202). Without `signedByClient` it is not used: the service's own keys verify the JOSE.",
  ),
  signedByClient: honoured(
    z.boolean().nullish(),
    "True: the client of `clientIdentifier` signed the JOSE, with a key of its jwks / jwksUri, or with its secret for HS* (when Tessera keeps " +
      "that secret recoverable: client_secret_jwt or an HS* algorithm registered). Absent or false: the service's own published keys.",
  ),
};
