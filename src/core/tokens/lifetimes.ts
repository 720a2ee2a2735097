import type { Client } from "../../domain/client.js";
import { effectiveDuration, type Service } from "../../domain/service.js";

/**
 * Token lifetimes in seconds. The service sets the default (0 there: Tessera's default); a client's `extension.*Duration`
 * only shortens it (when > 0); a per-request override from the login server (> 0) replaces it,
 * as Authlete's `accessTokenDuration` / `refreshTokenDuration` request parameters do.
 */
function pick(serviceDuration: number, clientDuration: number | null | undefined, override: number | null | undefined): number {
  if (override && override > 0) return override;
  if (clientDuration && clientDuration > 0 && clientDuration < serviceDuration) return clientDuration;
  return serviceDuration;
}

export function accessTokenLifetime(service: Service, client: Client, override?: number | null): number {
  return pick(effectiveDuration(service, "accessTokenDuration"), client.extension?.accessTokenDuration, override);
}

export function refreshTokenLifetime(service: Service, client: Client, override?: number | null): number {
  return pick(effectiveDuration(service, "refreshTokenDuration"), client.extension?.refreshTokenDuration, override);
}

export function idTokenLifetime(service: Service, client: Client): number {
  return pick(effectiveDuration(service, "idTokenDuration"), client.extension?.idTokenDuration, null);
}
