import { credentialHash } from "../../../crypto/secrets.js";
import type { BackchannelPending } from "../../backchannel/backchannel-pending.js";
import { OAuthError } from "../../oauth-error.js";
import { resultText } from "../../result-codes.js";
import { requiredParameter } from "../parse-token-parameters.js";
import type { GrantTypeContext, GrantTypeModule } from "./grant-type-module.js";
import { redeemDecision } from "./redeem-decision.js";

const refused = (error: string, name: Parameters<typeof resultText>[0], ...args: Array<string | number>) => new OAuthError(error, resultText(name, ...args), name, args);

/**
 * grant_type=urn:openid:params:grant-type:ciba (CIBA Core §10.1, §11), for confidential clients only
 * (§4; the entry point checks the trait):
 * - a push-mode client gets its tokens at its notification endpoint and may not poll → unauthorized_client (§10.3);
 * - the `auth_req_id` is polled through the pending-authorization port in one atomic step:
 *   unknown, or another client's (left untouched) → invalid_grant; expired → expired_token;
 *   polled sooner than the interval → slow_down, and the interval is 5 seconds longer from now on;
 *   undecided → authorization_pending; refused → access_denied, or expired_token when the login server
 *   reported TRANSACTION_FAILED; tokens issued before → invalid_grant;
 * - approved: the record is REDEEMED in the same step, so of parallel polls at the moment of approval
 *   exactly one gets the tokens: an access token, a refresh token when the client and service allow one,
 *   and the ID token (§10.1.1: OpenID Connect's, with at_hash). The decided scopes are narrowed to those
 *   the service and client allow now, as at code redemption; the tokens are bound to the DPoP key or client
 *   certificate the token request proves (`tokenRequestBinding`).
 */
async function handle(context: GrantTypeContext) {
  const { deps, service, auth, params } = context;
  const authReqId = requiredParameter(params, "auth_req_id");
  if (auth.client.bcDeliveryMode === "PUSH") throw refused("unauthorized_client", "tokenCibaPushMode");
  const polled = await deps.store.pollPendingAuthorization(service.serviceId, "CIBA", credentialHash(authReqId), auth.client.clientId, deps.now());
  switch (polled.outcome) {
    case "unknown":
      throw refused("invalid_grant", "tokenCibaUnknown");
    case "expired":
      throw refused("expired_token", "tokenCibaExpired");
    case "slow_down":
      throw refused("slow_down", "tokenCibaSlowDown", polled.record.interval);
    case "pending":
      throw refused("authorization_pending", "tokenCibaPending");
    case "redeemed":
      throw refused("invalid_grant", "tokenCibaRedeemed");
    case "denied": {
      const denial = (polled.record.payload as BackchannelPending).denial;
      const name = denial?.error === "expired_token" ? "tokenCibaTransactionFailed" : "tokenCibaDenied";
      throw new OAuthError(denial?.error ?? "access_denied", denial?.description ?? resultText(name), name);
    }
    case "authorized":
      break;
  }
  const { request: backchannel, decision } = polled.record.payload as BackchannelPending;
  if (!decision) throw new Error("an AUTHORIZED CIBA record carries no decision");
  return redeemDecision(context, "CIBA", decision, backchannel, "tokenCibaIssued");
}

export const cibaGrantType: GrantTypeModule<"CIBA"> = {
  grantType: "CIBA",
  implemented: true,
  confidentialOnly: true,
  refreshTokens: "when-refresh-token-enabled",
  redeemsCredential: true,
  parameters: ["auth_req_id"],
  handle,
};
