import type { Client } from "../../../domain/client.js";
import { noOutbound, OutboundFailure } from "../../../outbound/ports.js";
import type { CoreDeps } from "../../context.js";
import { authorizationError } from "../authorization-errors.js";

const withoutFragment = (uri: string): string => uri.split("#")[0]!;

/**
 * OIDC Core §6.2, OIDC Registration §2 `request_uris`, RFC 9101 §5.2: a `request_uri` must be one of
 * the client's registered `requestUris`, compared without the fragment (a client may version the
 * document by a fragment, and the fragment is never sent to its server); it is fetched through the
 * outbound module (https to public addresses only, deadline, size cap, no redirects, never cached)
 * and must serve a compact JWT. An unregistered URI is never fetched. Failures: invalid_request_uri.
 */
export async function fetchRequestObject(deps: CoreDeps, client: Client, requestUri: string): Promise<string> {
  const sent = withoutFragment(requestUri);
  if (!(client.requestUris ?? []).some((registered) => withoutFragment(registered) === sent)) {
    throw authorizationError("invalid_request_uri", "authorizationRequestUriUnregistered");
  }
  try {
    return await (deps.outbound ?? noOutbound).getJwt(sent);
  } catch (error) {
    if (!(error instanceof OutboundFailure)) throw error;
    deps.logger.info({ clientId: client.clientId, reason: error.reason, detail: error.message }, "request_uri fetch failed");
    throw authorizationError("invalid_request_uri", "authorizationRequestUriUnavailable", error.publicText);
  }
}
