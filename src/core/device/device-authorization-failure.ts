import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { type OAuthError, oauthErrorBody } from "../oauth-error.js";
import { resultBody, resultText } from "../result-codes.js";

/** A device authorization request refused, as Authlete's `device_authorization_response` carries it. */
export interface RefusedDeviceRequest {
  resultCode: string;
  resultMessage: string;
  action: "BAD_REQUEST" | "UNAUTHORIZED" | "INTERNAL_SERVER_ERROR";
  /** The RFC 6749 §5.2 error body to relay as JSON. */
  responseContent: string;
}

/**
 * The device variant's error mode (RFC 8628 §3.2: "the error response … as defined in Section 5.2 of
 * RFC 6749"): the OAuth error body as JSON, described by its result code as Authlete does;
 * invalid_client is UNAUTHORIZED (401), server_error (the service cannot run the flow)
 * INTERNAL_SERVER_ERROR (500), every other error BAD_REQUEST (400).
 */
export function answerDeviceFailure(deps: Pick<CoreDeps, "errorUriBase">, service: Service, error: OAuthError): RefusedDeviceRequest {
  const action = error.error === "invalid_client" ? "UNAUTHORIZED" : error.error === "server_error" ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
  const failure = { error: error.error, resultCode: error.resultCode, description: resultText(error.resultCode, ...error.resultArgs) };
  return { ...resultBody(error.resultCode, ...error.resultArgs), action, responseContent: JSON.stringify(oauthErrorBody(deps, service, failure)) };
}
