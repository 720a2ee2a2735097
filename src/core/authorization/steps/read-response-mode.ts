import type { ResponseMode } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";

const modes: Record<string, ResponseMode> = { query: "QUERY", fragment: "FRAGMENT", form_post: "FORM_POST" };

/**
 * OAuth 2.0 Multiple Response Type Encoding Practices §2.1 and Form Post Response Mode §2:
 * `response_mode` is `query`, `fragment` or `form_post`; anything else → invalid_request
 * (catalogue SEC-012). Read early so later errors already travel in the requested mode.
 */
export const readResponseMode: FrontChannelStep = (draft) => {
  const value = draft.params.get("response_mode");
  if (value === undefined) return;
  const mode = modes[value];
  if (mode === undefined) throw authorizationError("invalid_request", "authorizationResponseModeUnsupported");
  draft.responseMode = mode;
  draft.responseModeExplicit = true;
};
