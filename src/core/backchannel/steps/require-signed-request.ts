import { authorizationError } from "../../authorization/authorization-errors.js";
import type { BackchannelStep } from "../backchannel-draft.js";

/** CIBA Core §7.1.1: the registered claims a signed authentication request MUST carry. */
const requiredClaims = ["aud", "iss", "exp", "iat", "nbf", "jti"] as const;

/**
 * CIBA Core §7.1.1, after the shared request-object step verified a `request` (signature with the
 * client's keys and `bcRequestSignAlg`, iss, aud naming the issuer, exp, nbf, jti used once):
 * - a client that registered `bcRequestSignAlg` sends signed authentication requests only → invalid_request;
 * - a signed authentication request carries every one of aud, iss, exp, iat, nbf and jti, which the
 *   front-channel rules leave partly optional (`aud`, `iat`, and `nbf` under `nbfOptional`) → invalid_request.
 */
export const requireSignedRequest: BackchannelStep = (draft) => {
  const payloadJson = draft.requestObjectPayload;
  if (payloadJson === null) {
    const alg = draft.client.requestSignAlg;
    if (alg) throw authorizationError("invalid_request", "backchannelSignedRequestRequired", alg);
    return;
  }
  const payload = JSON.parse(payloadJson) as Record<string, unknown>;
  const missing = requiredClaims.find((claim) => payload[claim] === undefined);
  if (missing !== undefined) throw authorizationError("invalid_request", "backchannelSignedRequestClaimMissing", missing);
};
