import type { Service } from "../../../domain/service.js";
import { AuthorizationCallerError } from "../authorization-errors.js";
import type { ParsedAuthorizationRequest } from "../authorization-request.js";
import type { AuthorizationIssueInput } from "./issue-input.js";

/**
 * The login server's answer must fit the request it was given:
 * - `subject` equals the user the client insisted on (`id_token_hint` / `sub` claim; OIDC Core §3.1.2.1,
 *   §5.5.1 — "the End-User MUST be that user").
 * - replaced `scopes` are scopes of the service and never add `openid` (that would turn an OAuth
 *   request into OpenID Connect after the fact).
 * - with an essential `acr` request, the achieved `acr` is one of the requested values
 *   (OIDC Core §5.5.1.1; catalogue SEC-093: never a weaker acr silently).
 * Returns the scopes to grant.
 */
export function checkIssueAgainstRequest(service: Service, request: ParsedAuthorizationRequest, input: AuthorizationIssueInput): string[] {
  if (request.subject !== null && input.subject !== request.subject) throw new AuthorizationCallerError("authorizationIssueSubjectMismatch");
  let scopes = request.scopes;
  if (input.scopes) {
    scopes = [...new Set(input.scopes)];
    if (!request.openid && scopes.includes("openid")) throw new AuthorizationCallerError("authorizationIssueOpenidAdded");
    const supported = new Set(service.supportedScopes.map((scope) => scope.name));
    const unsupported = scopes.find((scope) => !supported.has(scope));
    if (unsupported !== undefined) throw new AuthorizationCallerError("authorizationIssueScopeUnsupported", unsupported);
  }
  if (request.acrEssential && request.acrs.length > 0 && (!input.acr || !request.acrs.includes(input.acr))) {
    throw new AuthorizationCallerError("authorizationIssueAcrUnmet");
  }
  return scopes;
}
