import { responseTypeWords } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";
import { responseTypeCarries } from "../authorization-request.js";

/**
 * OIDC Core §3.1.2.2 / §3.2.2.1 / §3.3.2.1: an ID token from the authorization endpoint exists only
 * in OpenID Connect, so a response type with `id_token` needs the `openid` scope (catalogue SEC-004);
 * and implicit or hybrid OpenID requests (every type with `id_token`, and `code token` with `openid`)
 * must carry a `nonce` (§3.2.2.1, §3.3.2.11; catalogue SEC-005).
 * The code flow succeeds without nonce. A nonce sent with an OpenID request is kept for the ID token.
 */
export const checkOpenIdRules: FrontChannelStep = (draft) => {
  if (draft.responseType === null) return;
  const carries = responseTypeCarries(draft.responseType);
  const nonce = draft.params.get("nonce") ?? null;
  if (carries.idToken && !draft.openid) {
    throw authorizationError("invalid_request", "authorizationOpenidRequired", responseTypeWords[draft.responseType].join(" "));
  }
  const hybrid = draft.openid && draft.responseType === "CODE_TOKEN";
  if ((carries.idToken || hybrid) && nonce === null) throw authorizationError("invalid_request", "authorizationNonceRequired");
  draft.nonce = draft.openid ? nonce : null;
};
