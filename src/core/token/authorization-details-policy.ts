import type { Client } from "../../domain/client.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";
import { OAuthError } from "../oauth-error.js";
import { disallowedType, firstUncoveredDetail, readAuthorizationDetails } from "../protocol/authorization-details.js";
import { type ResultCodeName, resultText } from "../result-codes.js";
import type { GrantTypeParameters } from "./parse-token-parameters.js";

const refusal = (error: string, name: ResultCodeName, arg: string | number) => new OAuthError(error, resultText(name, arg), name, [arg]);

/** The `authorization_details` of a token request (RFC 9396 §6), none when absent; malformed → invalid_request. */
export function requestedAuthorizationDetails(params: GrantTypeParameters): AuthorizationDetail[] {
  const read = readAuthorizationDetails(params.get("authorization_details"));
  if ("problem" in read) throw refusal("invalid_request", "tokenAuthorizationDetailsInvalid", read.problem);
  return read.details;
}

/**
 * For a grant type without an authorization request (client_credentials, password) the token request's
 * details become the grant's, so they meet the bound of an authorization request (RFC 9396 §5): each
 * type supported by the service and, when the client lists types, one of the client's → else
 * invalid_authorization_details.
 */
export function checkRequestableDetails(details: readonly AuthorizationDetail[], service: Service, client: Client): void {
  const refused = disallowedType(details, service, client);
  if (!refused) return;
  const name = refused.refusedBy === "service" ? "tokenAuthorizationDetailsTypeUnsupported" : "tokenAuthorizationDetailsTypeNotAllowed";
  throw refusal("invalid_authorization_details", name, refused.type);
}

/**
 * The authorization details of an access token minted under a grant (RFC 9396 §6): the
 * requested ones, each within an element of the grant (`firstUncoveredDetail`; otherwise
 * invalid_authorization_details), or all the grant's when none are requested.
 */
export function narrowAuthorizationDetails(granted: readonly AuthorizationDetail[], requested: readonly AuthorizationDetail[]): AuthorizationDetail[] {
  if (requested.length === 0) return [...granted];
  const uncovered = firstUncoveredDetail(granted, requested);
  if (uncovered !== null) throw refusal("invalid_authorization_details", "tokenAuthorizationDetailsNotGranted", uncovered);
  return [...requested];
}
