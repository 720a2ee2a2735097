/**
 * Rules for the web URLs of a service that relying parties and browsers follow (the issuer, the
 * endpoints and pages published in discovery):
 * - only the characters RFC 3986 §2 allows in a URI, with well-formed percent-encodings: no
 *   whitespace, control characters, quotes or angle brackets that could break out of a header,
 *   an HTML attribute or a log line;
 * - https, or http on a loopback host for local development;
 * - no userinfo (`user:pw@host`), which would publish a credential and invites phishing look-alikes
 *   (RFC 3986 §3.2.1, §7.6);
 * - no fragment (RFC 6749 §3.1, RFC 8414 §2); the issuer has no query either (RFC 8414 §2, OIDC Discovery §3).
 */

/** Hosts on which http is accepted instead of https, for local development (service URLs, client URLs, redirect URIs). */
export const loopbackHosts: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);
const uriCharacters = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const badPercentEncoding = /%(?![0-9A-Fa-f]{2})/;

export interface WebUrlRules {
  /** The issuer: no query component. */
  queryForbidden?: boolean;
}

/** https, or http on a loopback host. */
export function isHttpsOrLoopbackHttp(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && loopbackHosts.has(url.hostname));
}

/** The first rule `value` breaks, as a phrase to follow the field name; null when it is acceptable. */
export function webUrlProblem(value: string, rules: WebUrlRules = {}): string | null {
  if (!uriCharacters.test(value) || badPercentEncoding.test(value)) {
    return "must contain only URI characters (RFC 3986): no spaces, control characters, quotes or angle brackets";
  }
  if (!URL.canParse(value)) return "must be an absolute URL";
  const url = new URL(value);
  if (!isHttpsOrLoopbackHttp(url)) {
    return "must use https (http only for localhost, 127.0.0.1 or [::1])";
  }
  if (url.username !== "" || url.password !== "" || url.host === "" || value.slice(url.protocol.length + 2).split("/")[0]!.includes("@")) {
    return "must not contain user information (user:password@)";
  }
  if (value.includes("#")) return "must not contain a fragment";
  if (rules.queryForbidden && value.includes("?")) return "must not contain a query component";
  return null;
}
