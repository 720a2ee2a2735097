import { numericIdPattern } from "../../domain/common.js";
import type { Client } from "../../domain/client.js";
import type { ClientReads } from "../../storage/ports.js";
import { CallerError } from "../caller-error.js";

/** The client is known but an admin locked it: the whole API call fails with 403 (A001215), as in Authlete. */
export class ClientLockedError extends CallerError {
  override readonly name = "ClientLockedError";
  constructor(readonly client: Client) {
    super("clientLocked", client.clientIdAlias);
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
export async function findClientByClientId(store: ClientReads, serviceId: number, clientId: string): Promise<FoundClient | null> {
  let client = await store.getClientByAlias(serviceId, clientId);
  if (!client && numericIdPattern.test(clientId)) client = await store.getClient(serviceId, Number(clientId));
  if (!client) return null;
  if (client.locked) throw new ClientLockedError(client);
  return { client, clientIdAliasUsed: clientId !== String(client.clientId) };
}
