import { authorizationError } from "../../authorization/authorization-errors.js";
import type { BackchannelStep } from "../backchannel-draft.js";

/**
 * CIBA Core §7.1.1: a signed authentication request travels by value in `request`; CIBA defines no
 * `request_uri`, and fetching a URL the client names from the back channel is nothing the client may
 * ask for here → invalid_request (before the request-object step would fetch it).
 */
export const refuseRequestUri: BackchannelStep = (draft) => {
  if (draft.params.get("request_uri") !== undefined) throw authorizationError("invalid_request", "backchannelRequestUriForbidden");
};
