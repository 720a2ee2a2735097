/**
 * Rules for a registered redirect URI (also used for post-logout redirect URIs):
 * - RFC 6749 §3.1.2: absolute URI, no fragment component (even an empty `#`).
 * - RFC 9700 §2.1 / §4.1.3: compared exactly, so no wildcards or patterns are stored.
 * - RFC 9700 §4.1.1 and SEC-028: never a script or local scheme (`javascript:`, `data:`, `vbscript:`, `file:`), any letter case.
 * - OIDC Registration §2 (`redirect_uris`): web clients use https; web clients of the implicit or hybrid flow
 *   use https and never `localhost` (or a loopback address); http is accepted for web clients only on loopback hosts
 *   for local development.
 * - RFC 8252 §7: native clients use a private-use scheme in reverse-DNS form (§7.1), a loopback
 *   `http` URI (§7.3) or a claimed `https` URI (§7.2).
 * - Printable ASCII only, so byte-for-byte comparison at the authorization endpoint is unambiguous.
 * - An explicit port is 1–65535 in plain decimal (RFC 3986 §3.2.3, RFC 6335 §6): port 0 is no port
 *   one can listen for, and `:08080` would be a second spelling of `:8080`.
 */

import { loopbackHosts } from "../../domain/web-url.js";

export interface RedirectContext {
  native: boolean;
  /** The client receives tokens in the front channel (implicit or hybrid response types). */
  frontChannelTokens: boolean;
}

const forbiddenSchemes = new Set(["javascript:", "data:", "vbscript:", "file:"]);

/** A port as Tessera accepts it, registered or varied at a loopback redirect: 1–65535, decimal, no sign, no leading zero. */
export function isValidPort(text: string): boolean {
  return /^[1-9][0-9]{0,4}$/.test(text) && Number(text) <= 65_535;
}

/** The port exactly as written in the URI's authority (`""` for `host:`), null when the URI has no authority or no port. */
function writtenPort(value: string): string | null {
  const authority = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(value)?.[1];
  if (authority === undefined) return null;
  const hostAndPort = authority.slice(authority.lastIndexOf("@") + 1);
  return /^(?:\[[^\]]*\]|[^:[\]]*):(.*)$/.exec(hostAndPort)?.[1] ?? null;
}

/** Problems with one URI, empty when it is acceptable. */
export function redirectUriProblems(value: string, context: RedirectContext): string[] {
  if (!/^[\x21-\x7E]+$/.test(value)) return ["must be printable ASCII without spaces"];
  if (value.includes("*")) return ["must not contain a wildcard (*); register each URI exactly"];
  if (value.includes("#")) return ["must not contain a fragment"];
  // Before parsing: the URL parser refuses some bad ports and silently rewrites others.
  const port = writtenPort(value);
  if (port !== null && !isValidPort(port)) return ["must have a port from 1 to 65535 without leading zeros, or no port"];
  if (!URL.canParse(value)) return ["must be an absolute URI"];
  const url = new URL(value);
  if (forbiddenSchemes.has(url.protocol)) return [`must not use the ${url.protocol} scheme`];
  if (url.username !== "" || url.password !== "") return ["must not contain user credentials"];

  const problems: string[] = [];
  const loopback = loopbackHosts.has(url.hostname);
  if (url.protocol === "https:") {
    if (context.frontChannelTokens && !context.native && loopback) {
      problems.push("must not use a loopback host for a web client of the implicit or hybrid flow");
    }
  } else if (url.protocol === "http:") {
    if (!loopback) problems.push("must use https (http is allowed only for 127.0.0.1, [::1] or localhost)");
    else if (context.frontChannelTokens && !context.native) {
      problems.push("must use https and not a loopback host for a web client of the implicit or hybrid flow");
    }
  } else if (!context.native) {
    problems.push(`must use https; the custom scheme ${url.protocol} is allowed only for NATIVE clients`);
  } else if (!url.protocol.slice(0, -1).includes(".")) {
    problems.push(`must use a reverse-DNS custom scheme such as com.example.app: (RFC 8252 §7.1), not ${url.protocol}`);
  }
  return problems;
}
