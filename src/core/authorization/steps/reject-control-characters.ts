import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/**
 * No protocol value carries a control character (see `RequestParameters`): invalid_request, never
 * redirected, because the offending value may be the `state` that a redirect would echo.
 */
export const rejectControlCharacters: SharedStep = (draft) => {
  const malformed = draft.params.controlCharacterName;
  if (malformed !== undefined) throw authorizationError("invalid_request", "authorizationParameterMalformed", malformed);
};
