import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { clientAttemptKey } from "./brute-force-guards.js";

/** What a blocked client is told: the same error as any failed authentication, with a description that says why. */
export const CLIENT_AUTH_BLOCKED_DESCRIPTION =
  "Client authentication is temporarily blocked after too many failed attempts. Try again later.";

/**
 * Limits guessing of client credentials (RFC 6749 §10.10, RFC 9700 §4.x, SEC-150): every
 * invalid_client counts against the service + client identifier (known or not), and once the
 * failures fill the window, further attempts are answered invalid_client without checking the
 * presented secret or assertion until the window passes. A success clears the count, so a client
 * that recovers from a misconfiguration is not held back.
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
  if (await guard.isBlocked(key)) {
    deps.logger.info({ serviceId, clientId: clientIdentifier }, "client authentication refused: too many failures");
    throw new OAuthError("invalid_client", CLIENT_AUTH_BLOCKED_DESCRIPTION, "clientAuthBlocked");
  }
  let result: T;
  try {
    result = await authenticate();
  } catch (error) {
    if (error instanceof OAuthError && error.error === "invalid_client") await guard.recordFailure(key);
    throw error;
  }
  await guard.reset(key);
  return result;
}
