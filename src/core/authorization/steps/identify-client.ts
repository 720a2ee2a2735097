import { findClientByClientId } from "../../clients/find-client.js";
import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/**
 * Identifies the client (RFC 6749 §4.1.1 `client_id` REQUIRED). Missing, repeated (§3.1) or unknown
 * client → the caller shows an error page: never redirect for a client we cannot trust (§4.1.2.1,
 * catalogue SEC-003). A locked client throws `ClientLockedError` (HTTP 403, A001215).
 */
export const identifyClient: SharedStep = async (draft) => {
  const { params } = draft;
  if (params.isDuplicated("client_id")) throw authorizationError("invalid_request", "authorizationParameterDuplicated", "client_id");
  const clientId = params.get("client_id");
  if (clientId === undefined) throw authorizationError("invalid_request", "authorizationClientIdMissing");
  const found = await findClientByClientId(draft.deps.store, draft.service.serviceId, clientId);
  if (!found) throw authorizationError("invalid_request", "authorizationClientUnknown");
  draft.client = found.client;
  draft.clientIdAliasUsed = found.clientIdAliasUsed;
};
