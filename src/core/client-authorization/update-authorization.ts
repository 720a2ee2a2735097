import type { Client } from "../../domain/client.js";
import { findClientByIdentifier } from "../clients/find-managed-client.js";
import type { CoreDeps } from "../context.js";
import { findService } from "../services/find-service.js";
import { requireGrantableScopes } from "../token-management/grantable-scopes.js";
import { oneSubject } from "./subject.js";

/**
 * `/client/authorization/update/{clientId}`: gives every usable token a user holds at a client new
 * scopes, in one store write: the access tokens, the refresh tokens (so a refresh cannot bring back
 * what the update took away) and the grants they come from. The scopes are held to what the service
 * supports and the client may request now; beyond that the call is refused (A138203, A138204), never
 * granted, as /auth/token/update does. No scopes (absent or null, as Authlete's request allows)
 * changes nothing. The recorded consent (granted scopes) stays: it is what the user agreed to, not
 * what the tokens hold.
 */

export interface AuthorizationUpdateInput {
  /** The body's subject: Authlete's update names it nowhere else. */
  subject: string | null;
  /** Null: no new scopes. */
  scopes: string[] | null;
}

export interface AuthorizationUpdated {
  client: Client;
  /** How many access tokens got the new scopes. */
  count: number;
}

export async function updateClientAuthorization(
  deps: Pick<CoreDeps, "store" | "now">,
  serviceId: number,
  clientIdentifier: string,
  input: AuthorizationUpdateInput,
): Promise<AuthorizationUpdated> {
  const service = await findService(deps, serviceId);
  const client = await findClientByIdentifier(deps, serviceId, clientIdentifier);
  // One place only, so nothing to conflict with.
  const missing = "clientAuthorizationUpdateSubjectMissing";
  const subject = oneSubject([input.subject], { missing, conflicting: missing });
  if (input.scopes === null) return { client, count: 0 };
  const scopes = requireGrantableScopes(service, client, input.scopes, {
    unsupported: "clientAuthorizationUpdateScopeUnsupported",
    notRequestable: "clientAuthorizationUpdateScopeNotRequestable",
  });
  const count = await deps.store.updateScopesOfHolder(serviceId, client.clientId, subject, scopes, deps.now());
  return { client, count };
}
