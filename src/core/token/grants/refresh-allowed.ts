import type { Client } from "../../../domain/client.js";
import type { Service } from "../../../domain/service.js";

/** A refresh token is issued only when both the service and the client have the refresh_token grant. */
export function refreshTokenAllowed(service: Service, client: Client): boolean {
  return service.supportedGrantTypes.includes("REFRESH_TOKEN") && client.grantTypes.includes("REFRESH_TOKEN");
}
