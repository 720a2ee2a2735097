import type { Service } from "../../../domain/service.js";
import { ClientLockedError } from "../../clients/find-client.js";
import type { CoreDeps } from "../../context.js";
import { type ResultCodeName, resultBody, resultText } from "../../result-codes.js";
import { type BadRequestResponse, buildBadRequest, buildErrorRedirect, type RedirectResponse } from "../authorization-response.js";
import { consumeAuthorizationTicket } from "../authorization-ticket.js";
import { registeredRecipient } from "../registered-recipient.js";

/**
 * Authlete's /auth/authorization/fail reasons, the OAuth error each becomes (RFC 6749 §4.1.2.1,
 * OIDC Core §3.1.2.6, RFC 8707 §2, OpenID Connect EAP ACR Values §2 for unmet_authentication_requirements)
 * and the result code whose message is the default description.
 */
export const failReasons = {
  UNKNOWN: { error: "server_error", resultCode: "authorizationFailUnknown" },
  SERVER_ERROR: { error: "server_error", resultCode: "authorizationFailServerError" },
  NOT_LOGGED_IN: { error: "login_required", resultCode: "authorizationFailNotLoggedIn" },
  MAX_AGE_NOT_SUPPORTED: { error: "login_required", resultCode: "authorizationFailMaxAgeNotSupported" },
  EXCEEDS_MAX_AGE: { error: "login_required", resultCode: "authorizationFailExceedsMaxAge" },
  DIFFERENT_SUBJECT: { error: "login_required", resultCode: "authorizationFailDifferentSubject" },
  NOT_AUTHENTICATED: { error: "login_required", resultCode: "authorizationFailNotAuthenticated" },
  ACR_NOT_SATISFIED: { error: "unmet_authentication_requirements", resultCode: "authorizationFailAcrNotSatisfied" },
  DENIED: { error: "access_denied", resultCode: "authorizationFailDenied" },
  ACCOUNT_SELECTION_REQUIRED: { error: "account_selection_required", resultCode: "authorizationFailAccountSelectionRequired" },
  CONSENT_REQUIRED: { error: "consent_required", resultCode: "authorizationFailConsentRequired" },
  INTERACTION_REQUIRED: { error: "interaction_required", resultCode: "authorizationFailInteractionRequired" },
  INVALID_TARGET: { error: "invalid_target", resultCode: "authorizationFailInvalidTarget" },
  INVALID_SCOPE: { error: "invalid_scope", resultCode: "authorizationFailInvalidScope" },
  UNAUTHORIZED_CLIENT: { error: "unauthorized_client", resultCode: "authorizationFailUnauthorizedClient" },
  TEMPORARILY_UNAVAILABLE: { error: "temporarily_unavailable", resultCode: "authorizationFailTemporarilyUnavailable" },
} as const satisfies Record<string, { error: string; resultCode: ResultCodeName }>;

export type FailReason = keyof typeof failReasons;

export interface AuthorizationFailInput {
  ticket: string;
  reason: FailReason;
  /** Replaces the default text of `error_description` (the reason's result code still prefixes it). */
  description?: string | null;
}

export type AuthorizationFailOutcome =
  | BadRequestResponse
  | (RedirectResponse & { result: { resultCode: string; resultMessage: string } });

/**
 * `/auth/authorization/fail`: the login server refuses the request (user denied, not logged in with
 * prompt=none, …). Spends the ticket and redirects the error to the client in the request's
 * response mode, with `state` and `iss` (RFC 9207 §2; catalogue SEC-011, SEC-027; in JARM modes
 * inside the response JWT) — unless the client or its redirect URI is no longer registered
 * (`registeredRecipient`), or a JARM response cannot be encrypted to it: then BAD_REQUEST. A
 * client locked since the request fails the call (`ClientLockedError`, 403) as /issue does: a locked
 * client is sent nothing, not even an error, and the ticket stays spent.
 */
export async function failAuthorization(deps: CoreDeps, service: Service, input: AuthorizationFailInput): Promise<AuthorizationFailOutcome> {
  const consumed = await consumeAuthorizationTicket(deps, service.serviceId, input.ticket);
  if (!consumed) return buildBadRequest(deps, service, "authorizationTicketUnknown");
  const recipient = await registeredRecipient(deps, service, consumed.request);
  if (typeof recipient === "string") return buildBadRequest(deps, service, recipient);
  if (recipient.locked) throw new ClientLockedError(recipient);
  const mapped = failReasons[input.reason];
  const description = input.description || resultText(mapped.resultCode);
  const redirect = await buildErrorRedirect(deps, service, recipient, consumed.request, { error: mapped.error, description, resultCode: mapped.resultCode });
  return redirect.action === "BAD_REQUEST" ? redirect : { ...redirect, result: resultBody("authorizationFailed", input.reason, redirect.action) };
}
