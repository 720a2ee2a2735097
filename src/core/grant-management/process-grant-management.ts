import type { GrantManagementAction } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { lookUpAccessToken } from "../introspection/access-token-state.js";
import { type BearerError, bearerChallenge } from "../introspection/bearer-challenge.js";
import { oauthErrorBody } from "../oauth-error.js";
import { type ResultCodeName, resultBody, resultText } from "../result-codes.js";
import { dpopNonceToRelay } from "../sender/dpop-presentation.js";
import { checkPresentedToken, refusalChallenge } from "../sender/presented-token-check.js";
import type { SenderProofs } from "../sender/sender-proofs.js";
import { grantQueryBody } from "./grant-content.js";

/** What the login server relays from the client's call to `{grant_management_endpoint}/{grant_id}` (Authlete's `g_m_request`). */
export interface GrantManagementInput {
  /** The access token of the client's `Authorization` header (Bearer or DPoP). */
  accessToken?: string | null;
  /** QUERY for GET, REVOKE for DELETE. */
  gmAction?: GrantManagementAction | null;
  /** The grant_id of the resource URL. */
  grantId?: string | null;
  /** The DPoP proof (with the request's `htm` and `htu`) and client certificate that came with the token. */
  senderProofs?: SenderProofs | null;
}

export type GrantManagementVerdict = "OK" | "NO_CONTENT" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CALLER_ERROR";

export interface GrantManagementResult {
  resultCode: string;
  resultMessage: string;
  action: GrantManagementVerdict;
  /** OK: the grant as JSON. UNAUTHORIZED, FORBIDDEN: a `WWW-Authenticate` value. NOT_FOUND: a JSON error body. */
  responseContent?: string;
  /** The DPoP nonce to relay as `DPoP-Nonce` while nonces are demanded (RFC 9449 §9). */
  dpopNonce?: string;
}

/** The scope an access token needs for each action at the grant management endpoint (draft §5.1). */
const neededScope = { QUERY: "grant_management_query", REVOKE: "grant_management_revoke" } as const;

/** The HTTP method of each action (draft §5.4, §5.5): what a DPoP proof's `htm` must be. */
const methodOf = { QUERY: "GET", REVOKE: "DELETE" } as const;

type ServedAction = keyof typeof neededScope;

/**
 * `/gm`, the backend of the grant management endpoint (Grant Management for OAuth 2.0 §5), in order:
 * - a call that is not a grant management request → CALLER_ERROR: no `gmAction`, an action of
 *   authorization requests (CREATE, MERGE, REPLACE), no `grantId`, or a proof Tessera cannot check
 *   against anything (no `htu` and no `grantManagementEndpoint` to build the grant's URL from);
 * - no access token, or one unknown, revoked, expired, or of a locked client → UNAUTHORIZED,
 *   `invalid_token` (§5.6, RFC 6750 §3.1);
 * - a proof that came with the token must verify for the request (`htm` the action's method, `htu`
 *   the grant's URL `{grantManagementEndpoint}/{grantId}` unless given), and a token bound to a key
 *   or a certificate needs its proof (RFC 9449 §7.1, RFC 8705 §3) → UNAUTHORIZED with a DPoP or Bearer challenge;
 * - the token must carry `grant_management_query` to QUERY, `grant_management_revoke` to REVOKE
 *   (§5.1) → FORBIDDEN, `insufficient_scope`;
 * - the grant must be an unrevoked grant of the token's client → NOT_FOUND (§5.6), the same answer
 *   for an unknown, revoked or another client's grant, so no client learns of another's grants;
 * - QUERY → OK with the grant (§5.4); REVOKE → the grant and every token issued under it are
 *   revoked (§5.5: refresh tokens MUST, access tokens SHOULD be), NO_CONTENT.
 * Every answer carries the DPoP nonce while nonces are demanded (RFC 9449 §9).
 */
export async function processGrantManagement(deps: CoreDeps, service: Service, input: GrantManagementInput): Promise<GrantManagementResult> {
  try {
    const proofs = input.senderProofs ?? {};
    const result = await answer(deps, service, input, proofs);
    const dpopNonce = await dpopNonceToRelay(deps, service, proofs);
    return dpopNonce === undefined ? result : { ...result, dpopNonce };
  } catch (error) {
    if (!(error instanceof CallerError)) throw error;
    return { ...resultBody(error.resultName, ...error.args), action: "CALLER_ERROR" };
  }
}

