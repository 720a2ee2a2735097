import type { Scope } from "../../domain/common.js";
import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { resultBody, resultCodes } from "../result-codes.js";
import { type FrontChannelDraft, type FrontChannelStep, newFrontChannelDraft } from "./front-channel-draft.js";
import type { ParsedAuthorizationRequest } from "./authorization-request.js";
import { type BadRequestResponse, type RedirectResponse, buildErrorBody, buildErrorRedirect } from "./authorization-response.js";
import { saveAuthorizationTicket } from "./authorization-ticket.js";
import { RequestParameters } from "../protocol/request-parameters.js";
import { checkClaims } from "./steps/check-claims.js";
import { checkDisplay } from "./steps/check-display.js";
import { checkIdTokenHint } from "./steps/check-id-token-hint.js";
import { checkMaxAge } from "./steps/check-max-age.js";
import { checkOpenIdRules } from "./steps/check-openid-rules.js";
import { checkPkce } from "./steps/check-pkce.js";
import { checkPrompt } from "./steps/check-prompt.js";
import { checkResources } from "./steps/check-resources.js";
import { checkResponseModeFitsType } from "./steps/check-response-mode-fits-type.js";
import { checkResponseType } from "./steps/check-response-type.js";
import { checkScopes } from "./steps/check-scopes.js";
import { negotiateLocales } from "./steps/negotiate-locales.js";
import { readAcrValues } from "./steps/read-acr-values.js";
import { readLoginHint } from "./steps/read-login-hint.js";
import { readResponseMode } from "./steps/read-response-mode.js";
import { rejectDuplicatedParameters } from "./steps/reject-duplicated-parameters.js";
import { rejectRequestObjects } from "./steps/reject-request-objects.js";
import { identifyClient } from "./steps/identify-client.js";
import { readState } from "./steps/read-state.js";
import { rejectControlCharacters } from "./steps/reject-control-characters.js";
import { requireParameters } from "./steps/require-parameters.js";
import { resolveRedirectUri } from "./steps/resolve-redirect-uri.js";

/**
 * The policy of `/auth/authorization`, in order. Failures before `resolveRedirectUri` has trusted a
 * redirect URI are BAD_REQUEST (never redirected); later ones are redirected with `state` and `iss`.
 */
export const authorizationSteps: readonly FrontChannelStep[] = [
  requireParameters,
  rejectControlCharacters,
  identifyClient,
  resolveRedirectUri,
  readState,
  rejectDuplicatedParameters,
  readResponseMode,
  rejectRequestObjects,
  checkResponseType,
  checkResponseModeFitsType,
  checkScopes,
  checkOpenIdRules,
  checkPkce,
  checkPrompt,
  checkMaxAge,
  checkIdTokenHint,
  checkClaims,
  readAcrValues,
  negotiateLocales,
  checkDisplay,
  checkResources,
  readLoginHint,
];

interface ApiResult {
  resultCode: string;
  resultMessage: string;
}

/** A valid request parked behind a ticket, with what the login page needs. */
export interface TicketedRequest {
  ticket: string;
  request: ParsedAuthorizationRequest;
  service: Service;
  client: Client;
  scopes: Scope[];
  result: ApiResult;
}

export type AuthorizationRequestOutcome =
  | BadRequestResponse
  | (RedirectResponse & { result: ApiResult })
  | ({ action: "INTERACTION" } & TicketedRequest)
  | ({ action: "NO_INTERACTION" } & TicketedRequest);

export interface AuthorizationRequestInput {
  parameters?: string | null;
  context?: string | null;
}

function resultOf(error: OAuthError): ApiResult {
  const name = error.resultCode as keyof typeof resultCodes | undefined;
  const code = name && name in resultCodes ? resultCodes[name].code : resultCodes.internalError.code;
  return { resultCode: code, resultMessage: error.description };
}

function finish(draft: FrontChannelDraft): ParsedAuthorizationRequest {
  const { deps: _deps, service: _service, client, params: _params, responseModeExplicit: _explicit, redirectUri, responseType, scopes, ...rest } = draft;
  if (redirectUri === null) throw new Error("the redirect-URI step did not run");
  if (responseType === null) throw new Error("the response-type step did not run");
  return { ...rest, clientId: client.clientId, redirectUri, responseType, scopes: scopes.map((scope) => scope.name) };
}

/**
 * `/auth/authorization`: validates a raw authorization request (RFC 6749 §4.1.1 / §4.2.1, OIDC Core
 * §3.1.2.1) and either parks it behind a ticket (INTERACTION, or NO_INTERACTION for `prompt=none`)
 * or says how to refuse it (BAD_REQUEST when the client or redirect URI cannot be trusted,
 * LOCATION/FORM otherwise).
 */
export async function processAuthorizationRequest(
  deps: CoreDeps,
  service: Service,
  input: AuthorizationRequestInput,
): Promise<AuthorizationRequestOutcome> {
  const draft = newFrontChannelDraft(deps, service, RequestParameters.parse(input.parameters ?? ""));
  try {
    for (const step of authorizationSteps) await step(draft);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const { redirectUri, responseMode, state } = draft;
    if (redirectUri === null) return { action: "BAD_REQUEST", responseContent: buildErrorBody(service, error), result: resultOf(error) };
    return { ...buildErrorRedirect(service, { redirectUri, responseMode, state }, error), result: resultOf(error) };
  }

  const request = finish(draft);
  const ticket = await saveAuthorizationTicket(deps, service.apiKey, request, input.context ?? null);
  const action: "INTERACTION" | "NO_INTERACTION" = request.prompts.includes("NONE") ? "NO_INTERACTION" : "INTERACTION";
  const ticketed: TicketedRequest = {
    ticket,
    request,
    service,
    client: draft.client,
    scopes: draft.scopes,
    result: resultBody("authorizationTicketIssued", action),
  };
  return action === "NO_INTERACTION" ? { action, ...ticketed } : { action, ...ticketed };
}
