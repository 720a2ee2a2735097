import { z } from "zod";
import { honoured } from "../../domain/field-support.js";
import { clientCredentialInputs, dpopInputs } from "./security-inputs.js";

const dpop = dpopInputs({ htm: "default POST", htu: "default the service's `pushedAuthReqEndpoint`" });

/**
 * `/pushed_auth_req` (Authlete's `pushed_authorization_request`). `parameters` is bounded by the body
 * limit only: a request over the endpoint's own limit is answered with PAYLOAD_TOO_LARGE (RFC 9126
 * §2.3), which the client sees, instead of failing the API call.
 */
export const pushedAuthorizationRequestFields = {
  parameters: honoured(
    z.string().optional(),
    "The form body the PAR endpoint received, unparsed. Missing or empty yields BAD_REQUEST (A245201); more than 65,536 characters PAYLOAD_TOO_LARGE (A245306).",
  ),
  ...clientCredentialInputs,
  ...dpop,
};
