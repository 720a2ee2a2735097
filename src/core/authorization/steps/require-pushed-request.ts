import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/**
 * RFC 9126 §5 and §6 (`require_pushed_authorization_requests`): when the service or the client sets
 * `parRequired`, only a request redeemed from a pushed request_uri is accepted.
 */
export const requirePushedRequest: SharedStep = (draft) => {
  if (draft.pushedRequest) return;
  if (draft.service.parRequired) throw authorizationError("invalid_request", "authorizationPushedRequestRequired", "service");
  if (draft.client.parRequired) throw authorizationError("invalid_request", "authorizationPushedRequestRequired", "client");
};
