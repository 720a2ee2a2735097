import { credentialHash } from "../../crypto/secrets.js";
import { StoreConflictError } from "../../storage/ports.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";

/**
 * An access-token value the login server chose (Authlete's `accessToken` at `/auth/token`,
 * `/auth/token/issue`, `/auth/authorization/issue` and `/auth/token/create`) must not be a token of this
 * service already: neither an access token nor a refresh token, whose holder could otherwise present
 * the one value as both.
 * Checked before a code or ticket is consumed, so the call can be repeated with another value.
 * Values are unique per service only: another tenant's tokens are invisible here (issue 12 item 11).
 */
export async function checkChosenAccessToken(deps: CoreDeps, serviceId: number, value: string | null | undefined): Promise<void> {
  if (value == null) return;
  const hash = credentialHash(value);
  const [access, refresh] = await Promise.all([deps.store.findAccessToken(serviceId, hash), deps.store.findRefreshToken(serviceId, hash)]);
  if (access || refresh) throw new CallerError("accessTokenValueTaken");
}

/** A write of tokens failed: a collision of a chosen value (one that raced the check) is the same caller error. */
export function chosenAccessTokenConflict(chosen: string | null | undefined, error: unknown): unknown {
  return chosen != null && error instanceof StoreConflictError ? new CallerError("accessTokenValueTaken") : error;
}
