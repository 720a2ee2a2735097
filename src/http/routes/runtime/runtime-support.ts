import type { Context } from "hono";
import type { Service } from "../../../domain/service.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";

/** The service of the path; an unknown one fails the call with 404 (A002201), as for management calls. */
export async function requireService(c: Context<AppEnv>, serviceId: number): Promise<Service> {
  const service = await c.get("deps").store.getService(serviceId);
  if (!service) throw new ApiError("serviceNotFound", serviceId);
  return service;
}

/** Drops null and undefined members: Authlete's SDK rejects `null` where a field is simply absent. */
export function present<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== null && item !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}
