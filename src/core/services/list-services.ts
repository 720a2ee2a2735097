import type { Service } from "../../domain/service.js";
import type { Page } from "../../storage/ports.js";
import type { CoreDeps } from "../context.js";

/**
 * Lists services from `start` (inclusive) to `end` (exclusive). An admin sees every service; a
 * service token sees only its own service (`onlyServiceId`), never the others' ids.
 */
export async function listServices(
  deps: Pick<CoreDeps, "store">,
  start: number,
  end: number,
  onlyServiceId?: number,
): Promise<Page<Service>> {
  if (onlyServiceId === undefined) return deps.store.listServices(start, end);
  const own = await deps.store.getService(onlyServiceId);
  const all = own ? [own] : [];
  return { items: all.slice(start, end), totalCount: all.length };
}
