/**
 * The `htu` comparison of RFC 9449 §4.3 step 9: the proof's `htu` and the request's URL are
 * compared "ignoring any query and fragment parts", after syntax-based and scheme-based
 * normalisation (RFC 3986 §6.2.2 and §6.2.3). What is normalised:
 * - scheme and host to lower case, IDN hosts to their ASCII form, IPv4/IPv6 literals to their
 *   canonical form (WHATWG `URL`);
 * - the default port dropped (`:443` for https, `:80` for http) and an empty path made `/`
 *   (§6.2.3, WHATWG `URL`);
 * - dot segments removed (§6.2.2.3, WHATWG `URL`, which also treats `%2e` as a dot);
 * - percent-encodings: hex digits upper-cased (§6.2.2.1) and octets that encode an unreserved
 *   character decoded (§6.2.2.2), done here since WHATWG `URL` does neither;
 * - query and fragment dropped, and user information too (a proof never names a user).
 * Not normalised, so it counts: the path's case, and a trailing slash (`/token/` is not `/token`).
 * Only http and https URLs with a host are comparable; anything else is null.
 */
export function normaliseHtu(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") return null;
  return `${url.protocol}//${url.host}${normalisePercentEncoding(url.pathname)}`;
}

/** RFC 3986 §2.3 unreserved characters. */
const unreserved = /^[A-Za-z0-9\-._~]$/;

function normalisePercentEncoding(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
    const character = String.fromCharCode(Number.parseInt(hex, 16));
    return unreserved.test(character) ? character : `%${hex.toUpperCase()}`;
  });
}
