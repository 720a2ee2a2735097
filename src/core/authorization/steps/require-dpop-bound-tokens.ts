import { responseTypeCarries } from "../authorization-request.js";
import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";

/**
 * RFC 9449 §5.2: a client that registered DPoP-bound access tokens (`dpopRequired`) must never get a
 * bearer one, and an access token issued by the authorization endpoint (implicit and hybrid
 * `token`, RFC 6749 §4.2) cannot be bound, since no proof reaches that endpoint → unauthorized_client
 * (catalogue SEC-111): the client may not obtain an access token this way.
 */
export const requireDpopBoundTokens: FrontChannelStep = (draft) => {
  if (!draft.client.dpopRequired || draft.responseType === null) return;
  if (responseTypeCarries(draft.responseType).accessToken) throw authorizationError("unauthorized_client", "authorizationDpopBoundTokensRequired");
};
