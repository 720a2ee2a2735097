import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/** RFC 8707 §2: `resource` may be given several times; it is the only one. */
const repeatable = new Set(["resource"]);

/**
 * RFC 6749 §3.1: request parameters MUST NOT be included more than once. Never "first wins"
 * (catalogue SEC-007). `client_id` and `redirect_uri` were checked before the redirect was trusted.
 */
export const rejectDuplicatedParameters: SharedStep = (draft) => {
  const duplicated = draft.params.duplicatedNames(repeatable);
  if (duplicated.length > 0) throw authorizationError("invalid_request", "authorizationParameterDuplicated", duplicated.join(", "));
};
