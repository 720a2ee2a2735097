import { redirectUriMatches } from "../../clients/redirect-uri-match.js";
import { spaceDelimited } from "../../protocol/request-parameters.js";
import { authorizationError } from "../authorization-errors.js";
import type { FrontChannelStep } from "../front-channel-draft.js";

/**
 * Settles where the response goes, before anything is redirected (RFC 6749 §4.1.2.1: an invalid or
 * unregistered redirect URI is reported to the user, never redirected to; catalogue SEC-019); a sent
 * one must match a registered one as `redirectUriMatches` says (exact, or a native loopback port).
 * Omitted `redirect_uri` is allowed only for plain OAuth with exactly one registered URI (RFC 6749
 * §3.1.2.3); OpenID Connect requires it (OIDC Core §3.1.2.1; catalogue SEC-023). Repeated → §3.1.
 */
export const resolveRedirectUri: FrontChannelStep = (draft) => {
  const { service, client, params } = draft;
  if (params.isDuplicated("redirect_uri")) throw authorizationError("invalid_request", "authorizationParameterDuplicated", "redirect_uri");
  const sent = params.get("redirect_uri");
  if (sent !== undefined) {
    if (!redirectUriMatches(service, client, sent)) throw authorizationError("invalid_request", "authorizationRedirectUriUnregistered");
    draft.redirectUri = sent;
    draft.redirectUriSent = sent;
    return;
  }
  if (spaceDelimited(params.get("scope")).includes("openid")) {
    throw authorizationError("invalid_request", "authorizationRedirectUriRequired", "OpenID Connect requests must send it");
  }
  const only = client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
  if (only === undefined) {
    throw authorizationError("invalid_request", "authorizationRedirectUriRequired", "the client does not have exactly one registered redirect URI");
  }
  draft.redirectUri = only;
};
