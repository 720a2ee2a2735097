import type { Client } from "../../../domain/client.js";
import { authorizationError } from "../authorization-errors.js";
import { type RequestParameters, spaceDelimited } from "../../protocol/request-parameters.js";

/** `http://127.0.0.1[:port]…` or `http://[::1][:port]…` split around the port (RFC 8252 §7.3). */
const loopback = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::[0-9]{1,5})?([/?].*)?$/;

function withoutLoopbackPort(uri: string): string | null {
  const match = loopback.exec(uri);
  return match ? `http://${match[1]}${match[2] ?? ""}` : null;
}

/**
 * RFC 9700 §4.1.3 / §2.1: the redirect URI must equal a registered one by simple string comparison
 * (no case folding, no normalisation, no prefix match; catalogue SEC-019, SEC-021).
 * RFC 8252 §7.3: native clients using a loopback IP redirect may vary only the port.
 */
export function redirectUriMatches(client: Client, sent: string): boolean {
  if (client.redirectUris.includes(sent)) return true;
  if (client.applicationType !== "NATIVE") return false;
  const sentBase = withoutLoopbackPort(sent);
  if (sentBase === null) return false;
  return client.redirectUris.some((registered) => withoutLoopbackPort(registered) === sentBase);
}

/**
 * Settles where the response goes, before anything is redirected (RFC 6749 §4.1.2.1: an invalid or
 * unregistered redirect URI is reported to the user, never redirected to; catalogue SEC-019).
 * Omitted `redirect_uri` is allowed only for plain OAuth with exactly one registered URI (RFC 6749
 * §3.1.2.3); OpenID Connect requires it (OIDC Core §3.1.2.1; catalogue SEC-023). Repeated → §3.1.
 */
export function resolveRedirectUri(client: Client, params: RequestParameters): { redirectUri: string; redirectUriSent: string | null } {
  if (params.isDuplicated("redirect_uri")) throw authorizationError("invalid_request", "authorizationParameterDuplicated", "redirect_uri");
  const sent = params.get("redirect_uri");
  if (sent !== undefined) {
    if (!redirectUriMatches(client, sent)) throw authorizationError("invalid_request", "authorizationRedirectUriUnregistered");
    return { redirectUri: sent, redirectUriSent: sent };
  }
  if (spaceDelimited(params.get("scope")).includes("openid")) {
    throw authorizationError("invalid_request", "authorizationRedirectUriRequired", "OpenID Connect requests must send it");
  }
  const only = client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
  if (only === undefined) {
    throw authorizationError("invalid_request", "authorizationRedirectUriRequired", "the client does not have exactly one registered redirect URI");
  }
  return { redirectUri: only, redirectUriSent: null };
}
