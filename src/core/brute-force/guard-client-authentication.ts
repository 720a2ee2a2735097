import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { clientAttemptKey } from "./brute-force-guards.js";

/** What a blocked client is told: the same error as any failed authentication, with a description that says why. */
export const CLIENT_AUTH_BLOCKED_DESCRIPTION =
  "Client authentication is temporarily blocked after too many failed attempts. Try again later.";

/**
 * Watches guessing of client credentials (RFC 6749 §10.10, RFC 9700 §4.x, SEC-150): every
 * invalid_client counts against the service + client identifier (known or not). Once the failures
 * fill the window, failing attempts are answered with the "temporarily blocked" description and
 * logged, so operators see the attack and the guesser learns nothing from the answer.
 *
 * Valid credentials still pass while blocked. A `client_id` is public, so refusing the genuine
 * secret would let anyone lock a client out with a few wrong requests, while every credential
 * Tessera accepts (generated ≥ 256-bit secrets, signed assertions) cannot be guessed anyway; the
 * per-API-token rate limit bounds the volume. A success clears the count.
 */
export async function guardClientAuthentication<T>(
  deps: CoreDeps,
  serviceId: number,
  clientIdentifier: string,
  authenticate: () => Promise<T>,
): Promise<T> {
  const guard = deps.bruteForce?.clientAuthentication;
  if (!guard) return authenticate();
  const key = clientAttemptKey(serviceId, clientIdentifier);
  let result: T;
  try {
    result = await authenticate();
  } catch (error) {
    if (!(error instanceof OAuthError) || error.error !== "invalid_client") throw error;
    const blocked = await guard.isBlocked(key);
    await guard.recordFailure(key);
    if (!blocked) throw error;
    deps.logger.warn({ serviceId, clientId: clientIdentifier }, "client authentication failing repeatedly: possible guessing");
    throw new OAuthError("invalid_client", CLIENT_AUTH_BLOCKED_DESCRIPTION, "clientAuthBlocked");
  }
  await guard.reset(key);
  return result;
}