async function answer(deps: CoreDeps, service: Service, input: GrantManagementInput, proofs: SenderProofs): Promise<GrantManagementResult> {
  const action = input.gmAction;
  if (!action) throw new CallerError("grantManagementActionMissing");
  if (action !== "QUERY" && action !== "REVOKE") throw new CallerError("grantManagementActionNotServed", action);
  const grantId = input.grantId;
  if (!grantId) throw new CallerError("grantManagementGrantIdMissing");
  const token = input.accessToken;
  if (!token) return refused(deps, service, "UNAUTHORIZED", "invalid_token", "grantManagementTokenMissing");

  const state = await lookUpAccessToken(deps, service.serviceId, token);
  if (state.status === "unknown") return refused(deps, service, "UNAUTHORIZED", "invalid_token", "grantManagementTokenUnknown");
  if (state.status === "revoked") return refused(deps, service, "UNAUTHORIZED", "invalid_token", "grantManagementTokenRevoked");
  if (state.status === "expired") return refused(deps, service, "UNAUTHORIZED", "invalid_token", "grantManagementTokenExpired");
  const { token: record, details } = state;
  const client = await deps.store.getClient(service.serviceId, record.clientId);
  // Deleting a client deletes its tokens; a token without its client is as good as unknown.
  if (!client) return refused(deps, service, "UNAUTHORIZED", "invalid_token", "grantManagementTokenUnknown");
  if (client.locked) return refused(deps, service, "UNAUTHORIZED", "invalid_token", "grantManagementClientLocked");

  const presented = await checkPresentedToken(deps, service, "grantManagement", {
    binding: details,
    token,
    proofs: proofs.dpop ? grantManagementTarget(service, action, grantId, proofs) : proofs,
  });
  if (!presented.ok) {
    return { ...resultBody(presented.resultCode, ...presented.resultArgs), action: "UNAUTHORIZED", responseContent: refusalChallenge(deps, service, presented) };
  }

  const scope = neededScope[action];
  if (!record.scopes.includes(scope)) {
    return refused(deps, service, "FORBIDDEN", "insufficient_scope", "grantManagementScopeInsufficient", [scope, action], [scope]);
  }

  const grant = await deps.store.getGrant(service.serviceId, grantId);
  if (!grant || grant.revokedAt !== null || grant.clientId !== record.clientId) {
    const failure = { error: "invalid_grant_id", resultCode: "grantManagementGrantNotFound" as const, description: resultText("grantManagementGrantNotFound") };
    return { ...resultBody("grantManagementGrantNotFound"), action: "NOT_FOUND", responseContent: JSON.stringify(oauthErrorBody(deps, service, failure)) };
  }
  if (action === "QUERY") return { ...resultBody("grantQueried"), action: "OK", responseContent: JSON.stringify(grantQueryBody(grant)) };
  await deps.store.revokeGrant(service.serviceId, grant.grantId, deps.now());
  return { ...resultBody("grantRevoked"), action: "NO_CONTENT" };
}

/**
 * The request a DPoP proof at `/gm` must have been made for, where the login server left it out:
 * the action's method, and the grant's resource URL, the grant management endpoint, a slash and the
 * grant_id (draft §5.3).
 */
function grantManagementTarget(service: Service, action: ServedAction, grantId: string, proofs: SenderProofs): SenderProofs {
  const endpoint = service.grantManagementEndpoint;
  const htu = proofs.htu || (endpoint ? `${endpoint.replace(/\/+$/, "")}/${encodeURIComponent(grantId)}` : null);
  return { ...proofs, htm: proofs.htm || methodOf[action], htu };
}

function refused(
  deps: Pick<CoreDeps, "errorUriBase">,
  service: Service,
  action: "UNAUTHORIZED" | "FORBIDDEN",
  error: BearerError,
  code: ResultCodeName,
  args: Array<string | number> = [],
  scope?: string[],
): GrantManagementResult {
  return { ...resultBody(code, ...args), action, responseContent: bearerChallenge(deps, service, error, code, args, scope) };
}
