import { credentialHash } from "../../crypto/secrets.js";
import { StoreConflictError } from "../../storage/ports.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";

/**
 * An access-token value the login server chose (Authlete's `accessToken` at `/auth/token`,
 * `/auth/token/issue` and `/auth/authorization/issue`) must not be a token of this service already.
 * Checked before a code or ticket is consumed, so the call can be repeated with another value.
 * Values are unique per service only: another tenant's tokens are invisible here (issue 12 item 11).
 */
export async function checkChosenAccessToken(deps: CoreDeps, serviceId: number, value: string | null | undefined): Promise<void> {
  if (value == null) return;
  if (await deps.store.findAccessToken(serviceId, credentialHash(value))) throw new CallerError("accessTokenValueTaken");
}

/** A write of tokens failed: a collision of a chosen value (one that raced the check) is the same caller error. */
export function chosenAccessTokenConflict(chosen: string | null | undefined, error: unknown): unknown {
  return chosen != null && error instanceof StoreConflictError ? new CallerError("accessTokenValueTaken") : error;
}
