import type { Client } from "../../../domain/client.js";
import type { Service } from "../../../domain/service.js";
import { CallerError } from "../../caller-error.js";
import type { ParsedAuthorizationRequest } from "../authorization-request.js";
import { checkAuthTime } from "./check-auth-time.js";
import type { AuthorizationIssueInput } from "./issue-input.js";
import { scopesToGrant } from "./scopes-to-grant.js";

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
 * - `subject` equals the user of the grant a grant management `merge` or `replace` changes (`grantSubject`):
 *   only that user's consent may change it (Grant Management §4.3; Authlete performs no action for another).
 * - the scopes to grant, as `scopesToGrant` checks them.
 * - with an essential `acr` request, the achieved `acr` is one of the requested values
 *   (OIDC Core §5.5.1.1; catalogue SEC-093: never a weaker acr silently).
 * - `authTime` is given when the request needs it and is not older than `max_age` allows (`checkAuthTime`).
 * Returns the scopes to grant.
 */
export function checkIssueAgainstRequest({ service, client, request, requestedAt }: IssueContext, input: AuthorizationIssueInput): string[] {
  if (request.subject !== null && input.subject !== request.subject) throw new CallerError("authorizationIssueSubjectMismatch");
  if (request.grantSubject && input.subject !== request.grantSubject) throw new CallerError("authorizationIssueGrantSubjectMismatch");
  const scopes = scopesToGrant(service, client, request.scopes, input.scopes);
  if (request.acrEssential && request.acrs.length > 0 && (!input.acr || !request.acrs.includes(input.acr))) {
    throw new CallerError("authorizationIssueAcrUnmet");
  }
  checkAuthTime(request, input.authTime, requestedAt);
  return scopes;
}
