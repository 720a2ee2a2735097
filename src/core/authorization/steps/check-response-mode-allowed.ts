import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";

/**
 * The client's `responseModes` (Authlete's client metadata) restrict the response modes it may use;
 * null allows every mode the response type allows. The mode checked is the one the response will
 * use, whether the request named it or it is the response type's default → unauthorized_client.
 */
export const checkResponseModeAllowed: FrontChannelStep = (draft) => {
  const allowed = draft.client.responseModes;
  if (allowed === null || allowed === undefined || allowed.includes(draft.responseMode)) return;
  throw authorizationError("unauthorized_client", "authorizationResponseModeNotAllowed", draft.responseMode.toLowerCase());
};
