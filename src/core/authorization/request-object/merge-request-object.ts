import type { JWTPayload } from "jose";
import { clientAuthParameterNames } from "../../client-auth/presented-credentials.js";
import { jsonValuedParameters, RequestParameters } from "../../protocol/request-parameters.js";
import { authorizationError } from "../authorization-errors.js";

/** Registered JWT claims (RFC 7519 §4.1) that describe the request object, not the authorization request. */
const jwtClaims = new Set(["iss", "aud", "exp", "nbf", "iat", "jti"]);

/**
 * Parameters that stay outside a request object: `client_id` and the object's own carrier (RFC 9101
 * §5), and at PAR the client's credentials (RFC 9126 §2.1), which authenticate the whole request.
 */
const carriedOutside: ReadonlySet<string> = new Set([...clientAuthParameterNames, "request", "request_uri"]);

/** A member's value as request parameter values: JSON-valued parameters and objects as JSON, a string array (`resource`) as repeated values. */
function parameterValues(name: string, value: unknown): string[] {
  if (name === "request" || name === "request_uri") {
    throw authorizationError("invalid_request_object", "authorizationRequestObjectParameterInvalid", name, "a request object cannot refer to another (RFC 9101 section 4)");
  }
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value) && !jsonValuedParameters.has(name) && value.every((item) => typeof item === "string")) return value;
  if (value !== null && typeof value === "object") return [JSON.stringify(value)];
  throw authorizationError("invalid_request_object", "authorizationRequestObjectParameterInvalid", name, "its value is null");
}

/** The authorization request parameters a verified request object carries, by name. */
export function objectParameters(payload: JWTPayload): Map<string, string[]> {
  const parameters = new Map<string, string[]>();
  for (const [name, value] of Object.entries(payload)) {
    if (jwtClaims.has(name)) continue;
    const values = parameterValues(name, value);
    if (values.length > 0) parameters.set(name, values);
  }
  return parameters;
}

const sameValues = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((value, index) => value === b[index]);

/**
 * The request the steps go on with:
 * - RFC 9101 §6.3 (the default): only the object's parameters count. A parameter outside it must be
 *   repeated inside with the same value (OIDC clients repeat `response_type` and `scope`); one that is
 *   only outside, or differs, is invalid_request rather than silently dropped (FAPI 1.0 Advanced
 *   §5.2.2-10), so a client never believes an outside parameter took effect.
 * - OIDC Core §6.3 (`traditionalRequestObjectProcessingApplied`): the object's parameters win, the
 *   outside ones fill what the object lacks.
 * `client_id` is always the parameter the client was identified by (the object's equals it).
 */
export function mergedParameters(outside: RequestParameters, inside: ReadonlyMap<string, string[]>, traditional: boolean): RequestParameters {
  const merged = new URLSearchParams();
  const clientId = outside.get("client_id");
  if (clientId !== undefined) merged.append("client_id", clientId);
  for (const [name, values] of inside) if (name !== "client_id") for (const value of values) merged.append(name, value);
  for (const name of outside.names()) {
    if (carriedOutside.has(name)) continue;
    const values = outside.all(name);
    const within = inside.get(name);
    if (traditional) {
      if (within === undefined) for (const value of values) merged.append(name, value);
    } else if (within === undefined || !sameValues(values, within)) {
      throw authorizationError("invalid_request", "authorizationParameterOutsideRequestObject", name);
    }
  }
  return RequestParameters.parse(merged.toString());
}
