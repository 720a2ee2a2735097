import type { CoreDeps } from "../context.js";
import { ManagementError } from "./management-error.js";

/** Deletes the service with its clients, keys, API tokens and every artefact issued under it. */
export async function deleteService(deps: Pick<CoreDeps, "store">, serviceId: number): Promise<void> {
  if (!(await deps.store.deleteService(serviceId))) throw new ManagementError("serviceNotFound", serviceId);
}
