import { disallowedType, readAuthorizationDetails } from "../../protocol/authorization-details.js";
import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/**
 * RFC 9396 `authorization_details`:
 * - §2: a JSON array of objects, each with a string `type`, the common members of §2.2 typed as defined
 *   (within `readAuthorizationDetails`'s bounds) → else invalid_request;
 * - §5: a type the service does not support, or that the client's `authorizationDetailsTypes` (when it
 *   lists any) leave out → invalid_authorization_details.
 */
export const checkAuthorizationDetails: SharedStep = (draft) => {
  const read = readAuthorizationDetails(draft.params.get("authorization_details"));
  if ("problem" in read) throw authorizationError("invalid_request", "authorizationDetailsInvalid", read.problem);
  const refused = disallowedType(read.details, draft.service, draft.client);
  if (refused) {
    const name = refused.refusedBy === "service" ? "authorizationDetailsTypeUnsupported" : "authorizationDetailsTypeNotAllowed";
    throw authorizationError("invalid_authorization_details", name, refused.type);
  }
  draft.authorizationDetails = read.details;
};
