import type { ServiceKeyAlg } from "../../domain/enums.js";
import type { SigningKeyRecord } from "../../domain/records.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { type RotationResult, rotateSigningKeys } from "./rotate-keys.js";

/**
 * The algorithms whose newest unrevoked key was published `keyRotationInterval` seconds ago or more:
 * those a scheduled rotation renews now. None when the service sets no interval.
 */
export function algorithmsDueForRotation(service: Pick<Service, "keyRotationInterval">, keys: readonly SigningKeyRecord[], now: number): ServiceKeyAlg[] {
  const interval = service.keyRotationInterval;
  if (!interval) return [];
  const newest = new Map<ServiceKeyAlg, number>();
  for (const key of keys) {
    if (key.revokedAt !== null) continue;
    newest.set(key.alg, Math.max(newest.get(key.alg) ?? 0, key.createdAt));
  }
  return [...newest].filter(([, createdAt]) => createdAt + interval * 1000 <= now).map(([alg]) => alg);
}

/**
 * [ext] Scheduled key rotation (`keyRotationInterval`): each algorithm that is due is rotated as
 * /service/keys/rotate does it (publish now, sign after the default activation delay, retire the
 * old key once what it signed has expired). Run by `tessera janitor` on one node; a run when
 * nothing is due changes nothing, so running it often is harmless. Null when nothing was due.
 */
export async function rotateDueKeys(deps: CoreDeps, service: Service): Promise<RotationResult | null> {
  const due = algorithmsDueForRotation(service, await deps.store.listSigningKeys(service.serviceId), deps.now());
  if (due.length === 0) return null;
  const results = [];
  for (const alg of due) results.push(await rotateSigningKeys(deps, service, { alg }));
  return { keys: results.flatMap((result) => result.keys), retiringKeys: results.flatMap((result) => result.retiringKeys) };
}

/** How many services to read per page when looking for due rotations. */
const SERVICES_PER_PAGE = 100;

/** One service's scheduled rotation, as `rotateDueKeysOfEveryService` reports it. */
export interface ScheduledRotation {
  serviceId: number;
  rotation: RotationResult;
}

/**
 * `rotateDueKeys` for every service with a `keyRotationInterval`, page by page. `depsFor` is called
 * only when a service is due, so a run that rotates nothing never needs the master key.
 */
export async function rotateDueKeysOfEveryService(
  store: Pick<CoreDeps["store"], "listServices" | "listSigningKeys">,
  now: number,
  depsFor: () => CoreDeps,
): Promise<ScheduledRotation[]> {
  const rotated: ScheduledRotation[] = [];
  for (let start = 0; ; start += SERVICES_PER_PAGE) {
    const page = await store.listServices(start, start + SERVICES_PER_PAGE);
    for (const service of page.items) {
      if (algorithmsDueForRotation(service, await store.listSigningKeys(service.serviceId), now).length === 0) continue;
      const rotation = await rotateDueKeys(depsFor(), service);
      if (rotation) rotated.push({ serviceId: service.serviceId, rotation });
    }
    if (page.items.length < SERVICES_PER_PAGE || start + SERVICES_PER_PAGE >= page.totalCount) return rotated;
  }
}
