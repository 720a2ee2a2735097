import { numericIdPattern } from "../../domain/common.js";
import type { Client } from "../../domain/client.js";
import type { Store } from "../../storage/ports.js";

/** The client is known but an admin locked it; the HTTP layer answers 403 (Authlete A001215). */
export class ClientLockedError extends Error {
  override readonly name = "ClientLockedError";
  constructor(readonly client: Client) {
    super(`client ${client.clientId} is locked`);
  }
}

export interface FoundClient {
  client: Client;
  /** True when the caller named the client by an alias that differs from its numeric id (Authlete's `clientIdAliasUsed`). */
  clientIdAliasUsed: boolean;
}

/**
 * Resolves an OAuth `client_id` as relying parties send it: first as a `clientIdAlias`, then as the
 * numeric `clientId` (Authlete accepts both). Null when no client of the service matches; throws
 * `ClientLockedError` for a locked client so no endpoint serves it by accident.
 */
export async function findClientByClientId(store: Store, serviceId: number, clientId: string): Promise<FoundClient | null> {
  let client = await store.getClientByAlias(serviceId, clientId);
  if (!client && numericIdPattern.test(clientId)) client = await store.getClient(serviceId, Number(clientId));
  if (!client) return null;
  if (client.locked) throw new ClientLockedError(client);
  return { client, clientIdAliasUsed: clientId !== String(client.clientId) };
}
