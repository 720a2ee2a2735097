import { randomNumericId } from "../../crypto/secrets.js";
import type { Service, ServiceSettings } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { generateSigningKeys } from "../keys/generate-keys.js";
import { CallerError } from "../caller-error.js";
import { serviceSettingsProblems } from "./validate-service.js";

/** Registers a service: assigns its numeric id (the serviceId of API paths; `apiKey` on the wire) and creates its signing keys. */
export async function createService(
  deps: Pick<CoreDeps, "store" | "sealer" | "now" | "rateLimitCeilings">,
  settings: ServiceSettings,
): Promise<Service> {
  const problems = serviceSettingsProblems(settings, deps.rateLimitCeilings);
  if (problems.length > 0) throw new CallerError("serviceSettingsInvalid", problems.join("; "));
  const now = deps.now();
  const service: Service = { ...settings, serviceId: randomNumericId(), createdAt: now, modifiedAt: now };
  const keys = await generateSigningKeys({ serviceId: service.serviceId, sealer: deps.sealer, createdAt: now });
  await deps.store.createService(service, keys);
  return service;
}
