import type { Client } from "../../domain/client.js";
import { findClientByIdentifier } from "../clients/find-managed-client.js";
import type { CoreDeps } from "../context.js";
import { findService } from "../services/find-service.js";
import { oneSubject } from "./subject.js";

/**
 * `/client/authorization/delete/{clientId}`: takes back what a user authorized a client ("disconnect
 * this app"). Every token the user holds at the client is revoked with the grants it came from, in one
 * store write that introspection, userinfo and refresh read at once on every node (this process drops
 * its cached access tokens), and a code or refresh token under those grants yields nothing later.
 * The count is Authlete's: usable access tokens, an access token with its refresh token counting once.
 * The recorded consent (granted scopes) is a separate record that Authlete keeps apart from the tokens;
 * /client/granted_scopes/delete forgets it.
 */

export interface AuthorizationDeleted {
  client: Client;
  /** Usable access tokens (with their refresh tokens) the user held at the client. */
  count: number;
}

export async function deleteClientAuthorization(
  deps: Pick<CoreDeps, "store" | "now">,
  serviceId: number,
  clientIdentifier: string,
  subjects: ReadonlyArray<string | null | undefined>,
): Promise<AuthorizationDeleted> {
  await findService(deps, serviceId);
  const client = await findClientByIdentifier(deps, serviceId, clientIdentifier);
  const subject = oneSubject(subjects, { missing: "clientAuthorizationDeleteSubjectMissing", conflicting: "clientAuthorizationDeleteSubjectConflict" });
  const now = deps.now();
  const { clientId } = client;
  // Counted before: the revocation answers live access and refresh tokens apart, Authlete's message counts pairs.
  const usable = await deps.store.listAccessTokens(serviceId, { clientId, subject, tokenStatus: "VALID", now }, 0, 0);
  await deps.store.revokeTokens(serviceId, { kind: "holder", clientId, subject }, now);
  return { client, count: usable.totalCount };
}
