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
 * client in the response mode with `state` and `iss` (in JARM modes, inside the response JWT).
 */
export async function answerByRedirect(service: Service, draft: FrontChannelDraft, error: OAuthError): Promise<RefusedAuthorizationRequest> {
  const { deps, redirectUri, responseMode, responseType, state, clientIdAliasUsed } = draft;
  if (redirectUri === null) return { action: "BAD_REQUEST", responseContent: buildErrorBody(deps, service, error), result: resultOf(error) };
  // A trusted redirect URI is one registered for the client, so the client is known here.
  const target = { redirectUri, responseMode, responseType, state, clientIdAliasUsed };
  const redirect = await buildErrorRedirect(deps, service, draft.client, target, error);
  return redirect.action === "BAD_REQUEST" ? redirect : { ...redirect, result: resultOf(error) };
}
