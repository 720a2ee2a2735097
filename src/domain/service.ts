import { z } from "zod";
import { defaultsOf, shapeOf } from "./field-support.js";
import { serviceDurationDefaults, serviceSettingFields } from "./service-fields.js";

/**
 * Settings of a service (tenant) that an admin writes; identifiers and timestamps are added by Tessera.
 * Built from the field table of service-fields.ts, which classifies every field of Authlete's `Service`.
 */
export const ServiceSettings = z.object(shapeOf(serviceSettingFields));
export type ServiceSettings = z.infer<typeof ServiceSettings>;
export type ServiceSettingsInput = z.input<typeof ServiceSettings>;

/** Defaults of the settings, which a service stored before a field existed takes on when read. */
export const serviceSettingDefaults = defaultsOf(serviceSettingFields) as Partial<ServiceSettings>;

/**
 * A stored service: its settings plus what Tessera assigns. `serviceId` is the id of API paths;
 * Authlete's wire format calls it `apiKey`, and only src/http uses that name.
 */
export interface Service extends ServiceSettings {
  serviceId: number;
  createdAt: number;
  modifiedAt: number;
}

/** The lifetime in seconds a duration setting stands for: 0 (Authlete's "not set") means Tessera's default. */
export function effectiveDuration<F extends keyof typeof serviceDurationDefaults>(service: Pick<Service, F>, field: F): number {
  return service[field] > 0 ? service[field] : serviceDurationDefaults[field];
}
