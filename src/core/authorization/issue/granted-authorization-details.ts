import type { AuthorizationDetail } from "../../../domain/protocol.js";
import { CallerError } from "../../caller-error.js";
import { disallowedType } from "../../protocol/authorization-details.js";
import type { IssueContext } from "./check-issue-against-request.js";
import type { AuthorizationIssueInput } from "./issue-input.js";

/**
 * The authorization details (RFC 9396) the grant carries: the login server's replacement when it sent
 * one, else the request's. A replacement may narrow the request or enrich it (RFC 9396 §7: the account
 * the user picked, say), as Authlete's does, and is held to the bound of the request itself: types the
 * service supports and the client may request (A040211, A040212).
 */
export function grantedAuthorizationDetails({ service, client, request }: IssueContext, input: AuthorizationIssueInput): AuthorizationDetail[] {
  const replacement = input.authorizationDetails;
  if (!replacement) return request.authorizationDetails;
  const refused = disallowedType(replacement, service, client);
  if (refused) {
    throw new CallerError(refused.refusedBy === "service" ? "authorizationIssueDetailsTypeUnsupported" : "authorizationIssueDetailsTypeNotAllowed", refused.type);
  }
  return replacement;
}
