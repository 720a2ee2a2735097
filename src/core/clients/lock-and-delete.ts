import type { CoreDeps } from "../context.js";
import { CallerError } from "../caller-error.js";
import { findClientByIdentifier } from "./find-managed-client.js";

/** Locks or unlocks a client; runtime calls for a locked client are refused (A001215). */
export async function setClientLock(
  deps: Pick<CoreDeps, "store" | "now">,
  serviceId: number,
  identifier: string,
  locked: boolean,
): Promise<void> {
  const client = await findClientByIdentifier(deps, serviceId, identifier);
  if (!(await deps.store.setClientLocked(serviceId, client.clientId, locked, deps.now()))) {
    throw new CallerError("clientNotFound", identifier);
  }
}

/** Deletes the client with its tickets, codes, grants and tokens. */
export async function deleteClient(deps: Pick<CoreDeps, "store">, serviceId: number, clientId: number): Promise<void> {
  if (!(await deps.store.deleteClient(serviceId, clientId))) throw new CallerError("clientNotFound", clientId);
}
