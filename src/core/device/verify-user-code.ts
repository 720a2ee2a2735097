import type { Client } from "../../domain/client.js";
import type { Scope } from "../../domain/common.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { PendingAuthorizationRecord } from "../../domain/records.js";
import type { Service } from "../../domain/service.js";
import { recordUnknownUserCode, refuseBlockedUserCodeLookup } from "../brute-force/guard-user-code-lookup.js";
import type { CoreDeps } from "../context.js";
import { type GrantManagementFacts, grantManagementFactsOf } from "../grant-management/grant-management-facts.js";
import { resultBody } from "../result-codes.js";
import type { DevicePayload } from "./device-request.js";
import { normaliseUserCode, userCodeHash } from "./user-code.js";

/** Everything a consent page needs about a device authorization request (Authlete's VALID). */
export interface ValidUserCode extends GrantManagementFacts {
  resultCode: string;
  resultMessage: string;
  action: "VALID";
  client: Client;
  clientIdAliasUsed: boolean;
  scopes: Scope[];
  claimNames: string[];
  acrs: string[];
  resources: string[];
  authorizationDetails: AuthorizationDetail[];
  /** Epoch milliseconds at which the user code expires. */
  expiresAt: number;
}

export type UserCodeVerification =
  | ValidUserCode
  | { resultCode: string; resultMessage: string; action: "EXPIRED" | "NOT_EXIST" };

/** The scopes of the request as the service describes them now, for the consent page; a scope withdrawn since keeps only its name. */
function describedScopes(service: Service, names: readonly string[]): Scope[] {
  const known = new Map(service.supportedScopes.map((scope) => [scope.name, scope]));
  return names.map((name) => known.get(name) ?? { name, defaultEntry: false });
}

/**
 * The live record of a user code, with the brute-force rule applied: a lookup while the service is
 * blocked is refused (429), and a code that is not stored at all counts as a failure. Shared by
 * /device/verification and /device/complete. `record` is null for an unknown code; an expired one is
 * returned (the janitor removes it later) so the user is told to start again rather than retype.
 */
export async function lookUpUserCode(deps: CoreDeps, service: Service, userCode: string): Promise<PendingAuthorizationRecord | null> {
  await refuseBlockedUserCodeLookup(deps, service.serviceId);
  const normal = normaliseUserCode(userCode);
  const record =
    normal === ""
      ? null
      : await deps.store.findPendingAuthorization(service.serviceId, "DEVICE", userCodeHash(normal), deps.now(), { includeExpired: true });
  if (record === null) await recordUnknownUserCode(deps, service.serviceId);
  return record;
}

/**
 * `/device/verification` (RFC 8628 §3.3): the user typed a code on the verification page. VALID with
 * the client and what it asks for, while the code is pending and unexpired; EXPIRED once its lifetime
 * ended; NOT_EXIST for an unknown code, or one the user already decided on (it is spent), or whose
 * client was deleted meanwhile.
 */
export async function verifyUserCode(deps: CoreDeps, service: Service, userCode: string): Promise<UserCodeVerification> {
  const record = await lookUpUserCode(deps, service, userCode);
  if (record === null || record.status !== "PENDING") return { ...resultBody("deviceUserCodeUnknown"), action: "NOT_EXIST" };
  if (record.expiresAt <= deps.now()) return { ...resultBody("deviceUserCodeExpired"), action: "EXPIRED" };
  const client = await deps.store.getClient(service.serviceId, record.clientId);
  if (client === null) return { ...resultBody("deviceUserCodeUnknown"), action: "NOT_EXIST" };
  const { request } = record.payload as DevicePayload;
  return {
    ...resultBody("deviceUserCodeValid"),
    action: "VALID",
    client,
    clientIdAliasUsed: request.clientIdAliasUsed,
    scopes: describedScopes(service, request.scopes),
    claimNames: request.claimNames,
    acrs: request.acrs,
    resources: request.resources,
    authorizationDetails: request.authorizationDetails,
    expiresAt: record.expiresAt,
    ...grantManagementFactsOf(request),
  };
}
