import { authorizationError } from "../../authorization/authorization-errors.js";
import type { BackchannelStep } from "../backchannel-draft.js";

/** CIBA Core §7.1: "The length of the token MUST NOT exceed 1024 characters". */
export const MAX_NOTIFICATION_TOKEN_LENGTH = 1024;

/** RFC 6750 §2.1 `b64token`: what an `Authorization: Bearer` header can carry, so the login server's notification cannot be split or forged. */
const bearerToken = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * CIBA Core §7.1 `client_notification_token`: REQUIRED for a client in the ping or push mode (the
 * bearer token the notification to the client carries, §10) → invalid_request when missing, longer
 * than 1024 characters, or not a bearer token's characters. A poll-mode client's is ignored: nothing
 * is ever sent to it.
 */
export const readNotificationToken: BackchannelStep = (draft) => {
  if (draft.deliveryMode === "POLL") return;
  const token = draft.params.get("client_notification_token");
  if (token === undefined) throw authorizationError("invalid_request", "backchannelNotificationTokenMissing", draft.deliveryMode);
  if (token.length > MAX_NOTIFICATION_TOKEN_LENGTH || !bearerToken.test(token)) {
    throw authorizationError("invalid_request", "backchannelNotificationTokenInvalid", MAX_NOTIFICATION_TOKEN_LENGTH);
  }
  draft.clientNotificationToken = token;
};
