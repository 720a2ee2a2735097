import type { ClientAuthMethod } from "../../domain/enums.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { GrantManagementFacts } from "../grant-management/grant-management-facts.js";
import type { Decision } from "../pending/decision.js";

/**
 * What a device authorization request asked for (RFC 8628 §3.1), kept with its pending record for the
 * consent page and the tokens; with its grant management facts (the grant a merge or replace changes).
 */
export interface DeviceRequest extends GrantManagementFacts {
  clientIdAliasUsed: boolean;
  clientAuthMethod: ClientAuthMethod;
  /** Scope names, in the order requested (the service's defaults when none were). */
  scopes: string[];
  /** OIDC Core §5.4 claims the scopes stand for, when `openid` was requested. */
  claimNames: string[];
  acrs: string[];
  /** RFC 8707 resources. */
  resources: string[];
  authorizationDetails: AuthorizationDetail[];
}

/** The user's answer as /device/complete recorded it. */
export type DeviceDecision =
  | { result: "AUTHORIZED"; decision: Decision }
  /** TRANSACTION_FAILED is answered `expired_token` at the token endpoint, ACCESS_DENIED `access_denied` (Authlete's rule). */
  | { result: "ACCESS_DENIED" | "TRANSACTION_FAILED"; errorDescription: string | null; errorUri: string | null };

/** The payload of a DEVICE pending authorization: the request, and the decision once taken. */
export interface DevicePayload {
  request: DeviceRequest;
  decided: DeviceDecision | null;
}
