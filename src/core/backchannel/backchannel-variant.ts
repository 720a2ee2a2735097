import { stepMatrix } from "../authorization/authorization-variants.js";
import { backChannelStepsOf } from "../authorization/variant-matrix.js";
import { answerBackchannelFailure } from "./backchannel-failure.js";
import type { BackchannelStep } from "./backchannel-draft.js";
import { parkBackchannelRequest } from "./park-backchannel-request.js";
import { checkBindingMessage } from "./steps/check-binding-message.js";
import { checkUserCode } from "./steps/check-user-code.js";
import { readHint } from "./steps/read-hint.js";
import { readNotificationToken } from "./steps/read-notification-token.js";
import { readRequestedExpiry } from "./steps/read-requested-expiry.js";
import { refuseRequestUri } from "./steps/refuse-request-uri.js";
import { requireOpenidScope } from "./steps/require-openid-scope.js";
import { requireSignedRequest } from "./steps/require-signed-request.js";

/**
 * The CIBA variant (CIBA Core §7.1): the rules it shares with the authorization endpoint are the CIBA
 * column of `authorization-variants.ts` (request object, repetitions, scopes, id_token_hint, acr_values,
 * resource, authorization_details); around them the rules only CIBA has, in the order they run.
 * Error mode: JSON (§13, `answerBackchannelFailure`); finish: a ticket for the login server to identify
 * the user (`parkBackchannelRequest`), which /issue turns into the `auth_req_id` (§7.3).
 */
export const backchannelAuthenticationVariant = {
  steps: [
    refuseRequestUri,
    ...backChannelStepsOf(stepMatrix, "backchannelAuthentication"),
    requireSignedRequest,
    requireOpenidScope,
    readHint,
    checkBindingMessage,
    checkUserCode,
    readRequestedExpiry,
    readNotificationToken,
  ] satisfies readonly BackchannelStep[],
  answerFailure: answerBackchannelFailure,
  finish: parkBackchannelRequest,
};
