import type { Service } from "../../domain/service.js";
import type { OAuthError } from "../oauth-error.js";
import { resultBody } from "../result-codes.js";
import type { ApiResult, RefusedAuthorizationRequest } from "./authorization-outcome.js";
import { buildErrorBody, buildErrorRedirect } from "./authorization-response.js";
import type { FrontChannelDraft } from "./front-channel-draft.js";

function resultOf(error: OAuthError): ApiResult {
  return resultBody(error.resultCode, ...error.resultArgs);
}

/**
 * The redirect error mode (RFC 6749 §4.1.2.1): while no redirect URI is trusted the failure is
 * BAD_REQUEST, shown to the user and never sent anywhere; once one is, it is redirected to the
 * client in the response mode with `state` and `iss`.
 */
export function answerByRedirect(service: Service, draft: FrontChannelDraft, error: OAuthError): RefusedAuthorizationRequest {
  const { deps, redirectUri, responseMode, state } = draft;
  if (redirectUri === null) return { action: "BAD_REQUEST", responseContent: buildErrorBody(deps, service, error), result: resultOf(error) };
  return { ...buildErrorRedirect(deps, service, { redirectUri, responseMode, state }, error), result: resultOf(error) };
}
