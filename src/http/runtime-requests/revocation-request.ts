import { z } from "zod";
import { honoured } from "../../domain/field-support.js";
import { securityInputs } from "./security-inputs.js";

/** `/auth/revocation` (Authlete's `revocation_request`). */
export const revocationRequestFields = {
  parameters: honoured(
    z.string().max(16384),
    "The form body the revocation endpoint received (`token`, `token_type_hint`, and client credentials when sent in the body).",
  ),
  clientId: honoured(z.string().max(1000).optional(), "Client id from the HTTP Basic `Authorization` header."),
  clientSecret: honoured(z.string().max(1000).optional(), "Client secret from the HTTP Basic `Authorization` header."),
  clientCertificate: securityInputs.clientCertificate,
  clientCertificatePath: securityInputs.clientCertificatePath,
  oauthClientAttestation: securityInputs.oauthClientAttestation,
  oauthClientAttestationPop: securityInputs.oauthClientAttestationPop,
};
