import { credentialHash, newCredential } from "../../crypto/secrets.js";
import type { Property } from "../../domain/common.js";
import type { AccessTokenRecord } from "../../domain/records.js";
import type { AuthorizationDetail, TokenDetails } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";
import type { TokenUpdate } from "../../storage/ports.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { detailsOf } from "../introspection/access-token-state.js";
import { disallowedType } from "../protocol/authorization-details.js";
import { accessTokenLifetime, refreshTokenLifetime } from "../tokens/lifetimes.js";
import { isJwtAccessToken, isPersistentExpiry, persistentExpiresAt } from "../tokens/persistent-access-token.js";
import { requireGrantableScopes } from "./grantable-scopes.js";

/**
 * `/auth/token/update`: changes an unrevoked access token named by its value or its hash: scopes,
 * expiry, properties, authorization details, sender binding. New scopes and authorization details
 * are held to what the service supports and the token's client may request now: beyond that the call
 * is refused (A135203-A135206), never granted. New scopes apply to the live refresh token issued with
 * the access token as well, so a refresh cannot bring back what the update took away. The change is
 * one store write, read at once by introspection, userinfo and refresh on every node (this process
 * drops its cached copy). A JWT access token already handed out keeps the claims it was signed with.
 *
 * `accessTokenPersistent: true` makes the access token persistent (`persistent-access-token.ts`),
 * overriding the expiry fields as Authlete's rule says; `false` returns a persistent one to an expiry
 * that passes (the explicit one, else a fresh lifetime from now); absent leaves persistence as it is.
 * `accessTokenValueUpdated` gives the access token a new value in the same write: the old value is
 * unknown from then on, the refresh token issued with it stays. Neither is available for a JWT
 * access token (A135207, A135208): its exp and its value are signed and out of reach.
 */

export interface TokenUpdateInput {
  accessToken: string | null;
  accessTokenHash: string | null;
  /** Epoch ms; null: unchanged. */
  accessTokenExpiresAt: number | null;
  accessTokenExpiresAtUpdatedOnScopeUpdate: boolean;
  /** Null: persistence unchanged. */
  accessTokenPersistent: boolean | null;
  accessTokenValueUpdated: boolean;
  refreshTokenExpiresAt: number | null;
  refreshTokenExpiresAtUpdatedOnScopeUpdate: boolean;
  /** Null: unchanged. */
  scopes: string[] | null;
  properties: Property[] | null;
  authorizationDetails: AuthorizationDetail[] | null;
  certificateThumbprint: string | null;
  dpopKeyThumbprint: string | null;
}

export interface UpdatedToken {
  /** The access token's new value when `accessTokenValueUpdated`; null when it kept its value. */
  newAccessToken: string | null;
  accessTokenExpiresAt: number;
  scopes: string[];
  properties: Property[];
  authorizationDetails: AuthorizationDetail[];
  tokenType: "Bearer" | "DPoP";
  /** The live refresh token's expiry; null when there is none. */
  refreshTokenExpiresAt: number | null;
}

const sameScopes = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((scope) => b.includes(scope));

/** The access token's new expiry: persistence first, then an explicit expiry, then a fresh lifetime where one is due. */
function accessTokenExpiry(input: TokenUpdateInput, record: AccessTokenRecord, lifetime: () => number, scopesChanged: boolean): number {
  if (input.accessTokenPersistent === true) return persistentExpiresAt;
  if (input.accessTokenExpiresAt !== null) return input.accessTokenExpiresAt;
  const persistent = isPersistentExpiry(record.expiresAt);
  if (persistent && input.accessTokenPersistent === false) return lifetime();
  // A persistent token has no lifetime to renew: a scope change leaves it persistent.
  if (!persistent && scopesChanged && input.accessTokenExpiresAtUpdatedOnScopeUpdate) return lifetime();
  return record.expiresAt;
}

