import type { Context, MiddlewareHandler } from "hono";
import { sha256 } from "../crypto/secrets.js";
import { impliedPermissions, type Permission } from "../domain/enums.js";
import type { RateLimitCategory } from "../domain/rate-limits.js";
import type { ApiTokenRecord } from "../domain/records.js";
import type { ApiCaller, AppEnv } from "./env.js";
import { ApiError } from "./errors.js";
import { countFailedAuthentication, enforceRateLimit, refuseBlockedAddress, withRateLimitFields } from "./rate-limit/enforce-rate-limit.js";

/** What an operation needs: an organization token, or a service token holding `permission` (admins pass every check). */
export type Requirement = "ADMIN" | Permission;

/** The granted permissions and every one they imply, transitively. */
function withImplied(granted: readonly Permission[]): Set<Permission> {
  const held = new Set<Permission>();
  const stack = [...granted];
  while (stack.length > 0) {
    const right = stack.pop()!;
    if (held.has(right)) continue;
    held.add(right);
    stack.push(...impliedPermissions[right]);
  }
  return held;
}

/**
 * Callers of cached (frozen, shared) token records, so a hot token is not turned into a caller,
 * nor its implied permissions worked out, on every request.
 */
const callers = new WeakMap<ApiTokenRecord, ApiCaller>();

function toCaller(record: ApiTokenRecord): ApiCaller {
  let caller = callers.get(record);
  if (!caller) {
    caller =
      record.serviceId === null
        ? { kind: "admin", tokenId: record.id }
        : { kind: "service", tokenId: record.id, serviceId: record.serviceId, permissions: withImplied(record.permissions) };
    callers.set(record, caller);
  }
  return caller;
}

/**
 * Authenticates the Bearer API token and checks it may do `requirement` on the `serviceId` of the path,
 * then counts the request against its rate limit in `rateLimitCategory`. Answers a refusal (429),
 * or undefined to go on; a caller mistake throws ApiError. A service token aimed at another service
 * gets the same 404 as an unknown service, so ids of other tenants cannot be probed.
 */
export async function authorizeCall(
  c: Context<AppEnv>,
  requirement: Requirement,
  rateLimitCategory: RateLimitCategory,
): Promise<Response | undefined> {
  const blocked = await refuseBlockedAddress(c);
  if (blocked) return blocked;
  const header = c.req.header("authorization");
  const match = header ? /^Bearer[ ]+([\x21-\x7E]+)[ ]*$/i.exec(header) : null;
  if (!match) {
    await countFailedAuthentication(c);
    throw new ApiError("authorizationHeaderMissing");
  }
  const record = await c.get("deps").store.findApiTokenByHash(sha256(match[1]!));
  if (!record) {
    await countFailedAuthentication(c);
    throw new ApiError("apiTokenInvalid");
  }
  const caller = toCaller(record);
  if (caller.kind === "service") {
    const pathServiceId = c.req.param("serviceId");
    if (requirement === "ADMIN") throw new ApiError("adminTokenRequired");
    if (pathServiceId !== undefined && pathServiceId !== String(caller.serviceId)) {
      throw new ApiError("serviceNotFound", pathServiceId);
    }
    if (!caller.permissions.has(requirement)) throw new ApiError("permissionDenied", requirement);
  }
  c.set("caller", caller);
  // Counted only once the caller may do the operation; before the handler, so a refused request changes nothing.
  return enforceRateLimit(c, caller, rateLimitCategory);
}

/**
 * authorizeCall as a middleware, for routes defined with createRoute whose handlers answer with
 * hono's `c.json`: their answers get the rate-limit fields afterwards. The route names its
 * rate-limit category here, in its definition (`management` for every such route today).
 */
export function authorize(requirement: Requirement, rateLimitCategory: RateLimitCategory): MiddlewareHandler<AppEnv> {
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const refused = await authorizeCall(c, requirement, rateLimitCategory);
    if (refused) return refused;
    await next();
    withRateLimitFields(c, c.res);
  };
  requirements.set(middleware, requirement);
  return middleware;
}

const requirements = new WeakMap<MiddlewareHandler<AppEnv>, Requirement>();

/** What a route's middleware requires of the caller's token, when it is an `authorize` (the OpenAPI document shows it). */
export function requirementOf(middleware: unknown): Requirement | undefined {
  return typeof middleware === "function" ? requirements.get(middleware as MiddlewareHandler<AppEnv>) : undefined;
}
