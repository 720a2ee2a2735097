import type { Service } from "../../../domain/service.js";
import { ClientLockedError } from "../../clients/find-client.js";
import type { CoreDeps } from "../../context.js";
import { OAuthError } from "../../oauth-error.js";
import { resultBody } from "../../result-codes.js";
import { type BadRequestResponse, type RedirectResponse, buildBadRequest, buildErrorRedirect } from "../authorization-response.js";
import { consumeAuthorizationTicket } from "../authorization-ticket.js";
import { registeredRecipient } from "../registered-recipient.js";

/**
 * Authlete's /auth/authorization/fail reasons and the OAuth error each becomes (RFC 6749 §4.1.2.1,
 * OIDC Core §3.1.2.6, RFC 8707 §2, OpenID Connect EAP ACR Values §2 for unmet_authentication_requirements).
 */
export const failReasons = {
  UNKNOWN: { error: "server_error", description: "The authorization server failed for an unknown reason." },
  SERVER_ERROR: { error: "server_error", description: "The authorization server encountered an error." },
  NOT_LOGGED_IN: { error: "login_required", description: "The user is not logged in." },
  MAX_AGE_NOT_SUPPORTED: { error: "login_required", description: "The authorization server cannot check the authentication age of the user." },
  EXCEEDS_MAX_AGE: { error: "login_required", description: "The user authenticated longer ago than max_age allows." },
  DIFFERENT_SUBJECT: { error: "login_required", description: "The logged-in user is not the user the client asked for." },
  NOT_AUTHENTICATED: { error: "login_required", description: "The user was not authenticated." },
  ACR_NOT_SATISFIED: { error: "unmet_authentication_requirements", description: "The authentication does not satisfy the essential ACR values." },
  DENIED: { error: "access_denied", description: "The user denied the authorization request." },
  ACCOUNT_SELECTION_REQUIRED: { error: "account_selection_required", description: "The user must select an account." },
  CONSENT_REQUIRED: { error: "consent_required", description: "The user has not consented to the request." },
  INTERACTION_REQUIRED: { error: "interaction_required", description: "The request needs interaction with the user." },
  INVALID_TARGET: { error: "invalid_target", description: "The requested resource is invalid or not accepted." },
  INVALID_SCOPE: { error: "invalid_scope", description: "The requested scope is not accepted." },
  UNAUTHORIZED_CLIENT: { error: "unauthorized_client", description: "The client is not authorized for this request." },
  TEMPORARILY_UNAVAILABLE: { error: "temporarily_unavailable", description: "The authorization server is temporarily unavailable." },
} as const;

export type FailReason = keyof typeof failReasons;

export interface AuthorizationFailInput {
  ticket: string;
  reason: FailReason;
  /** Replaces the default `error_description`. */
  description?: string | null;
}

export type AuthorizationFailOutcome =
  | BadRequestResponse
  | (RedirectResponse & { result: { resultCode: string; resultMessage: string } });

/**
 * `/auth/authorization/fail`: the login server refuses the request (user denied, not logged in with
 * prompt=none, …). Spends the ticket and redirects the error to the client in the request's
 * response mode, with `state` and `iss` (RFC 9207 §2; catalogue SEC-011, SEC-027) — unless the
 * client or its redirect URI is no longer registered (`registeredRecipient`): then BAD_REQUEST. A
 * client locked since the request fails the call (`ClientLockedError`, 403) as /issue does: a locked
 * client is sent nothing, not even an error, and the ticket stays spent.
 */
export async function failAuthorization(deps: CoreDeps, service: Service, input: AuthorizationFailInput): Promise<AuthorizationFailOutcome> {
  const consumed = await consumeAuthorizationTicket(deps, service.serviceId, input.ticket);
  if (!consumed) return buildBadRequest(service, "authorizationTicketUnknown");
  const recipient = await registeredRecipient(deps, service.serviceId, consumed.request);
  if (typeof recipient === "string") return buildBadRequest(service, recipient);
  if (recipient.locked) throw new ClientLockedError(recipient);
  const mapped = failReasons[input.reason];
  const redirect = buildErrorRedirect(service, consumed.request, new OAuthError(mapped.error, input.description || mapped.description));
  return { ...redirect, result: resultBody("authorizationFailed", input.reason, redirect.action) };
}
