import type { Client } from "../../domain/client.js";
import type { CoreDeps } from "../context.js";
import { findClientByIdentifier } from "./find-managed-client.js";
import { updateClient } from "./update-client.js";

/**
 * The scopes the client may request, as the authorization and token endpoints read them: its
 * `extension.requestableScopes` while `requestableScopesEnabled` (no list: none), else null, which
 * means every scope the service supports (Authlete's "Requestable Scopes per Client").
 */
export function requestableScopesOf(client: Client): string[] | null {
  return client.extension?.requestableScopesEnabled ? (client.extension.requestableScopes ?? []) : null;
}

/** `client/extension/requestable_scopes/get`: the client named by its number or alias. */
export async function getRequestableScopes(deps: Pick<CoreDeps, "store">, serviceId: number, identifier: string): Promise<string[] | null> {
  return requestableScopesOf(await findClientByIdentifier(deps, serviceId, identifier));
}

/**
 * `client/extension/requestable_scopes/update` and `/delete`: a list turns the feature on with
 * exactly that list, null turns it off and drops the list. The change goes through client/update,
 * so the same rules hold, the other extension fields stay, and cached copies of the client are dropped.
 */
export async function setRequestableScopes(
  deps: Pick<CoreDeps, "store" | "sealer" | "now" | "outbound" | "logger">,
  serviceId: number,
  identifier: string,
  scopes: string[] | null,
): Promise<string[] | null> {
  const client = await findClientByIdentifier(deps, serviceId, identifier);
  const { requestableScopes: _replaced, ...kept } = client.extension ?? { requestableScopesEnabled: false };
  const extension = scopes === null ? { ...kept, requestableScopesEnabled: false } : { ...kept, requestableScopesEnabled: true, requestableScopes: scopes };
  const updated = await updateClient(deps, serviceId, client.clientId, { extension });
  return requestableScopesOf(updated.client);
}
