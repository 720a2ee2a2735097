import { RequestParameters } from "../../protocol/request-parameters.js";
import { authorizationError } from "../authorization-errors.js";
import { PUSHED_REQUEST_URI_PREFIX, redeemPushedRequest } from "../pushed-request.js";
import type { SharedStep } from "../request-draft.js";

/** RFC 9126 §4: what may travel beside a pushed request's request_uri. */
const frontChannelNames = new Set(["client_id", "request_uri"]);

/**
 * RFC 9126 §4: a `request_uri` from the PAR endpoint stands for the request pushed there. It is
 * redeemed once, only by the client that pushed it, before it expires (one answer for every
 * failure, so another client learns nothing); its stored, already-resolved parameters replace the
 * front channel's, and every later step checks them again (the registration may have changed since).
 * Only `client_id` may accompany it, and a refused request leaves it unused. Any other `request_uri`
 * is a request object by reference, for the request-object step.
 */
export const loadPushedRequest: SharedStep = async (draft) => {
  const { params } = draft;
  const requestUri = params.get("request_uri");
  if (requestUri === undefined || !requestUri.startsWith(PUSHED_REQUEST_URI_PREFIX)) return;
  if (params.isDuplicated("request_uri")) throw authorizationError("invalid_request", "authorizationParameterDuplicated", "request_uri");
  const others = params.names().filter((name) => !frontChannelNames.has(name));
  if (others.length > 0) throw authorizationError("invalid_request", "authorizationPushedRequestExtended", others.join(", "));

  const pushed = await redeemPushedRequest(draft.deps, draft.service.serviceId, draft.client.clientId, requestUri);
  if (pushed === null) throw authorizationError("invalid_request", "authorizationRequestUriUnknown");
  draft.params = RequestParameters.parse(pushed.parameters);
  draft.requestObjectPayload = pushed.requestObjectPayload;
  draft.pushedRequest = true;
};
