import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { OAuthError, oauthErrorBody } from "../oauth-error.js";
import type { TokenAction, TokenOutcome } from "./token-outcome.js";

/** An OAuth error as the token endpoint answers it: INVALID_CLIENT for invalid_client (401), BAD_REQUEST otherwise (400). */
export function tokenFailure(deps: Pick<CoreDeps, "errorUriBase">, service: Service, error: OAuthError): TokenOutcome {
  const action: TokenAction = error.error === "invalid_client" ? "INVALID_CLIENT" : error.error === "server_error" ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
  return {
    action,
    responseContent: JSON.stringify(oauthErrorBody(deps, service, error)),
    resultCode: error.resultCode,
    resultArgs: [...error.resultArgs],
  };
}

/** A fault of Tessera itself: logged with its detail, answered with a bare server_error (RFC 6749 §5.2 has none; OIDC and RFC 6749 §4.1.2.1 use it). */
export function tokenInternalError(deps: CoreDeps, service: Service, error: unknown, where: string): TokenOutcome {
  deps.logger.error({ err: error, serviceId: service.serviceId }, `${where} failed`);
  return tokenFailure(deps, service, new OAuthError("server_error", "The authorization server failed to process the request.", "tokenInternalError"));
}
