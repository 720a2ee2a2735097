import { credentialHash } from "../../crypto/secrets.js";
import type { Service } from "../../domain/service.js";
import { recordPasswordLoginFailure } from "../brute-force/guard-password-login.js";
import { CallerError } from "../caller-error.js";
import { ClientLockedError } from "../clients/find-client.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import type { ResultCodeName } from "../result-codes.js";
import type { PasswordTicketPayload } from "./password-ticket.js";
import { tokenFailure, tokenInternalError } from "./token-failure.js";
import type { TokenOutcome } from "./token-outcome.js";

export const tokenFailReasons = [
  "UNKNOWN",
  "INVALID_RESOURCE_OWNER_CREDENTIALS",
  "INVALID_TARGET",
  "INVALID_CLIENT",
  "UNAUTHORIZED_CLIENT",
  "INVALID_SCOPE",
] as const;
export type TokenFailReason = (typeof tokenFailReasons)[number];

/**
 * The error each reason stands for. INVALID_RESOURCE_OWNER_CREDENTIALS maps to invalid_request,
 * as Authlete documents it (RFC 6749 §5.2 would also allow invalid_grant).
 */
const reasonErrors: Record<TokenFailReason, { error: string; description: string; resultCode: ResultCodeName }> = {
  UNKNOWN: { error: "server_error", description: "The authorization server failed to process the request.", resultCode: "tokenFailUnknown" },
  INVALID_RESOURCE_OWNER_CREDENTIALS: {
    error: "invalid_request",
    description: "The resource owner's credentials are invalid.",
    resultCode: "tokenFailCredentialsInvalid",
  },
  INVALID_TARGET: { error: "invalid_target", description: "The requested resource is invalid.", resultCode: "tokenFailInvalidTarget" },
  INVALID_CLIENT: { error: "invalid_client", description: "Client authentication failed.", resultCode: "tokenFailInvalidClient" },
  UNAUTHORIZED_CLIENT: {
    error: "unauthorized_client",
    description: "The client is not allowed to use this grant.",
    resultCode: "tokenFailUnauthorizedClient",
  },
  INVALID_SCOPE: { error: "invalid_scope", description: "The requested scope is not acceptable.", resultCode: "tokenFailInvalidScope" },
};

/**
 * `/auth/token/fail`: the login server rejected a password-grant request. The ticket is consumed
 * and the RFC 6749 §5.2 error for the reason is built. Actions: BAD_REQUEST (400) and
 * INTERNAL_SERVER_ERROR (500, for UNKNOWN and for an unknown or used ticket). A client locked since
 * /auth/token fails the call (`ClientLockedError`, 403) as /auth/token/issue does: no error body is
 * built for it. The failed login still counts against the username: the credentials were wrong.
 */
export async function handleTokenFail(deps: CoreDeps, service: Service, ticket: string, reason: TokenFailReason): Promise<TokenOutcome> {
  try {
    const consumed = await deps.store.consumeTicket(service.serviceId, credentialHash(ticket), "PASSWORD", deps.now());
    if (!consumed) {
      return tokenFailure(deps, service, new OAuthError("server_error", "The token request could not be completed (unknown or expired ticket).", "tokenFailTicketUnknown"));
    }
    if (reason === "INVALID_RESOURCE_OWNER_CREDENTIALS") {
      await recordPasswordLoginFailure(deps, service.serviceId, (consumed.payload as PasswordTicketPayload).usernameHash);
    }
    const client = await deps.store.getClient(service.serviceId, consumed.clientId);
    if (client?.locked) throw new ClientLockedError(client);
    const mapped = reasonErrors[reason];
    const outcome = tokenFailure(deps, service, new OAuthError(mapped.error, mapped.description, mapped.resultCode));
    // Authlete's /auth/token/fail knows only BAD_REQUEST and INTERNAL_SERVER_ERROR; invalid_client goes out as a 400 (RFC 6749 §5.2 allows it).
    return outcome.action === "INVALID_CLIENT" ? { ...outcome, action: "BAD_REQUEST" } : outcome;
  } catch (error) {
    if (error instanceof CallerError) throw error;
    return tokenInternalError(deps, service, error, "token fail");
  }
}
