import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import type { ResultCodeName } from "../result-codes.js";
import { stillGrantable } from "../token/scope-policy.js";

/**
 * Scopes an administrator gives a token outside a flow (/auth/token/create, /update): only scopes
 * the service supports and the client may request now. A scope beyond that is refused, never dropped
 * nor granted, so the caller learns which one and the token never holds more than a flow could give.
 */
export function requireGrantableScopes(
  service: Service,
  client: Client,
  scopes: readonly string[],
  refusals: { unsupported: ResultCodeName; notRequestable: ResultCodeName },
): string[] {
  const supported = new Set(service.supportedScopes.map((scope) => scope.name));
  const unsupported = scopes.find((scope) => !supported.has(scope));
  if (unsupported !== undefined) throw new CallerError(refusals.unsupported, unsupported);
  const grantable = stillGrantable(service, client);
  const notRequestable = scopes.find((scope) => !grantable(scope));
  if (notRequestable !== undefined) throw new CallerError(refusals.notRequestable, notRequestable);
  return [...new Set(scopes)];
}
