import { randomNumericId } from "../../crypto/secrets.js";
import type { Service, ServiceSettings } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { generateSigningKeys, initialAlgorithms } from "../keys/generate-keys.js";
import { decryptionKeyAlgorithms, serviceKeyAlgorithms } from "../keys/provision-keys.js";
import { refuseUntrustworthyRoots } from "../mtls/mtls-registration.js";
import { refuseUnsupportedServiceSettings, refuseWeakUserCodes, serviceSettingsProblems } from "./validate-service.js";

/**
 * Registers a service: assigns its numeric id (the serviceId of API paths; `apiKey` on the wire) and creates its
 * signing keys: the initial ones and, when it signs access tokens with another algorithm, that one's.
 */
export async function createService(
  deps: Pick<CoreDeps, "store" | "sealer" | "now" | "rateLimitCeilings">,
  settings: ServiceSettings,
): Promise<Service> {
  refuseUnsupportedServiceSettings(settings);
  refuseWeakUserCodes(settings);
  refuseUntrustworthyRoots(settings);
  const problems = serviceSettingsProblems(settings, deps.rateLimitCeilings);
  if (problems.length > 0) throw new CallerError("serviceSettingsInvalid", problems.join("; "));
  const now = deps.now();
  const service: Service = { ...settings, serviceId: randomNumericId(), createdAt: now, modifiedAt: now };
  const algs = [...new Set([...initialAlgorithms, ...serviceKeyAlgorithms([settings.accessTokenSignAlg]), ...decryptionKeyAlgorithms(settings)])];
  const keys = await generateSigningKeys(algs, { serviceId: service.serviceId, sealer: deps.sealer, createdAt: now });
  await deps.store.createService(service, keys);
  return service;
}
