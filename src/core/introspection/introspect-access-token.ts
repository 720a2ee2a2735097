import type { Property } from "../../domain/common.js";
import type { GrantType } from "../../domain/enums.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { GrantContent } from "../../domain/records.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { currentDpopNonce } from "../dpop/dpop-nonce.js";
import { type ResultCodeName, resultBody } from "../result-codes.js";
import { dpopNonceDemanded } from "../sender/dpop-presentation.js";
import { checkPresentedToken, presentsNothingToCheck, refusalChallenge } from "../sender/presented-token-check.js";
import type { SenderProofs } from "../sender/sender-proofs.js";
import { lookUpAccessToken } from "./access-token-state.js";
import { type BearerError, bearerChallenge } from "./bearer-challenge.js";

/**
 * Authlete-style introspection for the service's own resource servers (`/auth/introspection`).
 * Rules, in order:
 * - no token → BAD_REQUEST, `invalid_request` (RFC 6750 §3.1: 400);
 * - unknown, revoked or expired token → UNAUTHORIZED, `invalid_token` (RFC 6750 §3.1: 401);
 * - a proof that came with the token must verify (RFC 9449 §7.1: `invalid_dpop_proof`, `use_dpop_nonce`),
 *   and a token bound to a key needs a proof of that key (`invalid_token`): UNAUTHORIZED with a
 *   `DPoP` challenge (`checkPresentedToken`);
 * - a required scope the token lacks → FORBIDDEN, `insufficient_scope` with `scope="…"` (RFC 6750 §3.1: 403);
 * - a required subject other than the token's → FORBIDDEN, `invalid_request` (as Authlete);
 * - required `resources` (RFC 8707) a token restricted to resources is not for → FORBIDDEN, `invalid_token`
 *   (a token without a restriction passes, as with `rsUri` of the standard introspection);
 * - `acrValues` the authentication did not meet, or an authentication older than `maxAge` → FORBIDDEN, `invalid_token`;
 * - otherwise OK. Every answer carries a ready `WWW-Authenticate` value in `responseContent`, and
 *   the DPoP nonce (`dpopNonce`) while nonces are demanded (RFC 9449 §9). A token whose
 *   authorization carried a grant management action also shows its `grantId` and the grant's content.
 */

export interface IntrospectionInput {
  token?: string | null;
  /** Scopes the resource requires; all of them must be covered. */
  scopes?: string[] | null;
  /** The user the resource requires to own the token. */
  subject?: string | null;
  /** Resources (RFC 8707) the token must be for, when it is restricted to resources. */
  resources?: string[] | null;
  /** ACRs one of which the user authentication must have satisfied. */
  acrValues?: string[] | null;
  /** Maximum age in seconds of the user authentication; 0 or absent means no constraint. */
  maxAge?: number | null;
  /** The DPoP proof (with the resource request's `htm` and `htu`) and client certificate that came with the token. */
  senderProofs?: SenderProofs | null;
}

export type IntrospectionAction = "OK" | "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "INTERNAL_SERVER_ERROR";

export interface IntrospectionResult {
  resultCode: string;
  resultMessage: string;
  action: IntrospectionAction;
  responseContent: string;
  existent?: boolean;
  usable?: boolean;
  sufficient?: boolean;
  refreshable?: boolean;
  clientId?: number;
  clientIdAlias?: string;
  clientIdAliasUsed?: boolean;
  subject?: string;
  scopes?: string[];
  /** Epoch milliseconds. */
  expiresAt?: number;
  properties?: Property[];
  /** The grant's resources (RFC 8707). */
  resources?: string[];
  /** The resources the access token is for: the grant's, or those the token request narrowed them to. */
  accessTokenResources?: string[];
  /** The access token's authorization details (RFC 9396), in RFC 9396's form; the route answers them in Authlete's. */
  authorizationDetails?: AuthorizationDetail[];
  grantType?: GrantType;
  /** Seconds since epoch. */
  authTime?: number;
  acr?: string;
  /** The DPoP nonce to relay as `DPoP-Nonce` while nonces are demanded (RFC 9449 §9). */
  dpopNonce?: string;
  /** The thumbprint of the client certificate the token is bound to (RFC 8705 §3.1, `x5t#S256`), as Authlete answers it. */
  certificateThumbprint?: string;
  /** Grant Management: the grant of a token whose authorization carried a grant management action, and what it holds now. */
  grantId?: string;
  grant?: GrantContent;
}

const noProofs: SenderProofs = {};

function verdict(
  deps: Pick<CoreDeps, "errorUriBase">,
  service: Service,
  action: IntrospectionAction,
  error: BearerError,
  code: ResultCodeName,
  args: Array<string | number> = [],
  scope?: string[],
): IntrospectionResult {
  return { ...resultBody(code, ...args), action, responseContent: bearerChallenge(deps, service, error, code, args, scope) };
}

/** Splits space-separated entries, so form bodies (`scopes=a b`) and JSON arrays mean the same. */
function scopeList(scopes: string[] | null | undefined): string[] {
  return (scopes ?? []).flatMap((entry) => entry.split(" ")).filter((name) => name.length > 0);
}

export async function introspectAccessToken(deps: CoreDeps, service: Service, input: IntrospectionInput): Promise<IntrospectionResult> {
  const result = await introspect(deps, service, input);
  if (!dpopNonceDemanded(service, input.senderProofs ?? noProofs)) return result;
  return { ...result, dpopNonce: currentDpopNonce(deps, service) };
}

