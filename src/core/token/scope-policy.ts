import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { OAuthError } from "../oauth-error.js";

/**
 * Scopes granted at the token endpoint when no user consent is involved (RFC 6749 §3.3):
 * - each requested scope must be one of the service's `supportedScopes`, and one of the client's
 *   `requestableScopes` when the client restricts them → otherwise invalid_scope;
 * - without `scope`, the service's scopes marked `defaultEntry` (filtered by the client's restriction);
 * - `scopeRequired`: the result may not be empty → invalid_scope.
 * `withoutUser` drops `openid` from the defaults (client credentials: there is no one to identify).
 */
export function grantableScopes(service: Service, client: Client, requested: string[] | null, withoutUser = false): string[] {
  const allowed = stillGrantable(service, client);

  let scopes: string[];
  if (requested) {
    const refused = requested.filter((name) => !allowed(name));
    if (refused.length > 0) {
      throw new OAuthError("invalid_scope", `The scope ${refused.join(" ")} is not available to this client.`, "tokenScopeInvalid");
    }
    scopes = requested;
  } else {
    scopes = service.supportedScopes.filter((scope) => scope.defaultEntry && allowed(scope.name) && !(withoutUser && scope.name === "openid")).map((scope) => scope.name);
  }
  if (service.scopeRequired && scopes.length === 0) {
    throw new OAuthError("invalid_scope", "The request must contain a scope.", "tokenScopeInvalid");
  }
  return scopes;
}

/**
 * Whether a scope is still allowed now: supported by the service and, when the client restricts its
 * scopes, requestable by it. A refresh narrows an old grant to this (SEC-071), so taking a scope
 * away from a client also takes it out of the tokens it refreshes.
 */
export function stillGrantable(service: Service, client: Client): (scope: string) => boolean {
  const supported = new Set(service.supportedScopes.map((scope) => scope.name));
  const restricted = client.extension?.requestableScopesEnabled ? new Set(client.extension.requestableScopes ?? []) : null;
  return (name) => supported.has(name) && (!restricted || restricted.has(name));
}
