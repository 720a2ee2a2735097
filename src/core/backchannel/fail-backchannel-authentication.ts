import type { Service } from "../../domain/service.js";
import { ClientLockedError } from "../clients/find-client.js";
import type { CoreDeps } from "../context.js";
import { oauthErrorBody } from "../oauth-error.js";
import { type ResultCodeName, resultBody, resultText } from "../result-codes.js";
import { consumeBackchannelTicket } from "./backchannel-ticket.js";

type FailAction = "BAD_REQUEST" | "FORBIDDEN" | "INTERNAL_SERVER_ERROR";

/**
 * Authlete's reasons for refusing a backchannel authentication request after the login server tried to
 * identify the user, each with the CIBA Core §13 error it stands for (RFC 8707 §2 for invalid_target)
 * and the action (HTTP status) Authlete documents: access_denied is 403, server_error 500, the rest 400.
 */
export const backchannelFailReasons = {
  ACCESS_DENIED: { error: "access_denied", action: "FORBIDDEN", resultCode: "backchannelFailAccessDenied" },
  EXPIRED_LOGIN_HINT_TOKEN: { error: "expired_login_hint_token", action: "BAD_REQUEST", resultCode: "backchannelFailExpiredLoginHintToken" },
  INVALID_BINDING_MESSAGE: { error: "invalid_binding_message", action: "BAD_REQUEST", resultCode: "backchannelFailInvalidBindingMessage" },
  INVALID_TARGET: { error: "invalid_target", action: "BAD_REQUEST", resultCode: "backchannelFailInvalidTarget" },
  INVALID_USER_CODE: { error: "invalid_user_code", action: "BAD_REQUEST", resultCode: "backchannelFailInvalidUserCode" },
  MISSING_USER_CODE: { error: "missing_user_code", action: "BAD_REQUEST", resultCode: "backchannelFailMissingUserCode" },
  SERVER_ERROR: { error: "server_error", action: "INTERNAL_SERVER_ERROR", resultCode: "backchannelFailServerError" },
  UNAUTHORIZED_CLIENT: { error: "unauthorized_client", action: "BAD_REQUEST", resultCode: "backchannelFailUnauthorizedClient" },
  UNKNOWN_USER_ID: { error: "unknown_user_id", action: "BAD_REQUEST", resultCode: "backchannelFailUnknownUserId" },
} as const satisfies Record<string, { error: string; action: FailAction; resultCode: ResultCodeName }>;

export type BackchannelFailReason = keyof typeof backchannelFailReasons;

export interface BackchannelFailInput {
  ticket: string;
  reason: BackchannelFailReason;
  /** Replaces the reason's default text of `error_description` (its result code still prefixes it). */
  errorDescription?: string | null;
  /** Replaces `error_uri`. */
  errorUri?: string | null;
}

export interface BackchannelFailOutcome {
  resultCode: string;
  resultMessage: string;
  action: FailAction;
  /** The CIBA Core §13 error body to relay as JSON. */
  responseContent: string;
}

/**
 * `/backchannel/authentication/fail`: the login server refuses the request before an `auth_req_id`
 * exists (unknown user, expired login_hint_token, wrong user code…). The ticket is spent, so the
 * request cannot be issued afterwards, and the error body for the reason is built. An unknown, used
 * or expired ticket is INTERNAL_SERVER_ERROR (nothing the client could fix). A client locked since
 * the request fails the call (`ClientLockedError`).
 */
export async function failBackchannelAuthentication(deps: CoreDeps, service: Service, input: BackchannelFailInput): Promise<BackchannelFailOutcome> {
  const consumed = await consumeBackchannelTicket(deps, service.serviceId, input.ticket);
  if (!consumed) {
    const failure = { error: "server_error", resultCode: "backchannelFailTicketUnknown" as const, description: resultText("backchannelFailTicketUnknown") };
    return { ...resultBody("backchannelFailTicketUnknown"), action: "INTERNAL_SERVER_ERROR", responseContent: JSON.stringify(oauthErrorBody(deps, service, failure)) };
  }
  const client = await deps.store.getClient(service.serviceId, consumed.clientId);
  if (client?.locked) throw new ClientLockedError(client);
  const { error, action, resultCode } = backchannelFailReasons[input.reason];
  const body = oauthErrorBody(deps, service, { error, resultCode, description: input.errorDescription || resultText(resultCode) });
  if (input.errorUri) body.error_uri = input.errorUri;
  return { ...resultBody("backchannelFailed", input.reason, action), action, responseContent: JSON.stringify(body) };
}