async function introspect(deps: CoreDeps, service: Service, input: IntrospectionInput): Promise<IntrospectionResult> {
  if (!input.token) return verdict(deps, service, "BAD_REQUEST", "invalid_request", "introspectionTokenMissing");

  const state = await lookUpAccessToken(deps, service.serviceId, input.token);
  if (state.status === "unknown") {
    return { ...verdict(deps, service, "UNAUTHORIZED", "invalid_token", "introspectionTokenUnknown"), existent: false, usable: false, sufficient: false, refreshable: false };
  }

  const { token, details } = state;
  const now = deps.now();
  // Only a token of a managed grant (Grant Management) shows its grant, so only its introspection reads it.
  const [client, refreshToken, grant] = await Promise.all([
    deps.store.getClient(service.serviceId, token.clientId),
    token.refreshTokenHash ? deps.store.findRefreshToken(service.serviceId, token.refreshTokenHash) : Promise.resolve(null),
    details.gmAction ? deps.store.getGrant(service.serviceId, token.grantId) : Promise.resolve(null),
  ]);
  const refreshable =
    refreshToken !== null && refreshToken.revokedAt === null && refreshToken.rotatedAt === null && refreshToken.expiresAt > now;

  const facts: Partial<IntrospectionResult> = {
    existent: true,
    usable: state.status === "active",
    refreshable,
    clientId: token.clientId,
    clientIdAliasUsed: details.clientIdAliasUsed,
    scopes: token.scopes,
    expiresAt: token.expiresAt,
    properties: details.properties,
    resources: details.resources,
    accessTokenResources: details.accessTokenResources,
    grantType: details.grantType,
  };
  if (details.accessTokenAuthorizationDetails.length > 0) facts.authorizationDetails = details.accessTokenAuthorizationDetails;
  if (client) facts.clientIdAlias = client.clientIdAlias;
  if (token.subject !== null) facts.subject = token.subject;
  if (details.authTime !== null) facts.authTime = details.authTime;
  if (details.acr !== null) facts.acr = details.acr;
  if (details.certificateThumbprint !== null) facts.certificateThumbprint = details.certificateThumbprint;
  if (details.gmAction) facts.grantId = token.grantId;
  if (grant) facts.grant = { scopes: grant.scopes, claims: grant.claims, authorizationDetails: grant.authorizationDetails, resources: grant.resources };

  if (state.status === "revoked") {
    return { ...verdict(deps, service, "UNAUTHORIZED", "invalid_token", "introspectionTokenRevoked"), ...facts, sufficient: false };
  }
  if (state.status === "expired") {
    return { ...verdict(deps, service, "UNAUTHORIZED", "invalid_token", "introspectionTokenExpired"), ...facts, sufficient: false };
  }
  // A locked client's tokens are unusable while it stays locked, and usable again once it is unlocked.
  if (client?.locked) {
    return { ...verdict(deps, service, "UNAUTHORIZED", "invalid_token", "introspectionClientLocked"), ...facts, usable: false, sufficient: false };
  }
  const proofs = input.senderProofs ?? noProofs;
  if (!presentsNothingToCheck(details, proofs)) {
    const presented = await checkPresentedToken(deps, service, "introspection", { binding: details, token: input.token, proofs });
    if (!presented.ok) {
      const { resultCode, resultMessage } = resultBody(presented.resultCode, ...presented.resultArgs);
      return { resultCode, resultMessage, action: "UNAUTHORIZED", responseContent: refusalChallenge(deps, service, presented), ...facts, sufficient: false };
    }
  }

  const required = scopeList(input.scopes);
  const granted = new Set(token.scopes);
  const missing = required.filter((name) => !granted.has(name));
  if (missing.length > 0) {
    return {
      ...verdict(deps, service, "FORBIDDEN", "insufficient_scope", "introspectionScopeInsufficient", [missing.join(" ")], required),
      ...facts,
      sufficient: false,
    };
  }
  if (input.subject && input.subject !== token.subject) {
    return { ...verdict(deps, service, "FORBIDDEN", "invalid_request", "introspectionSubjectMismatch"), ...facts, sufficient: false };
  }
  const audience = details.accessTokenResources;
  const uncovered = audience.length === 0 ? [] : (input.resources ?? []).filter((resource) => !audience.includes(resource));
  if (uncovered.length > 0) {
    return { ...verdict(deps, service, "FORBIDDEN", "invalid_token", "introspectionResourceNotCovered", [uncovered.join(" ")]), ...facts, sufficient: false };
  }
  if (input.acrValues && input.acrValues.length > 0 && (details.acr === null || !input.acrValues.includes(details.acr))) {
    return { ...verdict(deps, service, "FORBIDDEN", "invalid_token", "introspectionAcrUnmet"), ...facts, sufficient: false };
  }
  if (input.maxAge !== null && input.maxAge !== undefined && input.maxAge > 0) {
    if (details.authTime === null || details.authTime + input.maxAge < Math.floor(now / 1000)) {
      return { ...verdict(deps, service, "FORBIDDEN", "invalid_token", "introspectionMaxAgeExceeded"), ...facts, sufficient: false };
    }
  }

  return { ...verdict(deps, service, "OK", "invalid_request", "introspectionTokenValid"), ...facts, sufficient: true };
}
