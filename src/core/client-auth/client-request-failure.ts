import type { Service } from "../../domain/service.js";
import { type OAuthError, oauthErrorBody } from "../oauth-error.js";
import { resultBody } from "../result-codes.js";

/** A refusal as the introspection and revocation endpoints answer it. */
export interface ClientRequestFailure {
  resultCode: string;
  resultMessage: string;
  action: "BAD_REQUEST" | "INVALID_CLIENT";
  responseContent: string;
}

/**
 * Turns an OAuth error into the answer of an endpoint that describes failures with its result
 * message, as Authlete does (`[A145302] The parameter token appears more than once.`):
 * INVALID_CLIENT for invalid_client (HTTP 401), BAD_REQUEST (400) for every other error.
 */
export function clientRequestFailure(service: Service, error: OAuthError): ClientRequestFailure {
  if (error.resultCode === undefined) throw new Error(`OAuthError without a result code: ${error.message}`);
  const result = resultBody(error.resultCode, ...error.resultArgs);
  const action = error.error === "invalid_client" ? "INVALID_CLIENT" : "BAD_REQUEST";
  return { ...result, action, responseContent: JSON.stringify(oauthErrorBody(service, error.error, result.resultMessage)) };
}
