import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { OAuthError, oauthErrorBody } from "../oauth-error.js";
import { type ResultCodeName, resultBody, resultText } from "../result-codes.js";

/** Authlete's `client_registration_response` actions. */
export type RegistrationAction = "CREATED" | "OK" | "UPDATED" | "DELETED" | "BAD_REQUEST" | "UNAUTHORIZED" | "INTERNAL_SERVER_ERROR";

export interface RegistrationOutcome {
  resultCode: string;
  resultMessage: string;
  action: RegistrationAction;
  /** The JSON body the login server relays (none for DELETED, answered with 204). */
  responseContent?: string;
  client?: Client;
}

export const success = (name: ResultCodeName, action: RegistrationAction, content: Record<string, unknown> | null, client: Client): RegistrationOutcome => ({
  ...resultBody(name),
  action,
  ...(content ? { responseContent: JSON.stringify(content) } : {}),
  client,
});

/**
 * A refusal: RFC 7591 section 3.2.2 errors are BAD_REQUEST; `invalid_token` (RFC 7592 section 2, RFC 6750)
 * is UNAUTHORIZED only when the service sets `unauthorizedOnClientConfigSupported`, and BAD_REQUEST
 * otherwise, as Authlete keeps it for services made before RFC 7592 said 401.
 */
export function refusal(deps: Pick<CoreDeps, "errorUriBase">, service: Service, error: OAuthError): RegistrationOutcome {
  const unauthorized = error.error === "invalid_token" && service.unauthorizedOnClientConfigSupported === true;
  return {
    ...resultBody(error.resultCode, ...error.resultArgs),
    action: unauthorized ? "UNAUTHORIZED" : "BAD_REQUEST",
    responseContent: JSON.stringify(oauthErrorBody(deps, service, error)),
  };
}

/** The registration access token does not open this client. */
export const tokenRefused = (clientId: string | undefined) =>
  new OAuthError("invalid_token", resultText("registrationTokenInvalid", clientId ?? ""), "registrationTokenInvalid", [clientId ?? ""]);

/**
 * What the client-management code refused, as RFC 7591 section 3.2.2 names it: a problem with a redirect
 * URI is `invalid_redirect_uri`, any other `invalid_client_metadata`; the description keeps the
 * management API's result code and text, so a login server sees the same reason as an admin would.
 */
export function metadataRefusal(error: CallerError): OAuthError {
  const text = resultText(error.resultName, ...error.args);
  const problems = error.resultName === "clientMetadataInvalid" ? String(error.args[0] ?? "").split("; ") : [];
  const redirect = problems.some((problem) => problem.startsWith("redirectUris"));
  return new OAuthError(redirect ? "invalid_redirect_uri" : "invalid_client_metadata", text, error.resultName, error.args);
}

/** Runs a step of the client-management code, turning its refusals into registration errors. */
export async function asRegistrationError<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof CallerError && error.resultName !== "serviceNotFound") throw metadataRefusal(error);
    throw error;
  }
}
