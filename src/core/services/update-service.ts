import { type Service, ServiceSettings, type ServiceSettingsInput } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { decryptionKeyAlgorithms, provisionSigningKeys, serviceKeyAlgorithms } from "../keys/provision-keys.js";
import { describeSettingProblems } from "./describe-setting-problems.js";
import { findService } from "./find-service.js";
import { refuseUntrustworthyRoots } from "../mtls/mtls-registration.js";
import { refuseUnsupportedServiceSettings, refuseWeakUserCodes, serviceSettingsProblems } from "./validate-service.js";

/** The admin-writable part of a stored service. */
export function settingsOfService(service: Service): ServiceSettings {
  const { serviceId: _serviceId, createdAt: _createdAt, modifiedAt: _modifiedAt, ...settings } = service;
  return settings;
}

/**
 * Updates a service by merging: fields present in `changes` replace the stored ones (null clears an
 * optional field), absent fields keep their values. The merged whole is validated again, so an
 * update can never leave a service in a state `create` would refuse. A new `accessTokenSignAlg`
 * gets its key before the service is stored, so the key is published before it signs.
 */
export async function updateService(
  deps: Pick<CoreDeps, "store" | "sealer" | "now" | "rateLimitCeilings">,
  serviceId: number,
  changes: Partial<ServiceSettingsInput>,
): Promise<Service> {
  const current = await findService(deps, serviceId);
  const parsed = ServiceSettings.safeParse({ ...settingsOfService(current), ...changes });
  if (!parsed.success) throw new CallerError("serviceSettingsInvalid", describeSettingProblems(parsed.error));
  refuseUnsupportedServiceSettings(parsed.data);
  refuseWeakUserCodes(parsed.data);
  refuseUntrustworthyRoots(parsed.data);
  const problems = serviceSettingsProblems(parsed.data, deps.rateLimitCeilings);
  if (problems.length > 0) throw new CallerError("serviceSettingsInvalid", problems.join("; "));
  await provisionSigningKeys(deps, serviceId, [...serviceKeyAlgorithms([parsed.data.accessTokenSignAlg]), ...decryptionKeyAlgorithms(parsed.data)]);
  const updated: Service = { ...parsed.data, serviceId: current.serviceId, createdAt: current.createdAt, modifiedAt: deps.now() };
  if (!(await deps.store.updateService(updated))) throw new CallerError("serviceNotFound", serviceId);
  return updated;
}
