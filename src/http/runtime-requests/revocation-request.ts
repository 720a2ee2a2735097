import { z } from "zod";
import { honoured } from "../../domain/field-support.js";
import { clientCredentialInputs } from "./security-inputs.js";

/** `/auth/revocation` (Authlete's `revocation_request`). */
export const revocationRequestFields = {
  parameters: honoured(
    z.string().max(16384),
    "The form body the revocation endpoint received (`token`, `token_type_hint`, and client credentials when sent in the body).",
  ),
  ...clientCredentialInputs,
};
