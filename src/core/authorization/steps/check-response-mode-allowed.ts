import { responseModeWire } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";
import { concreteResponseMode } from "../response-delivery.js";

/**
 * The client's `responseModes` (Authlete's client metadata) restrict the response modes it may use;
 * null allows every mode the response type allows. The mode checked is the one the response will
 * use, whether the request named it or it is the response type's default; `jwt` passes as JWT or as
 * the mode it stands for here (query.jwt or fragment.jwt) → unauthorized_client.
 */
export const checkResponseModeAllowed: FrontChannelStep = (draft) => {
  const allowed = draft.client.responseModes;
  const mode = draft.responseMode;
  if (allowed === null || allowed === undefined || allowed.includes(mode)) return;
  if (allowed.includes(concreteResponseMode(mode, draft.responseType))) return;
  throw authorizationError("unauthorized_client", "authorizationResponseModeNotAllowed", responseModeWire[mode]);
};
