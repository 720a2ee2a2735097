import { authorizationError } from "../authorization-errors.js";
import type { RequestDraft, SharedStep } from "../request-draft.js";
import { decryptRequestObject } from "../request-object/decrypt-request-object.js";
import { fetchRequestObject } from "../request-object/fetch-request-object.js";
import { mergedParameters, objectParameters } from "../request-object/merge-request-object.js";
import { verifyRequestObject } from "../request-object/verify-request-object.js";

/**
 * The request object's JWT: `request` by value, or fetched from `request_uri`; null without one. A
 * pushed request's `request_uri` (RFC 9126) was redeemed by loadPushedRequest, which set `pushedRequest`.
 */
async function requestObjectOf(draft: RequestDraft): Promise<string | null> {
  const { params } = draft;
  for (const name of ["request", "request_uri"]) {
    if (params.isDuplicated(name)) throw authorizationError("invalid_request", "authorizationParameterDuplicated", name);
  }
  const byValue = params.get("request");
  const requestUri = draft.pushedRequest ? undefined : params.get("request_uri");
  if (byValue !== undefined && requestUri !== undefined) throw authorizationError("invalid_request", "authorizationRequestObjectAndUriGiven");
  if (byValue !== undefined) return byValue;
  if (requestUri === undefined) return null;
  return fetchRequestObject(draft.deps, draft.client, requestUri);
}

/**
 * RFC 9101 / OIDC Core §6: reads the request object (`request` by value, or `request_uri` by
 * reference; both at once is invalid_request), decrypts it when it is a JWE to the service
 * (`decrypt-request-object.ts`), verifies it (`verify-request-object.ts`), and replaces
 * the draft's parameters with the object's, merged with the outside ones as `merge-request-object.ts`
 * says (RFC 9101, or OIDC Core with `traditionalRequestObjectProcessingApplied`); the later steps
 * check the result as any request. Control characters inside the object are refused as outside it.
 * Runs before the redirect URI is trusted, so its refusals are never redirected: the redirect URI
 * itself comes from the object. A pushed request arrives resolved (loadPushedRequest, with its
 * payload); either way, a service or client with `requestObjectRequired` refuses a request that had
 * no request object (invalid_request).
 */
export const readRequestObject: SharedStep = async (draft) => {
  const jwt = await requestObjectOf(draft);
  if (jwt !== null) {
    const clientId = draft.params.get("client_id") ?? draft.client.clientIdAlias;
    draft.requestObjectEncrypted = jwt.split(".").length === 5;
    const signed = draft.requestObjectEncrypted ? await decryptRequestObject(draft.deps, draft.service, draft.client, jwt) : jwt;
    const verified = await verifyRequestObject(draft.deps, draft.service, draft.client, signed, clientId);
    const merged = mergedParameters(draft.params, objectParameters(verified.payload), draft.service.traditionalRequestObjectProcessingApplied);
    if (merged.controlCharacterName !== undefined) throw authorizationError("invalid_request", "authorizationParameterMalformed", merged.controlCharacterName);
    draft.params = merged;
    draft.requestObjectPayload = verified.payloadJson;
  }
  if (draft.requestObjectPayload !== null) return;
  if (draft.service.requestObjectRequired) throw authorizationError("invalid_request", "authorizationRequestObjectRequired", "service");
  if (draft.client.requestObjectRequired) throw authorizationError("invalid_request", "authorizationRequestObjectRequired", "client");
};
