import { responseTypeWords } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";
import { responseTypeCarries } from "../authorization-request.js";

/**
 * OAuth 2.0 Multiple Response Type Encoding Practices §2.1 (and RFC 9700 §4.3.2): tokens never
 * travel in the query. `response_mode=query` with a response type that returns an access token or
 * ID token → invalid_request, itself sent in the fragment (catalogue SEC-012).
 */
export const checkResponseModeFitsType: FrontChannelStep = (draft) => {
  if (draft.responseType === null || draft.responseMode !== "QUERY") return;
  const carries = responseTypeCarries(draft.responseType);
  if (!carries.accessToken && !carries.idToken) return;
  draft.responseMode = "FRAGMENT";
  throw authorizationError("invalid_request", "authorizationResponseModeQueryForbidden", responseTypeWords[draft.responseType].join(" "));
};
