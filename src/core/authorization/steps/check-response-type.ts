import { type ResponseType, responseTypeWords } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";
import { responseTypeCarries } from "../authorization-request.js";
import { spaceDelimited } from "../../protocol/request-parameters.js";

/** The response type whose words are exactly `words`, in any order (OAuth Multiple Response Types §5). */
export function responseTypeOf(value: string): ResponseType | null {
  const words = value.split(" ");
  if (words.some((word) => word === "") || new Set(words).size !== words.length) return null;
  for (const [name, expected] of Object.entries(responseTypeWords)) {
    if (expected.length === words.length && expected.every((word) => words.includes(word))) return name as ResponseType;
  }
  return null;
}

/**
 * RFC 6749 §3.1.1: `response_type` is required (→ invalid_request, catalogue SEC-001) and its
 * value is a space-separated, order-insensitive set of `code`, `token`, `id_token`, or `none`
 * alone (OAuth Multiple Response Types §4–5; anything else → unsupported_response_type). It must
 * be supported by the service (→ unsupported_response_type) and registered for the client
 * (→ unauthorized_client, RFC 6749 §4.1.2.1, catalogue SEC-002), together with the grant types it
 * stands for (OIDC Registration §2: `code` needs AUTHORIZATION_CODE, `token` and `id_token` need
 * IMPLICIT → unauthorized_client). Registration accepts a response type without its grant type, as
 * Authlete does; this is where the pair is enforced. Sets the default response mode:
 * query for `code` and `none`, fragment when the response carries tokens (Multiple Response Types §2.1, §5).
 */
export const checkResponseType: FrontChannelStep = (draft) => {
  const value = draft.params.get("response_type");
  if (value === undefined) throw authorizationError("invalid_request", "authorizationResponseTypeMissing");
  const responseType = responseTypeOf(value);
  if (responseType === null) throw authorizationError("unsupported_response_type", "authorizationResponseTypeUnknown");
  const carries = responseTypeCarries(responseType);
  if (!draft.responseModeExplicit) draft.responseMode = carries.accessToken || carries.idToken ? "FRAGMENT" : "QUERY";
  const wire = spaceDelimited(value).join(" ");
  if (!draft.service.supportedResponseTypes.includes(responseType)) {
    throw authorizationError("unsupported_response_type", "authorizationResponseTypeUnsupported", wire);
  }
  if (!draft.client.responseTypes.includes(responseType)) {
    throw authorizationError("unauthorized_client", "authorizationResponseTypeNotAllowed", wire);
  }
  const grantTypes = draft.client.grantTypes;
  if (carries.code && !grantTypes.includes("AUTHORIZATION_CODE")) {
    throw authorizationError("unauthorized_client", "authorizationGrantTypeNotRegistered", wire, "AUTHORIZATION_CODE");
  }
  if ((carries.accessToken || carries.idToken) && !grantTypes.includes("IMPLICIT")) {
    throw authorizationError("unauthorized_client", "authorizationGrantTypeNotRegistered", wire, "IMPLICIT");
  }
  draft.responseType = responseType;
};
