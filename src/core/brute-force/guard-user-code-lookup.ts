import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";

/**
 * Limits guessing of device-flow user codes (RFC 8628 §5.1: "the authorization server SHOULD
 * rate-limit user-code attempts"). A user code is short by design (user-code.ts), so what stops an
 * attacker who types codes into a login server's verification page is a cap on unknown codes per
 * service: /device/verification and /device/complete carry only the code, not who typed it, so the
 * service is the one key there is. Once a service's failures fill the window, every user-code lookup
 * of the service is refused (429, A190202) until the window ends, valid codes included, so a guess
 * made while blocked learns nothing. The price is that users of a service under attack wait too.
 */
export async function refuseBlockedUserCodeLookup(deps: CoreDeps, serviceId: number): Promise<void> {
  const guard = deps.bruteForce?.userCodeLookup;
  if (!guard) return;
  const key = String(serviceId);
  if (!(await guard.isBlocked(key))) return;
  const seconds = await guard.retryAfterSeconds(key);
  deps.logger.warn({ serviceId }, "user-code lookups refused: too many unknown user codes (possible guessing)");
  throw new CallerError("userCodeVerificationBlocked", seconds);
}

/** Counts one unknown user code against the service. */
export async function recordUnknownUserCode(deps: CoreDeps, serviceId: number): Promise<void> {
  await deps.bruteForce?.userCodeLookup.recordFailure(String(serviceId));
}
