import * as oauth from "oauth4webapi";
import type { Stack } from "./stack.js";

/** oauth4webapi's permission to talk plain http: the stack listens on loopback without TLS. */
export const http = { [oauth.allowInsecureRequests]: true } as const;

/** The login server's metadata, as a relying party reads it (OIDC Discovery 1.0). */
export async function discover(stack: Stack): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(stack.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, http));
}
