import { isResourceIndicator } from "../../protocol/resource-indicator.js";
import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/**
 * RFC 8707 §2: each `resource` (the one parameter that may repeat) is an absolute URI without a
 * fragment → else invalid_target.
 */
export const checkResources: SharedStep = (draft) => {
  const resources = draft.params.all("resource");
  for (const resource of resources) {
    if (!isResourceIndicator(resource)) throw authorizationError("invalid_target", "authorizationResourceInvalid");
  }
  draft.resources = [...new Set(resources)];
};
