import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/**
 * `frontChannelRequestObjectEncryptionRequired` (service or client): a request object that came
 * through the browser (`request` or a fetched `request_uri` at the authorization endpoint) must have
 * been encrypted to the service. Pushed requests are back channel (Authlete leaves PAR alone), and a
 * request without a request object is left to `requestObjectRequired`.
 */
export const requireEncryptedRequestObject: SharedStep = (draft) => {
  if (draft.pushedRequest || draft.requestObjectPayload === null || draft.requestObjectEncrypted) return;
  if (draft.service.frontChannelRequestObjectEncryptionRequired) throw authorizationError("invalid_request_object", "authorizationRequestObjectEncryptionRequired", "service");
  if (draft.client.frontChannelRequestObjectEncryptionRequired) throw authorizationError("invalid_request_object", "authorizationRequestObjectEncryptionRequired", "client");
};
