import { responseModeWire, responseTypeWords } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import { responseTypeCarries } from "../authorization-request.js";
import type { FrontChannelStep } from "../front-channel-draft.js";

/**
 * OAuth 2.0 Multiple Response Type Encoding Practices §2.1 (and RFC 9700 §4.3.2): tokens never
 * travel in the query. `response_mode=query` with a response type that returns an access token or
 * ID token → invalid_request, itself sent in the fragment (catalogue SEC-012). The same for
 * `query.jwt` (JARM §2.3.1), whose error goes as fragment.jwt, unless the client encrypts its
 * responses: JARM allows tokens in an encrypted query.jwt.
 */
export const checkResponseModeFitsType: FrontChannelStep = (draft) => {
  const mode = draft.responseMode;
  if (draft.responseType === null || (mode !== "QUERY" && mode !== "QUERY_JWT")) return;
  if (mode === "QUERY_JWT" && draft.client.authorizationEncryptionAlg) return;
  const carries = responseTypeCarries(draft.responseType);
  if (!carries.accessToken && !carries.idToken) return;
  draft.responseMode = mode === "QUERY" ? "FRAGMENT" : "FRAGMENT_JWT";
  throw authorizationError("invalid_request", "authorizationResponseModeQueryForbidden", responseModeWire[mode], responseTypeWords[draft.responseType].join(" "));
};
