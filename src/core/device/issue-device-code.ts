import { credentialHash, newCredential } from "../../crypto/secrets.js";
import type { Client } from "../../domain/client.js";
import type { Scope } from "../../domain/common.js";
import type { ClientAuthMethod } from "../../domain/enums.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import { StoreConflictError } from "../../storage/ports.js";
import { authorizationError } from "../authorization/authorization-errors.js";
import type { RequestDraft } from "../authorization/request-draft.js";
import { claimsOfScopes } from "../claims/standard-claims.js";
import { type GrantManagementFacts, grantManagementFactsOf } from "../grant-management/grant-management-facts.js";
import { resultBody } from "../result-codes.js";
import type { DevicePayload, DeviceRequest } from "./device-request.js";
import { deviceCodeSeconds, pollingIntervalSeconds, verificationUriComplete } from "./device-settings.js";
import { newUserCode, userCodeFormat, userCodeHash } from "./user-code.js";

/** A valid device authorization request answered (Authlete's OK), with the RFC 8628 §3.2 body to relay. */
export interface DeviceAuthorizationIssued extends GrantManagementFacts {
  resultCode: string;
  resultMessage: string;
  action: "OK";
  responseContent: string;
  client: Client;
  clientIdAliasUsed: boolean;
  clientAuthMethod: ClientAuthMethod;
  scopes: Scope[];
  claimNames: string[];
  acrs: string[];
  resources: string[];
  authorizationDetails: AuthorizationDetail[];
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string | null;
  expiresIn: number;
  interval: number;
}

/**
 * How many user codes are drawn before giving up: a new code collides only with a code of the same
 * service still stored (unique index), and even a million live base-20 codes make a collision a
 * 1 in 25 000 event, so a fourth draw that also collides means something else is wrong.
 */
const userCodeAttempts = 4;

/**
 * The device variant's finish (RFC 8628 §3.2): a device_code (a 256-bit bearer credential, kept
 * hashed) and a user code (user-code.ts, kept hashed in its normal form, unique among the stored
 * codes of the service: a collision draws another), parked as a PENDING pending authorization until
 * the user decides at /device/complete. The response carries `verification_uri`, the completed URI
 * when the service has a template, `expires_in` and `interval`.
 */
export async function issueDeviceCode(draft: RequestDraft, method: ClientAuthMethod, verificationUri: string): Promise<DeviceAuthorizationIssued> {
  const { deps, service, client } = draft;
  const scopes = draft.scopes.map((scope) => scope.name);
  const request: DeviceRequest = {
    clientIdAliasUsed: draft.clientIdAliasUsed,
    clientAuthMethod: method,
    scopes,
    claimNames: draft.openid ? claimsOfScopes(service, scopes) : [],
    acrs: draft.acrs,
    resources: draft.resources,
    authorizationDetails: draft.authorizationDetails,
    ...grantManagementFactsOf(draft),
  };
  const payload: DevicePayload = { request, decided: null };
  const expiresIn = deviceCodeSeconds(service);
  const interval = pollingIntervalSeconds(service);
  const format = userCodeFormat(service);
  const now = deps.now();
  const deviceCode = newCredential(now);
  let userCode: string | null = null;
  for (let attempt = 0; attempt < userCodeAttempts && userCode === null; attempt++) {
    const candidate = newUserCode(format);
    try {
      await deps.store.savePendingAuthorization({
        requestHash: credentialHash(deviceCode),
        kind: "DEVICE",
        serviceId: service.serviceId,
        clientId: client.clientId,
        completionKeyHash: userCodeHash(candidate),
        status: "PENDING",
        payload,
        interval,
        lastPolledAt: null,
        createdAt: now,
        expiresAt: now + expiresIn * 1000,
      });
      userCode = candidate;
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
    }
  }
  if (userCode === null) throw authorizationError("server_error", "deviceAuthorizationFailed");

  const complete = verificationUriComplete(service, userCode);
  const body: Record<string, string | number> = { device_code: deviceCode, user_code: userCode, verification_uri: verificationUri };
  if (complete !== null) body.verification_uri_complete = complete;
  body.expires_in = expiresIn;
  body.interval = interval;
  return {
    ...resultBody("deviceAuthorized"),
    action: "OK",
    responseContent: JSON.stringify(body),
    client,
    clientIdAliasUsed: draft.clientIdAliasUsed,
    clientAuthMethod: method,
    scopes: draft.scopes,
    claimNames: request.claimNames,
    acrs: request.acrs,
    resources: request.resources,
    authorizationDetails: request.authorizationDetails,
    deviceCode,
    userCode,
    verificationUri,
    verificationUriComplete: complete,
    expiresIn,
    interval,
    ...grantManagementFactsOf(request),
  };
}
