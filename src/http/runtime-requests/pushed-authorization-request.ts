import { z } from "zod";
import { honoured } from "../../domain/field-support.js";
import { dpopInputs, securityInputs } from "./security-inputs.js";

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
  clientId: honoured(z.string().max(1000).optional(), "Client id from an HTTP Basic `Authorization` header of the pushed request, form-decoded (RFC 6749 section 2.3.1)."),
  clientSecret: honoured(z.string().max(1000).optional(), "Client secret from that Basic header, form-decoded; Tessera uses it exactly as given."),
  clientCertificate: securityInputs.clientCertificate,
  clientCertificatePath: securityInputs.clientCertificatePath,
  dpop: dpop.dpop,
  htm: dpop.htm,
  htu: dpop.htu,
  oauthClientAttestation: securityInputs.oauthClientAttestation,
  oauthClientAttestationPop: securityInputs.oauthClientAttestationPop,
  dpopNonceRequired: dpop.dpopNonceRequired,
};
