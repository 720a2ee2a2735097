import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/** RFC 9126 §2.1: a pushed request may carry any authorization request parameter except `request_uri`. */
export const rejectRequestUri: SharedStep = (draft) => {
  if (draft.params.get("request_uri") !== undefined) throw authorizationError("invalid_request", "pushedRequestUriForbidden");
};
