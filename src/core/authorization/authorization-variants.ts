import { parkBehindTicket } from "./park-behind-ticket.js";
import { answerAsJson } from "./pushed-request-failure.js";
import { answerByRedirect } from "./redirect-failure.js";
import { checkAuthorizationDetails } from "./steps/check-authorization-details.js";
import { checkClaims } from "./steps/check-claims.js";
import { checkDisplay } from "./steps/check-display.js";
import { checkIdTokenHint } from "./steps/check-id-token-hint.js";
import { checkMaxAge } from "./steps/check-max-age.js";
import { checkOpenIdRules } from "./steps/check-openid-rules.js";
import { checkPkce } from "./steps/check-pkce.js";
import { checkPrompt } from "./steps/check-prompt.js";
import { checkResources } from "./steps/check-resources.js";
import { checkResponseModeAllowed } from "./steps/check-response-mode-allowed.js";
import { checkResponseModeFitsType } from "./steps/check-response-mode-fits-type.js";
import { checkResponseType } from "./steps/check-response-type.js";
import { checkScopes } from "./steps/check-scopes.js";
import { identifyClient } from "./steps/identify-client.js";
import { loadPushedRequest } from "./steps/load-pushed-request.js";
import { negotiateLocales } from "./steps/negotiate-locales.js";
import { readAcrValues } from "./steps/read-acr-values.js";
import { readDpopJkt } from "./steps/read-dpop-jkt.js";
import { readGrantManagement } from "./steps/read-grant-management.js";
import { readLoginHint } from "./steps/read-login-hint.js";
import { readRequestObject } from "./steps/read-request-object.js";
import { readResponseMode } from "./steps/read-response-mode.js";
import { readState } from "./steps/read-state.js";
import { rejectControlCharacters } from "./steps/reject-control-characters.js";
import { rejectDuplicatedParameters } from "./steps/reject-duplicated-parameters.js";
import { rejectRequestUri } from "./steps/reject-request-uri.js";
import { requireDpopBoundTokens } from "./steps/require-dpop-bound-tokens.js";
import { requireEncryptedRequestObject } from "./steps/require-encrypted-request-object.js";
import { requireParameters } from "./steps/require-parameters.js";
import { requirePushedRequest } from "./steps/require-pushed-request.js";
import { resolveRedirectUri } from "./steps/resolve-redirect-uri.js";
import { storePushedRequest } from "./store-pushed-request.js";
import { _, anyVariant, frontChannelOnly, type MatrixRow, stepsOf, X } from "./variant-matrix.js";

/**
 * Which rule runs for which endpoint: one row per step, in the order they run; one column per
 * variant, X where the step runs.
 * - authorization: `/auth/authorization` (RFC 6749 §4.1, §4.2; OIDC Core §3).
 * - PAR: pushed authorization requests (RFC 9126), issue 15.
 * - device: device authorization requests (RFC 8628 §3.1), issue 17.
 * - CIBA: backchannel authentication requests (CIBA Core §7.1), issue 17.
 * An `anyVariant` step needs only the shared draft; a `frontChannelOnly` step reads or fills
 * redirect fields, so its device and CIBA cells cannot be X (the compiler refuses it).
 */
export const stepMatrix: readonly MatrixRow[] = [
  //                                            authorization  PAR  device  CIBA
  anyVariant(requireParameters,                       X,        _,     _,     _),
  anyVariant(rejectControlCharacters,                 X,        _,     _,     _),
  anyVariant(identifyClient,                          X,        _,     _,     _),
  // PAR: the client-authenticated front has read the body (no repetition but resource, no control character) and authenticated the client.
  anyVariant(loadPushedRequest,                       X,        _,     _,     _),
  anyVariant(rejectRequestUri,                        _,        X,     _,     _),
  anyVariant(readRequestObject,                       X,        X,     _,     X),
  anyVariant(requireEncryptedRequestObject,           X,        _,     _,     _),
  anyVariant(requirePushedRequest,                    X,        _,     _,     _),
  frontChannelOnly(resolveRedirectUri,                X,        X,     _,     _),
  frontChannelOnly(readState,                         X,        X,     _,     _),
  anyVariant(rejectDuplicatedParameters,              X,        X,     _,     X),
  frontChannelOnly(readResponseMode,                  X,        X,     _,     _),
  frontChannelOnly(checkResponseType,                 X,        X,     _,     _),
  frontChannelOnly(checkResponseModeFitsType,         X,        X,     _,     _),
  frontChannelOnly(checkResponseModeAllowed,          X,        X,     _,     _),
  frontChannelOnly(requireDpopBoundTokens,            X,        X,     _,     _),
  anyVariant(checkScopes,                             X,        X,     X,     X),
  frontChannelOnly(checkOpenIdRules,                  X,        X,     _,     _),
  frontChannelOnly(checkPkce,                         X,        X,     _,     _),
  anyVariant(checkPrompt,                             X,        X,     _,     _),
  anyVariant(checkMaxAge,                             X,        X,     _,     _),
  anyVariant(checkIdTokenHint,                        X,        X,     _,     X),
  frontChannelOnly(checkClaims,                       X,        X,     _,     _),
  anyVariant(readAcrValues,                           X,        X,     X,     X),
  anyVariant(negotiateLocales,                        X,        X,     _,     _),
  anyVariant(checkDisplay,                            X,        X,     _,     _),
  anyVariant(checkResources,                          X,        X,     X,     X),
  anyVariant(checkAuthorizationDetails,               X,        X,     X,     X),
  anyVariant(readDpopJkt,                             X,        X,     _,     _),
  anyVariant(readLoginHint,                           X,        X,     _,     _),
  anyVariant(readGrantManagement,                     X,        X,     X,     X),
];

/**
 * How each variant answers a failed step (its error mode) and what it does with a request every
 * step passed (its finish):
 *
 * - authorization: redirect — BAD_REQUEST while no redirect URI is trusted, then LOCATION/FORM to
 *   the client (`answerByRedirect`); finish: a ticket, INTERACTION or NO_INTERACTION for
 *   `prompt=none` (`parkBehindTicket`).
 * - PAR: JSON — the error body with HTTP 400/401/413 (RFC 9126 §2.3, `answerAsJson`); finish: the
 *   stored request's `request_uri` (§2.2, `storePushedRequest`).
 * - device: JSON (RFC 8628 §3.2, RFC 6749 §5.2, `answerDeviceFailure`); finish: `device_code` and
 *   `user_code` (§3.2, `issueDeviceCode`); the variant is `deviceAuthorizationVariant` (core/device/).
 * - CIBA: JSON (CIBA Core §13); finish: `auth_req_id` (§7.3).
 *
 * The device and CIBA columns are served when issue 17 lands.
 */
export const authorizationVariant = {
  steps: stepsOf(stepMatrix, "authorization"),
  answerFailure: answerByRedirect,
  finish: parkBehindTicket,
};

export const pushedAuthorizationVariant = {
  steps: stepsOf(stepMatrix, "pushedAuthorization"),
  answerFailure: answerAsJson,
  finish: storePushedRequest,
};
