import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { redirectUriMatches } from "../clients/redirect-uri-match.js";
import type { CoreDeps } from "../context.js";
import type { ParsedAuthorizationRequest } from "./authorization-request.js";

/**
 * The client of a parked request as registered now, looked up before /issue or /fail builds any
 * response from the ticket. The registration may have changed since the request was checked: a
 * deleted client, or a redirect URI removed from it (or no longer matching, as a native loopback
 * URI with a varied port once the client is not NATIVE), gets nothing — neither a code nor an error
 * (RFC 6749 §3.1.2.4, RFC 9700 §4.1: responses go only to registered redirect URIs). A request that
 * omitted `redirect_uri` is held to the registered URI it defaulted to.
 * Answers the client, or the result code to refuse with.
 */
export async function registeredRecipient(
  deps: CoreDeps,
  service: Service,
  request: ParsedAuthorizationRequest,
): Promise<Client | "authorizationClientUnknown" | "authorizationRedirectUriWithdrawn"> {
  const client = await deps.store.getClient(service.serviceId, request.clientId);
  if (!client) return "authorizationClientUnknown";
  if (!redirectUriMatches(service, client, request.redirectUri)) return "authorizationRedirectUriWithdrawn";
  return client;
}
