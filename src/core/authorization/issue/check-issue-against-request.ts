import type { Client } from "../../../domain/client.js";
import type { Service } from "../../../domain/service.js";
import { stillGrantable } from "../../token/scope-policy.js";
import { CallerError } from "../../caller-error.js";
import type { ParsedAuthorizationRequest } from "../authorization-request.js";
import { checkAuthTime } from "./check-auth-time.js";
import type { AuthorizationIssueInput } from "./issue-input.js";

/** What the login server's answer is checked against: the parked request and the service and client as registered now. */
export interface IssueContext {
  service: Service;
  client: Client;
  request: ParsedAuthorizationRequest;
  /** When /auth/authorization parked the request (epoch ms). */
  requestedAt: number;
}

/**
 * The login server's answer must fit the request it was given:
 * - `subject` equals the user the client insisted on (`id_token_hint` / `sub` claim; OIDC Core §3.1.2.1,
 *   §5.5.1 — "the End-User MUST be that user").
 * - the scopes to grant (the request's, or the login server's replacement: a non-empty `scopes`, as
 *   Authlete reads it, so an empty list keeps the request's) are scopes the service
 *   supports and the client may request now (RFC 6749 §3.3; a replacement may widen the request, as
 *   Authlete's does, but never beyond the registration), and a replacement never adds `openid` (that
 *   would turn an OAuth request into OpenID Connect after the fact).
 * - with an essential `acr` request, the achieved `acr` is one of the requested values
 *   (OIDC Core §5.5.1.1; catalogue SEC-093: never a weaker acr silently).
 * - `authTime` is given when the request needs it and is not older than `max_age` allows (`checkAuthTime`).
 * Returns the scopes to grant.
 */
export function checkIssueAgainstRequest({ service, client, request, requestedAt }: IssueContext, input: AuthorizationIssueInput): string[] {
  if (request.subject !== null && input.subject !== request.subject) throw new CallerError("authorizationIssueSubjectMismatch");
  const scopes = input.scopes && input.scopes.length > 0 ? [...new Set(input.scopes)] : request.scopes;
  if (!request.openid && scopes.includes("openid")) throw new CallerError("authorizationIssueOpenidAdded");
  const supported = new Set(service.supportedScopes.map((scope) => scope.name));
  const unsupported = scopes.find((scope) => !supported.has(scope));
  if (unsupported !== undefined) throw new CallerError("authorizationIssueScopeUnsupported", unsupported);
  const grantable = stillGrantable(service, client);
  const notRequestable = scopes.find((scope) => !grantable(scope));
  if (notRequestable !== undefined) throw new CallerError("authorizationIssueScopeNotRequestable", notRequestable);
  if (request.acrEssential && request.acrs.length > 0 && (!input.acr || !request.acrs.includes(input.acr))) {
    throw new CallerError("authorizationIssueAcrUnmet");
  }
  checkAuthTime(request, input.authTime, requestedAt);
  return scopes;
}
