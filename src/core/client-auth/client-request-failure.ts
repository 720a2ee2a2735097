import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { OAuthError, oauthErrorBody } from "../oauth-error.js";
import { resultBody, resultText } from "../result-codes.js";

/**
 * The action an endpoint answers a failed client authentication with: revocation has INVALID_CLIENT
 * (HTTP 401); standard introspection, whose Authlete enum has none, answers BAD_REQUEST and the body's
 * `error` (`invalid_client`) tells the login server to send 401 (RFC 7662 §2.3).
 */
export type InvalidClientAction = "INVALID_CLIENT" | "BAD_REQUEST";

/** A refusal as the introspection and revocation endpoints answer it. */
export interface ClientRequestFailure<InvalidClient extends InvalidClientAction> {
  resultCode: string;
  resultMessage: string;
  action: "BAD_REQUEST" | InvalidClient;
  responseContent: string;
}

/**
 * An OAuth error as an endpoint answers it that describes failures with its result message, as
 * Authlete does (`[A145302] The parameter token appears more than once.`): `invalidClient` for
 * invalid_client, BAD_REQUEST (400) for every other error.
 */
function clientRequestFailure<InvalidClient extends InvalidClientAction>(
  deps: Pick<CoreDeps, "errorUriBase">,
  service: Service,
  invalidClient: InvalidClient,
  error: OAuthError,
): ClientRequestFailure<InvalidClient> {
  const result = resultBody(error.resultCode, ...error.resultArgs);
  const action = error.error === "invalid_client" ? invalidClient : "BAD_REQUEST";
  const failure = { error: error.error, resultCode: error.resultCode, description: resultText(error.resultCode, ...error.resultArgs) };
  return { ...result, action, responseContent: JSON.stringify(oauthErrorBody(deps, service, failure)) };
}

/** Runs an endpoint's handler and answers the OAuth errors it throws; any other error propagates (HTTP 500). */
export async function answeringOAuthErrors<Result, InvalidClient extends InvalidClientAction>(
  deps: Pick<CoreDeps, "errorUriBase">,
  service: Service,
  invalidClient: InvalidClient,
  handle: () => Promise<Result>,
): Promise<Result | ClientRequestFailure<InvalidClient>> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof OAuthError) return clientRequestFailure(deps, service, invalidClient, error);
    throw error;
  }
}
