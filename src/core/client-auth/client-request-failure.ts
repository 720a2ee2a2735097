import type { Service } from "../../domain/service.js";
import { OAuthError, oauthErrorBody } from "../oauth-error.js";
import { resultBody } from "../result-codes.js";

/** A refusal as the introspection and revocation endpoints answer it. */
export interface ClientRequestFailure {
  resultCode: string;
  resultMessage: string;
  action: "BAD_REQUEST" | "INVALID_CLIENT";
  responseContent: string;
}

/**
 * An OAuth error as an endpoint answers it that describes failures with its result message, as
 * Authlete does (`[A145302] The parameter token appears more than once.`): INVALID_CLIENT for
 * invalid_client (HTTP 401), BAD_REQUEST (400) for every other error.
 */
function clientRequestFailure(service: Service, error: OAuthError): ClientRequestFailure {
  if (error.resultCode === undefined) throw new Error(`OAuthError without a result code: ${error.message}`);
  const result = resultBody(error.resultCode, ...error.resultArgs);
  const action = error.error === "invalid_client" ? "INVALID_CLIENT" : "BAD_REQUEST";
  return { ...result, action, responseContent: JSON.stringify(oauthErrorBody(service, error.error, result.resultMessage)) };
}

/** Runs an endpoint's handler and answers the OAuth errors it throws; any other error propagates (HTTP 500). */
export async function answeringOAuthErrors<Result>(service: Service, handle: () => Promise<Result>): Promise<Result | ClientRequestFailure> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof OAuthError) return clientRequestFailure(service, error);
    throw error;
  }
}
