import { credentialHash } from "../../crypto/secrets.js";
import type { TokenDetails } from "../../domain/protocol.js";
import type { AccessTokenRecord, RefreshTokenRecord } from "../../domain/records.js";
import type { CoreDeps } from "../context.js";
import { isRevokedKey, jwsKid } from "../keys/revoked-signature.js";

/**
 * Where an access token stands. RFC 6750 §3.1 / RFC 7662 §2.2: a token is usable only when it
 * exists in this service (lookups are scoped by `serviceId`, so another tenant's token is simply
 * unknown), has not been revoked and has not expired. A JWT access token signed by a revoked signing
 * key (a compromise) counts as revoked.
 */
export type AccessTokenState =
  | { status: "unknown" }
  | { status: "active" | "expired" | "revoked"; token: AccessTokenRecord; details: TokenDetails };

export type RefreshTokenState =
  | { status: "unknown" }
  | { status: "active" | "expired" | "revoked" | "rotated"; token: RefreshTokenRecord; details: TokenDetails };

/** Stored details come from the token module; older or foreign rows may lack fields, so defaults fill them in. */
export function detailsOf(raw: unknown): TokenDetails {
  const value = (raw !== null && typeof raw === "object" ? raw : {}) as Partial<TokenDetails>;
  return {
    grantType: value.grantType ?? "AUTHORIZATION_CODE",
    authTime: value.authTime ?? null,
    acr: value.acr ?? null,
    sub: value.sub ?? null,
    properties: value.properties ?? [],
    resources: value.resources ?? [],
    // Details written before the token endpoint narrowed audiences had one list for both.
    accessTokenResources: value.accessTokenResources ?? value.resources ?? [],
    authorizationDetails: value.authorizationDetails ?? [],
    accessTokenAuthorizationDetails: value.accessTokenAuthorizationDetails ?? value.authorizationDetails ?? [],
    claimsAtUserInfo: value.claimsAtUserInfo ?? [],
    ...(value.consentedScopes ? { consentedScopes: value.consentedScopes } : {}),
    clientIdAliasUsed: value.clientIdAliasUsed ?? false,
    ...(value.jwt === true ? { jwt: true as const } : {}),
    dpopKeyThumbprint: value.dpopKeyThumbprint ?? null,
    certificateThumbprint: value.certificateThumbprint ?? null,
    ...(value.gmAction ? { gmAction: value.gmAction } : {}),
    ...(value.sessionId ? { sessionId: value.sessionId } : {}),
    ...(value.nonce ? { nonce: value.nonce } : {}),
  };
}

export async function lookUpAccessToken(deps: CoreDeps, serviceId: number, token: string): Promise<AccessTokenState> {
  const record = await deps.store.findAccessToken(serviceId, credentialHash(token));
  if (!record) return { status: "unknown" };
  const details = detailsOf(record.details);
  if (record.revokedAt !== null) return { status: "revoked", token: record, details };
  if (record.expiresAt <= deps.now()) return { status: "expired", token: record, details };
  // Only a JWS has a kid to check: an opaque token skips the key list (and the await) altogether.
  const kid = jwsKid(token);
  if (kid !== null && (await isRevokedKey(deps, serviceId, kid))) return { status: "revoked", token: record, details };
  return { status: "active", token: record, details };
}

/** A refresh token that was rotated away is no longer usable (RFC 9700 §4.14.2), so it is not active either. */
export async function lookUpRefreshToken(deps: CoreDeps, serviceId: number, token: string): Promise<RefreshTokenState> {
  const record = await deps.store.findRefreshToken(serviceId, credentialHash(token));
  if (!record) return { status: "unknown" };
  const details = detailsOf(record.details);
  if (record.revokedAt !== null) return { status: "revoked", token: record, details };
  if (record.rotatedAt !== null) return { status: "rotated", token: record, details };
  if (record.expiresAt <= deps.now()) return { status: "expired", token: record, details };
  return { status: "active", token: record, details };
}
