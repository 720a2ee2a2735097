import { MAX_DURATION_SECONDS } from "../../../domain/common.js";
import { authorizationError } from "../../authorization/authorization-errors.js";
import type { BackchannelStep } from "../backchannel-draft.js";

/**
 * CIBA Core §7.1 `requested_expiry`: a positive integer of seconds the client would like the
 * `auth_req_id` to live (a JSON number inside a signed request, digits in a form) → else
 * invalid_request. The service's `backchannelAuthReqIdDuration` caps it when the id is issued.
 */
export const readRequestedExpiry: BackchannelStep = (draft) => {
  const value = draft.params.get("requested_expiry");
  if (value === undefined) return;
  const seconds = /^[0-9]{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_DURATION_SECONDS)) throw authorizationError("invalid_request", "backchannelRequestedExpiryInvalid", MAX_DURATION_SECONDS);
  draft.requestedExpiry = seconds;
};
