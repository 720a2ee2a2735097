import type { ServiceWrites } from "../../ports.js";
import { params, serviceSettingsJson } from "../../rows.js";
import type { WriteUnits } from "./write-unit.js";

export const serviceWriteUnits = {
  createService(statements, service, keys) {
    statements.run("insertService", service.serviceId, service.issuer, serviceSettingsJson(service), service.createdAt, service.modifiedAt);
    for (const key of keys) statements.run("insertSigningKey", ...params.signingKey(key));
  },

  updateService(statements, service) {
    return statements.run("updateService", service.issuer, serviceSettingsJson(service), service.modifiedAt, service.serviceId) > 0;
  },

  deleteService(statements, serviceId) {
    return statements.run("deleteService", serviceId) > 0;
  },
} satisfies WriteUnits<keyof ServiceWrites>;
