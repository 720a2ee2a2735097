import type { Scope } from "../../../domain/common.js";
import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";
import { spaceDelimited } from "../../protocol/request-parameters.js";

/**
 * RFC 6749 §3.3: `scope` is a space-delimited, order-insensitive list. Each value must be a scope
 * the service supports, and one the client may request when the client restricts itself
 * (`extension.requestableScopesEnabled`) → otherwise invalid_scope (§4.1.2.1). Without `scope`, the
 * service's `defaultEntry` scopes apply (§3.3 "pre-defined default value"), or invalid_scope when
 * the service sets `scopeRequired`. `openid` makes it an OpenID Connect request (OIDC Core §3.1.2.1).
 */
export const checkScopes: SharedStep = (draft) => {
  const { service, client } = draft;
  const supported = new Map(service.supportedScopes.map((scope) => [scope.name, scope]));
  const extension = client.extension;
  const requestable = extension?.requestableScopesEnabled ? new Set(extension.requestableScopes ?? []) : null;

  const requested = spaceDelimited(draft.params.get("scope"));
  let scopes: Scope[];
  if (requested.length > 0) {
    scopes = requested.map((name) => {
      const scope = supported.get(name);
      if (!scope) throw authorizationError("invalid_scope", "authorizationScopeUnsupported", name);
      if (requestable && !requestable.has(name)) throw authorizationError("invalid_scope", "authorizationScopeNotRequestable", name);
      return scope;
    });
  } else {
    scopes = service.supportedScopes.filter((scope) => scope.defaultEntry && (!requestable || requestable.has(scope.name)));
    if (scopes.length === 0 && service.scopeRequired) throw authorizationError("invalid_scope", "authorizationScopeRequired");
  }
  draft.scopes = scopes;
  draft.openid = scopes.some((scope) => scope.name === "openid");
};
