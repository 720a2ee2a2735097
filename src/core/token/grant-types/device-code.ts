import { credentialHash } from "../../../crypto/secrets.js";
import type { PendingAuthorizationRecord } from "../../../domain/records.js";
import type { DevicePayload } from "../../device/device-request.js";
import { OAuthError } from "../../oauth-error.js";
import { resultText } from "../../result-codes.js";
import { requiredParameter } from "../parse-token-parameters.js";
import { tokenFailure } from "../token-failure.js";
import type { TokenOutcome } from "../token-outcome.js";
import type { GrantTypeContext, GrantTypeModule } from "./grant-type-module.js";
import { redeemDecision } from "./redeem-decision.js";

/**
 * A refusal the user chose (ACCESS_DENIED → access_denied, TRANSACTION_FAILED → expired_token, as
 * Authlete answers them), with the `errorDescription` and `errorUri` the login server gave at
 * /device/complete in place of the defaults (the result code still leads the description).
 */
function refusal(context: GrantTypeContext, record: PendingAuthorizationRecord): TokenOutcome {
  const decided = (record.payload as DevicePayload).decided;
  const failed = decided?.result === "TRANSACTION_FAILED";
  const name = failed ? "tokenDeviceTransactionFailed" : "tokenDeviceDenied";
  const given = decided && decided.result !== "AUTHORIZED" ? decided : null;
  const error = new OAuthError(failed ? "expired_token" : "access_denied", given?.errorDescription ?? resultText(name), name);
  const outcome = tokenFailure(context.deps, context.service, error);
  if (!given?.errorUri) return outcome;
  const body = JSON.parse(outcome.responseContent!) as Record<string, unknown>;
  return { ...outcome, responseContent: JSON.stringify({ ...body, error_uri: given.errorUri }) };
}

/**
 * grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4, §3.5): one poll of the
 * pending authorization behind `device_code`, decided atomically by the store:
 * - still waiting → authorization_pending; polled sooner than `interval` after the last poll →
 *   slow_down, and the interval is 5 seconds longer from then on (§3.5);
 * - the user denied → access_denied (TRANSACTION_FAILED at /device/complete → expired_token);
 * - past `expires_in` → expired_token;
 * - unknown, of another client (left untouched), or redeemed before → invalid_grant, counted by the
 *   brute-force guard (`redeemsCredential`);
 * - approved → exactly one poll mints, as every decided grant does (`redeemDecision`): a new grant for
 *   the subject with the decided scopes the client may still have, an access token bound as the request
 *   proves (DPoP, mTLS), a refresh token by the usual rules, and an ID token when `openid` was granted.
 */
async function handle(context: GrantTypeContext): Promise<TokenOutcome> {
  const { deps, service, auth, params } = context;
  const deviceCode = requiredParameter(params, "device_code");
  const poll = await deps.store.pollPendingAuthorization(service.serviceId, "DEVICE", credentialHash(deviceCode), auth.client.clientId, deps.now());
  switch (poll.outcome) {
    case "unknown":
      throw new OAuthError("invalid_grant", resultText("tokenDeviceCodeUnknown"), "tokenDeviceCodeUnknown");
    case "redeemed":
      throw new OAuthError("invalid_grant", resultText("tokenDeviceCodeRedeemed"), "tokenDeviceCodeRedeemed");
    case "expired":
      throw new OAuthError("expired_token", resultText("tokenDeviceExpired"), "tokenDeviceExpired");
    case "pending":
      throw new OAuthError("authorization_pending", resultText("tokenDevicePending"), "tokenDevicePending");
    case "slow_down":
      throw new OAuthError("slow_down", resultText("tokenDeviceSlowDown", poll.record.interval), "tokenDeviceSlowDown", [poll.record.interval]);
    case "denied":
      return refusal(context, poll.record);
    case "authorized":
      break;
  }
  const { request: asked, decided } = poll.record.payload as DevicePayload;
  if (decided?.result !== "AUTHORIZED") throw new Error("an AUTHORIZED device record without an approval");
  return redeemDecision(context, "DEVICE_CODE", decided.decision, asked, "tokenDeviceCodeIssued");
}

export const deviceCodeGrantType: GrantTypeModule<"DEVICE_CODE"> = {
  grantType: "DEVICE_CODE",
  implemented: true,
  confidentialOnly: false,
  refreshTokens: "when-refresh-token-enabled",
  redeemsCredential: true,
  parameters: ["device_code"],
  handle,
};
