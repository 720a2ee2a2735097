import { credentialHash } from "../../crypto/secrets.js";
import type { Service } from "../../domain/service.js";
import { type ClientAuthenticatedEndpoint, receiveClientRequest } from "../client-auth/client-authenticated-request.js";
import { answeringOAuthErrors } from "../client-auth/client-request-failure.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { resultBody } from "../result-codes.js";
import type { SenderProofs } from "../sender/sender-proofs.js";

/**
 * The RFC 7009 revocation endpoint backend (`/auth/revocation`).
 * - §2.1: the client authenticates (RFC 6749 §2.3) with its registered method → else INVALID_CLIENT;
 *   `token` is required; `token_type_hint` only orders the search: both kinds are always looked up.
 * - §2.1: revoking a refresh token invalidates the whole grant, so every access token issued from
 *   it dies too (`revokeGrant`); revoking an access token revokes that token only.
 * - §2.1: a token issued to another client is left alone, and the answer is the same OK, so the
 *   endpoint reveals nothing about other clients' tokens; a token of another service is never found.
 * - §2.2: an unknown, expired or already revoked token answers OK.
 * - §2.2.1: `unsupported_token_type` when the client names a token type other than access_token
 *   or refresh_token and no such token of ours matches (we cannot revoke what we do not issue).
 * - catalogue SEC-084: a storage failure propagates (HTTP 500), never a false OK.
 */

export interface RevocationInput {
  parameters: string;
  /** Credentials the login server took from the HTTP Basic `Authorization` header. */
  clientId?: string | null;
  clientSecret?: string | null;
  /** The client certificate of the mutual-TLS connection (RFC 8705 §2), for the TLS client authentication methods. */
  senderProofs?: Pick<SenderProofs, "clientCertificate" | "clientCertificatePath"> | null;
}

export type RevocationAction = "OK" | "BAD_REQUEST" | "INVALID_CLIENT" | "INTERNAL_SERVER_ERROR";

export interface RevocationResult {
  resultCode: string;
  resultMessage: string;
  action: RevocationAction;
  /** The JSON error body to relay; absent on OK (RFC 7009 §2.2: the body of a success is empty). */
  responseContent?: string;
}

const supportedHints = new Set(["access_token", "refresh_token"]);

const revocationEndpoint = {
  repeatable: new Set<string>(),
  authentication: "required",
  authMethods: (service) => service.supportedRevocationAuthMethods ?? service.supportedTokenAuthMethods,
  endpointUrl: (service) => service.revocationEndpoint,
  resultNames: { duplicated: "revocationParameterDuplicated", malformed: "revocationParameterMalformed", clientInvalid: "revocationClientInvalid" },
} satisfies ClientAuthenticatedEndpoint;

type Outcome = "revoked" | "foreign" | "unknown";

async function revokeAccessToken(deps: CoreDeps, serviceId: number, clientId: number, tokenHash: string): Promise<Outcome> {
  const record = await deps.store.findAccessToken(serviceId, tokenHash);
  if (!record) return "unknown";
  if (record.clientId !== clientId) return "foreign";
  if (record.revokedAt === null) await deps.store.revokeAccessToken(serviceId, tokenHash, deps.now());
  return "revoked";
}

async function revokeRefreshToken(deps: CoreDeps, serviceId: number, clientId: number, tokenHash: string): Promise<Outcome> {
  const record = await deps.store.findRefreshToken(serviceId, tokenHash);
  if (!record) return "unknown";
  if (record.clientId !== clientId) return "foreign";
  await deps.store.revokeGrant(serviceId, record.grantId, deps.now());
  return "revoked";
}

export async function revokeToken(deps: CoreDeps, service: Service, input: RevocationInput): Promise<RevocationResult> {
  return answeringOAuthErrors(deps, service, "INVALID_CLIENT", () => revoke(deps, service, input));
}

async function revoke(deps: CoreDeps, service: Service, input: RevocationInput): Promise<RevocationResult> {
  const { params, caller } = await receiveClientRequest(deps, service, input, revocationEndpoint);
  const clientId = caller.client.clientId;
  const token = params.get("token");
  if (!token) throw new OAuthError("invalid_request", "The revocation request has no token parameter.", "revocationTokenMissing");

  const hint = params.get("token_type_hint");
  const tokenHash = credentialHash(token);
  const serviceId = service.serviceId;
  let outcome: Outcome;
  if (hint === "refresh_token") {
    outcome = await revokeRefreshToken(deps, serviceId, clientId, tokenHash);
    if (outcome === "unknown") outcome = await revokeAccessToken(deps, serviceId, clientId, tokenHash);
  } else {
    outcome = await revokeAccessToken(deps, serviceId, clientId, tokenHash);
    if (outcome === "unknown") outcome = await revokeRefreshToken(deps, serviceId, clientId, tokenHash);
  }

  if (outcome === "unknown" && hint !== undefined && !supportedHints.has(hint)) {
    throw new OAuthError("unsupported_token_type", "Only access and refresh tokens can be revoked.", "revocationTokenTypeUnsupported", [hint]);
  }
  if (outcome === "foreign") deps.logger.info({ serviceId, clientId }, "revocation of another client's token ignored");
  return { ...resultBody("revocationDone"), action: "OK" };
}
