import { OAuthError } from "../oauth-error.js";
import { isResourceIndicator } from "../protocol/resource-indicator.js";
import type { GrantTypeParameters } from "./parse-token-parameters.js";

/**
 * The `resource` parameters of a token request (RFC 8707 §2), distinct and in order: each must be an
 * absolute URI without a fragment → else invalid_target. No list of known resources limits them, as
 * in Authlete: which resource servers exist is the login server's business.
 */
export function requestedResources(params: GrantTypeParameters): string[] {
  const resources = params.all("resource");
  const malformed = resources.find((resource) => !isResourceIndicator(resource));
  if (malformed !== undefined) {
    throw new OAuthError("invalid_target", "A resource is not an absolute URI without a fragment.", "tokenResourceInvalid", [malformed]);
  }
  return [...new Set(resources)];
}

/**
 * The audience of an access token minted under a grant (RFC 8707 §2.2): the requested resources,
 * each of which the grant must allow (invalid_target otherwise), or every resource of the grant
 * when none is requested. A grant without resources restricts no audience, so any requested one is
 * a narrowing of it.
 */
export function narrowResources(granted: readonly string[], requested: readonly string[]): string[] {
  if (requested.length === 0) return [...granted];
  const outside = granted.length === 0 ? undefined : requested.find((resource) => !granted.includes(resource));
  if (outside !== undefined) {
    throw new OAuthError("invalid_target", "A resource is not among the resources of the grant.", "tokenResourceNotGranted", [outside]);
  }
  return [...requested];
}
