import { isIP } from "node:net";
import { type AddressPolicy, isAllowedAddress } from "./address-guard.js";
import { OutboundFailure } from "./ports.js";

/**
 * The checks an outbound URL passes before any socket opens: https (http too only when loopback
 * targets are allowed, for development), no userinfo, and a literal IP host must be an allowed
 * address — Node connects to a literal without calling the `lookup` that guards resolved names.
 * WHATWG URL parsing has already turned `127.1`, `0x7f000001`, `2130706433` and
 * `[::ffff:127.0.0.1]` into their canonical forms.
 */
export function checkTargetUrl(value: string, policy: AddressPolicy): URL {
  if (!URL.canParse(value)) throw new OutboundFailure("forbidden-target", `not a URL: ${value}`);
  const url = new URL(value);
  const schemeAllowed = url.protocol === "https:" || (url.protocol === "http:" && policy.allowLoopback);
  if (!schemeAllowed) throw new OutboundFailure("forbidden-target", `scheme ${url.protocol} is not allowed`);
  if (url.username !== "" || url.password !== "") throw new OutboundFailure("forbidden-target", "the URL carries credentials");
  const host = literalHost(url);
  if (host !== null && !isAllowedAddress(host, policy)) throw new OutboundFailure("forbidden-target", `address ${host} is not allowed`);
  return url;
}

/** The IP address a URL names directly (brackets of IPv6 removed), or null for a DNS name. */
function literalHost(url: URL): string | null {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  // A trailing dot ("127.0.0.1.") is still a literal to the WHATWG parser, which drops it.
  return isIP(host) !== 0 ? host : null;
}
