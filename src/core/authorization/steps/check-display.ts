import type { Display } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

const displays: Record<string, Display> = { page: "PAGE", popup: "POPUP", touch: "TOUCH", wap: "WAP" };

/**
 * OIDC Core §3.1.2.1 `display`: page (default), popup, touch or wap. Any other value, or one the
 * service does not support, → invalid_request.
 */
export const checkDisplay: SharedStep = (draft) => {
  const value = draft.params.get("display");
  if (value === undefined) return;
  const display = displays[value];
  if (display === undefined || !draft.service.supportedDisplays.includes(display)) {
    throw authorizationError("invalid_request", "authorizationDisplayInvalid");
  }
  draft.display = display;
};
