import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/**
 * OIDC Core §6.1 / §6.2, RFC 9101: Tessera does not process request objects yet (discovery says
 * `request_parameter_supported: false`, `request_uri_parameter_supported: false`), so a request
 * carrying one is refused with `request_not_supported` / `request_uri_not_supported` (OIDC Core
 * §3.1.2.6) instead of being served without the object's parameters (catalogue SEC-015).
 */
export const rejectRequestObjects: SharedStep = (draft) => {
  if (draft.params.get("request") !== undefined) {
    throw authorizationError("request_not_supported", "authorizationRequestObjectUnsupported", "request");
  }
  if (draft.params.get("request_uri") !== undefined) {
    throw authorizationError("request_uri_not_supported", "authorizationRequestObjectUnsupported", "request_uri");
  }
};
