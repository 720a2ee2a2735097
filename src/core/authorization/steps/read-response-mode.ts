import { type ResponseMode, responseModeWire } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";

const modes = new Map(Object.entries(responseModeWire).map(([mode, wire]) => [wire as string, mode as ResponseMode]));

/**
 * OAuth 2.0 Multiple Response Type Encoding Practices §2.1, Form Post Response Mode §2 and JARM
 * §2.3: `response_mode` is `query`, `fragment`, `form_post`, or their JWT forms `query.jwt`,
 * `fragment.jwt`, `form_post.jwt` and `jwt` (the response type's default, in JWT form); anything
 * else → invalid_request (catalogue SEC-012). Every service answers JARM modes, as Authlete does;
 * a client's `responseModes` may narrow them. Read early so later errors already travel in the requested mode.
 */
export const readResponseMode: FrontChannelStep = (draft) => {
  const value = draft.params.get("response_mode");
  if (value === undefined) return;
  const mode = modes.get(value);
  if (mode === undefined) throw authorizationError("invalid_request", "authorizationResponseModeUnsupported");
  draft.responseMode = mode;
  draft.responseModeExplicit = true;
};
