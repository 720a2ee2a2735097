import type { CoreDeps } from "../context.js";
import { CallerError } from "../caller-error.js";

/** Deletes the service with its clients, keys, API tokens and every artefact issued under it. */
export async function deleteService(deps: Pick<CoreDeps, "store">, serviceId: number): Promise<void> {
  if (!(await deps.store.deleteService(serviceId))) throw new CallerError("serviceNotFound", serviceId);
}
