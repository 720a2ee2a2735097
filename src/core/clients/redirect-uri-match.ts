import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { isValidPort } from "./redirect-uri-rules.js";

/** `http://127.0.0.1[:port]…` or `http://[::1][:port]…` split around the port (RFC 8252 §7.3). */
const loopback = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::([^/?#]*))?([/?].*)?$/;

/** The loopback URI with its port taken out; null when it is not a loopback URI or its port is no valid port. */
function withoutLoopbackPort(uri: string): string | null {
  const match = loopback.exec(uri);
  if (!match) return null;
  const [, host, port, rest] = match;
  if (port !== undefined && !isValidPort(port)) return null;
  return `http://${host}${rest ?? ""}`;
}

/**
 * Whether `uri` is one of the client's registered redirect URIs now.
 * RFC 9700 §4.1.3 / §2.1: simple string comparison (no case folding, no normalisation, no prefix
 * match; catalogue SEC-019, SEC-021). RFC 8252 §7.3: native clients using a loopback IP redirect
 * may vary only the port, and the varied port must be a port (1–65535), unless the service turns
 * that off (`loopbackRedirectionUriVariable`, as Authlete names it).
 */
export function redirectUriMatches(service: Pick<Service, "loopbackRedirectionUriVariable">, client: Client, uri: string): boolean {
  if (client.redirectUris.includes(uri)) return true;
  if (client.applicationType !== "NATIVE" || !service.loopbackRedirectionUriVariable) return false;
  const base = withoutLoopbackPort(uri);
  if (base === null) return false;
  return client.redirectUris.some((registered) => withoutLoopbackPort(registered) === base);
}
