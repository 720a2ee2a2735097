import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { CallerError } from "../caller-error.js";

/** The service, or `serviceNotFound` (404). */
export async function findService(deps: Pick<CoreDeps, "store">, serviceId: number): Promise<Service> {
  const service = await deps.store.getService(serviceId);
  if (!service) throw new CallerError("serviceNotFound", serviceId);
  return service;
}

/** Number of clients of the service (Authlete reports it as `metadata.clientCount`); one indexed count query. */
export async function countClients(deps: Pick<CoreDeps, "store">, serviceId: number): Promise<number> {
  return (await deps.store.listClients(serviceId, 0, 0)).totalCount;
}
