import { numericIdPattern } from "../../domain/common.js";
import type { Client } from "../../domain/client.js";
import type { Page } from "../../storage/ports.js";
import type { CoreDeps } from "../context.js";
import { CallerError } from "../caller-error.js";

/** The client of this service with the numeric id, or `clientNotFound` (404). Never looks outside the service. */
export async function findClient(deps: Pick<CoreDeps, "store">, serviceId: number, clientId: number): Promise<Client> {
  const client = await deps.store.getClient(serviceId, clientId);
  if (!client) throw new CallerError("clientNotFound", clientId);
  return client;
}

/**
 * Resolves a `clientIdentifier` path segment of the management API: the numeric `clientId` or the
 * `clientIdAlias`. Locked clients are found too (an admin must be able to unlock them). A numeric
 * alias can only equal its own client's id (enforced on write), so the two forms never clash.
 */
export async function findClientByIdentifier(deps: Pick<CoreDeps, "store">, serviceId: number, identifier: string): Promise<Client> {
  const client = await findClientByIdentifierOrNull(deps, serviceId, identifier);
  if (!client) throw new CallerError("clientNotFound", identifier);
  return client;
}

/** As findClientByIdentifier, for callers that answer an unknown client with nothing found (Authlete's token list and revocation). */
export async function findClientByIdentifierOrNull(deps: Pick<CoreDeps, "store">, serviceId: number, identifier: string): Promise<Client | null> {
  const byNumber = numericIdPattern.test(identifier) ? await deps.store.getClient(serviceId, Number(identifier)) : null;
  return byNumber ?? (await deps.store.getClientByAlias(serviceId, identifier));
}

export async function listClients(
  deps: Pick<CoreDeps, "store">,
  serviceId: number,
  start: number,
  end: number,
  developer?: string,
): Promise<Page<Client>> {
  return deps.store.listClients(serviceId, start, end, developer);
}
