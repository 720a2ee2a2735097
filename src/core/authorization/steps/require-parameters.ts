import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/** Parameters are required (RFC 6749 §4.1.1): an empty request → invalid_request, answered to the user. */
export const requireParameters: SharedStep = (draft) => {
  if (draft.params.isEmpty) throw authorizationError("invalid_request", "authorizationParametersMissing");
};
