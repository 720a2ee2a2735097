import type { Client } from "../../../domain/client.js";
import type { Service } from "../../../domain/service.js";
import type { GrantTypeTraits } from "./grant-type-module.js";

/**
 * Whether the tokens minted for a grant type come with a refresh token, by its `refreshTokens`
 * trait: a grant type that `renews` always does; a `when-refresh-token-enabled` one only when both
 * the service and the client have the REFRESH_TOKEN grant type; `never` never does.
 */
export function comesWithRefreshToken(grantType: GrantTypeTraits, service: Service, client: Client): boolean {
  switch (grantType.refreshTokens) {
    case "renews":
      return true;
    case "never":
      return false;
    case "when-refresh-token-enabled":
      return service.supportedGrantTypes.includes("REFRESH_TOKEN") && client.grantTypes.includes("REFRESH_TOKEN");
  }
}
