import { credentialHash } from "../../crypto/secrets.js";
import type { AccessTokenRecord, RefreshTokenRecord } from "../../domain/records.js";
import type { CoreDeps } from "../context.js";

/*
 * Authlete's token management names a token by its value or by its hash (`accessTokenHash`, what a
 * token list shows). It is looked up in the service only, so a token of another service is exactly as
 * unknown as one that does not exist.
 */

/** The access token the identifier is the value of, or failing that the hash of; null when neither. */
export async function findAccessTokenByIdentifier(deps: Pick<CoreDeps, "store">, serviceId: number, identifier: string): Promise<AccessTokenRecord | null> {
  return (await deps.store.findAccessToken(serviceId, credentialHash(identifier))) ?? (await deps.store.findAccessToken(serviceId, identifier));
}

export async function findRefreshTokenByIdentifier(deps: Pick<CoreDeps, "store">, serviceId: number, identifier: string): Promise<RefreshTokenRecord | null> {
  return (await deps.store.findRefreshToken(serviceId, credentialHash(identifier))) ?? (await deps.store.findRefreshToken(serviceId, identifier));
}
