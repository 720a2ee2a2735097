import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { type OAuthError, oauthErrorBody } from "../oauth-error.js";
import { resultBody, resultText } from "../result-codes.js";

/** A pushed request refused, as Authlete's `pushed_authorization_response` carries it. */
export interface RefusedPushedRequest {
  resultCode: string;
  resultMessage: string;
  action: "BAD_REQUEST" | "UNAUTHORIZED" | "PAYLOAD_TOO_LARGE";
  /** The JSON error body to relay. */
  responseContent: string;
}

/**
 * The PAR variant's error mode (RFC 9126 §2.3): the OAuth error body as JSON, described by its
 * result code as Authlete does; invalid_client is UNAUTHORIZED (401), a request over the size
 * limit PAYLOAD_TOO_LARGE (413), any other error BAD_REQUEST (400). Nothing is ever redirected.
 */
export function answerAsJson(deps: Pick<CoreDeps, "errorUriBase">, service: Service, error: OAuthError): RefusedPushedRequest {
  const action = error.error === "invalid_client" ? "UNAUTHORIZED" : error.resultCode === "pushedRequestTooLarge" ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
  const failure = { error: error.error, resultCode: error.resultCode, description: resultText(error.resultCode, ...error.resultArgs) };
  return { ...resultBody(error.resultCode, ...error.resultArgs), action, responseContent: JSON.stringify(oauthErrorBody(deps, service, failure)) };
}
