import { credentialHash } from "../../crypto/secrets.js";
import { StoreConflictError } from "../../storage/ports.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { chosenAccessTokenConflict } from "./chosen-access-token.js";

/**
 * A refresh-token value the caller chose (`/auth/token/create`'s `refreshToken`, a migration keeping
 * the values its clients hold) must be a value of its own: neither a refresh token nor an access
 * token of this service already (a value that is both would let whoever holds the access token,
 * resource servers included, refresh with it), nor the access token chosen in the same request.
 * Like a chosen access token it is unique per service only and stored by its hash alone.
 */
export async function checkChosenRefreshToken(deps: CoreDeps, serviceId: number, value: string | null, accessTokenValue: string | null): Promise<void> {
  if (value === null) return;
  if (value === accessTokenValue) throw new CallerError("tokenCreateRefreshTokenSameAsAccessToken");
  const hash = credentialHash(value);
  const [asRefreshToken, asAccessToken] = await Promise.all([deps.store.findRefreshToken(serviceId, hash), deps.store.findAccessToken(serviceId, hash)]);
  if (asRefreshToken || asAccessToken) throw new CallerError("tokenCreateRefreshTokenValueTaken");
}

/**
 * A write of tokens failed. A collision with a chosen value (one that raced its check) is the
 * caller's error; with two chosen values the store says which one another write took first.
 */
export async function chosenValueConflict(
  deps: CoreDeps,
  input: { service: { serviceId: number }; accessTokenValue?: string | null; refreshTokenValue?: string | null },
  error: unknown,
): Promise<unknown> {
  const refreshTokenValue = input.refreshTokenValue ?? null;
  if (refreshTokenValue !== null && error instanceof StoreConflictError) {
    const taken = await deps.store.findRefreshToken(input.service.serviceId, credentialHash(refreshTokenValue));
    if (taken || input.accessTokenValue == null) return new CallerError("tokenCreateRefreshTokenValueTaken");
  }
  return chosenAccessTokenConflict(input.accessTokenValue, error);
}
