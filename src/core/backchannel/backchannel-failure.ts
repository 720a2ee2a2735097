import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { type OAuthError, oauthErrorBody } from "../oauth-error.js";
import { resultBody, resultText } from "../result-codes.js";

/** A backchannel authentication request refused, as Authlete's `backchannel_authentication_response` carries it. */
export interface RefusedBackchannelRequest {
  resultCode: string;
  resultMessage: string;
  action: "BAD_REQUEST" | "UNAUTHORIZED";
  /** The CIBA Core §13 error body to relay as JSON. */
  responseContent: string;
}

/**
 * The CIBA variant's error mode (CIBA Core §13): the OAuth error body as JSON, described by its
 * result code as Authlete does; invalid_client is UNAUTHORIZED (401), every other error BAD_REQUEST
 * (400). Nothing is redirected: there is no browser in this flow.
 */
export function answerBackchannelFailure(deps: Pick<CoreDeps, "errorUriBase">, service: Service, error: OAuthError): RefusedBackchannelRequest {
  const action = error.error === "invalid_client" ? "UNAUTHORIZED" : "BAD_REQUEST";
  const failure = { error: error.error, resultCode: error.resultCode, description: resultText(error.resultCode, ...error.resultArgs) };
  return { ...resultBody(error.resultCode, ...error.resultArgs), action, responseContent: JSON.stringify(oauthErrorBody(deps, service, failure)) };
}