export async function updateToken(deps: CoreDeps, service: Service, input: TokenUpdateInput): Promise<UpdatedToken> {
  const serviceId = service.serviceId;
  const tokenHash = input.accessToken !== null ? credentialHash(input.accessToken) : input.accessTokenHash;
  if (tokenHash === null) throw new CallerError("tokenUpdateTokenMissing");
  const record = await deps.store.findAccessToken(serviceId, tokenHash);
  const client = record && record.revokedAt === null ? await deps.store.getClient(serviceId, record.clientId) : null;
  if (!record || !client) throw new CallerError("tokenUpdateTokenNotFound");

  const scopes =
    input.scopes === null
      ? record.scopes
      : requireGrantableScopes(service, client, input.scopes, { unsupported: "tokenUpdateScopeUnsupported", notRequestable: "tokenUpdateScopeNotRequestable" });
  if (input.authorizationDetails !== null) {
    const refused = disallowedType(input.authorizationDetails, service, client);
    if (refused) throw new CallerError(refused.refusedBy === "service" ? "tokenUpdateDetailsTypeUnsupported" : "tokenUpdateDetailsTypeNotAllowed", refused.type);
  }
  const scopesChanged = !sameScopes(scopes, record.scopes);
  const now = deps.now();

  const previous = detailsOf(record.details);
  const jwt = isJwtAccessToken(service, previous);
  if (input.accessTokenPersistent === true && jwt) throw new CallerError("tokenUpdatePersistentJwt");
  if (input.accessTokenValueUpdated && jwt) throw new CallerError("tokenUpdateValueJwt");
  const details: TokenDetails = {
    ...previous,
    ...(input.properties !== null ? { properties: input.properties } : {}),
    ...(input.authorizationDetails !== null
      ? { authorizationDetails: input.authorizationDetails, accessTokenAuthorizationDetails: input.authorizationDetails }
      : {}),
    ...(input.certificateThumbprint !== null ? { certificateThumbprint: input.certificateThumbprint } : {}),
    ...(input.dpopKeyThumbprint !== null ? { dpopKeyThumbprint: input.dpopKeyThumbprint } : {}),
  };
  const accessTokenExpiresAt = accessTokenExpiry(input, record, () => now + accessTokenLifetime(service, client) * 1000, scopesChanged);

  const refresh = record.refreshTokenHash === null ? null : await deps.store.findRefreshToken(serviceId, record.refreshTokenHash);
  const liveRefresh = refresh && refresh.revokedAt === null && refresh.rotatedAt === null ? refresh : null;
  const refreshTokenExpiresAt = liveRefresh
    ? (input.refreshTokenExpiresAt ??
      (scopesChanged && input.refreshTokenExpiresAtUpdatedOnScopeUpdate ? now + refreshTokenLifetime(service, client) * 1000 : liveRefresh.expiresAt))
    : null;

  // Generated as minting generates one: led by the real time, so the row is appended to the index.
  const newAccessToken = input.accessTokenValueUpdated ? newCredential() : null;
  const update: TokenUpdate = {
    accessToken: { scopes, expiresAt: accessTokenExpiresAt, details },
    newAccessTokenHash: newAccessToken === null ? null : credentialHash(newAccessToken),
    refreshToken:
      liveRefresh && refreshTokenExpiresAt !== null && (input.scopes !== null || refreshTokenExpiresAt !== liveRefresh.expiresAt)
        ? { scopes: input.scopes !== null ? scopes : liveRefresh.scopes, expiresAt: refreshTokenExpiresAt }
        : null,
  };
  if (!(await deps.store.updateTokens(serviceId, tokenHash, update))) throw new CallerError("tokenUpdateTokenNotFound");
  return {
    newAccessToken,
    accessTokenExpiresAt,
    scopes,
    properties: details.properties,
    authorizationDetails: details.accessTokenAuthorizationDetails,
    tokenType: details.dpopKeyThumbprint ? "DPoP" : "Bearer",
    refreshTokenExpiresAt,
  };
}
