import type { ResultCodeName } from "../result-codes.js";
import type { TokenOutcome } from "../token/token-outcome.js";

/** What a NATIVE_SSO answer of /auth/token tells the login server besides the tokens (Authlete's fields). */
export interface NativeSsoDetails {
  /** The login session of the tokens: the login server checks it is still alive before calling /nativesso. */
  sessionId: string;
  /** The device secret the client sent (`device_secret`, or a token exchange's actor_token), if any. */
  deviceSecret?: string;
  /** A token exchange's: the `ds_hash` of the presented ID token. */
  deviceSecretHash?: string;
}

/**
 * An issued outcome turned into NATIVE_SSO: the tokens are written, but the token response is the
 * login server's to finish with /nativesso (which adds the ID token and the device secret), so
 * there is no responseContent to relay.
 */
export function nativeSsoOutcome(issued: TokenOutcome, details: NativeSsoDetails, resultCode: ResultCodeName): TokenOutcome {
  return { ...issued, action: "NATIVE_SSO", responseContent: null, resultCode, nativeSso: details };
}
