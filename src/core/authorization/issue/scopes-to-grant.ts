import type { Client } from "../../../domain/client.js";
import type { Service } from "../../../domain/service.js";
import { CallerError } from "../../caller-error.js";
import { stillGrantable } from "../../token/scope-policy.js";

/**
 * The scopes a login server's approval grants: the request's, or its replacement (a non-empty
 * `scopes`, as Authlete reads it, so an empty list keeps the request's). A replacement may widen the
 * request, as Authlete's does, but only to scopes the service supports and the client may request
 * now (RFC 6749 §3.3), and never adds `openid` (that would turn an OAuth request into OpenID Connect
 * after the fact). Shared by /auth/authorization/issue and the decoupled flows' /complete.
 */
export function scopesToGrant(service: Service, client: Client, requested: readonly string[], replacement: readonly string[] | null | undefined): string[] {
  const scopes = replacement && replacement.length > 0 ? [...new Set(replacement)] : [...requested];
  if (!requested.includes("openid") && scopes.includes("openid")) throw new CallerError("authorizationIssueOpenidAdded");
  const supported = new Set(service.supportedScopes.map((scope) => scope.name));
  const unsupported = scopes.find((scope) => !supported.has(scope));
  if (unsupported !== undefined) throw new CallerError("authorizationIssueScopeUnsupported", unsupported);
  const grantable = stillGrantable(service, client);
  const notRequestable = scopes.find((scope) => !grantable(scope));
  if (notRequestable !== undefined) throw new CallerError("authorizationIssueScopeNotRequestable", notRequestable);
  return scopes;
}
