import type { Context } from "hono";
import type { Service } from "../../../domain/service.js";
import { resultBody } from "../../../core/result-codes.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { requestIdOf } from "../../request-id.js";

/** The service of the path; an unknown one fails the call with 404 (A002201), as for management calls. */
export async function requireService(c: Context<AppEnv>, serviceId: number): Promise<Service> {
  const service = await c.get("deps").store.getService(serviceId);
  if (!service) throw new ApiError("serviceNotFound", serviceId);
  return service;
}

/** Drops null and undefined members: Authlete's SDK rejects `null` where a field is simply absent. */
export function present<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], null> } {
  // A plain loop: this runs on every runtime answer, and entries/filter/fromEntries allocate three arrays per call.
  const defined: Record<string, unknown> = {};
  for (const key in value) {
    const item = value[key];
    if (item !== null && item !== undefined) defined[key] = item;
  }
  return defined as { [K in keyof T]?: Exclude<T[K], null> };
}

/**
 * Tessera's own failure (a store, a signature) in an operation that answers it inside the protocol,
 * as Authlete answers its own: logged with the request id, answered as `action` with A001101.
 */
export function ownFailure<A extends string>(c: Context<AppEnv>, serviceId: number, error: unknown, what: string, action: A) {
  const requestId = requestIdOf(c);
  c.get("deps").logger.error({ err: error, requestId, serviceId }, what);
  return { ...resultBody("internalError", requestId), action };
}
