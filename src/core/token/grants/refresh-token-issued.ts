import type { Client } from "../../../domain/client.js";
import type { Service } from "../../../domain/service.js";
import type { GrantTraits } from "./grant-module.js";

/**
 * Whether the tokens a grant issues come with a refresh token, by its `refreshTokens` trait: a grant
 * that `renews` always does; a `with-refresh-grant` one only when both the service and the client
 * have the refresh_token grant; `never` never does.
 */
export function refreshTokenIssued(grant: GrantTraits, service: Service, client: Client): boolean {
  switch (grant.refreshTokens) {
    case "renews":
      return true;
    case "never":
      return false;
    case "with-refresh-grant":
      return service.supportedGrantTypes.includes("REFRESH_TOKEN") && client.grantTypes.includes("REFRESH_TOKEN");
  }
}
