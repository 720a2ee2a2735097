import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { clientAttemptKey } from "./brute-force-guards.js";

/** What the guard needs to see of a token endpoint outcome. */
interface RedemptionOutcome {
  action: string;
  responseContent: string | null;
}

function isInvalidGrant(outcome: RedemptionOutcome): boolean {
  if (outcome.action !== "BAD_REQUEST" || outcome.responseContent === null) return false;
  try {
    return (JSON.parse(outcome.responseContent) as { error?: unknown }).error === "invalid_grant";
  } catch {
    return false;
  }
}

/**
 * Watches how many authorization codes or refresh tokens one client presents in vain
 * (RFC 6749 §10.10 and RFC 9700 §4.x on guessing; SEC-150): each invalid_grant counts against the
 * client. Once its failures fill the window, failing redemptions are answered with a "temporarily
 * blocked" invalid_grant and logged as possible guessing.
 *
 * A genuine code or refresh token is still redeemed while blocked: the losers of an honest race,
 * or anyone sending junk with a public client's id, must not stop the client from working, and
 * 256-bit codes and tokens cannot be guessed. A successful redemption clears the count. Grant
 * types that redeem no such credential (their `redeemsCredential` trait) pass straight through.
 */
export async function guardCredentialRedemption<T extends RedemptionOutcome>(
  deps: CoreDeps,
  serviceId: number,
  clientId: number,
  redeemsCredential: boolean,
  redeem: () => Promise<T>,
): Promise<T> {
  const guard = deps.bruteForce?.credentialRedemption;
  if (!guard || !redeemsCredential) return redeem();
  const key = clientAttemptKey(serviceId, clientId);
  const blockedError = () =>
    new OAuthError(
    "invalid_grant",
    "Too many invalid grants were presented by this client; redemption is temporarily blocked. Try again later.",
    "grantRedemptionBlocked",
  );
  /** Counts a failure; true when the client was already over the limit before this one. */
  const recordFailure = async (): Promise<boolean> => {
    const blocked = await guard.isBlocked(key);
    await guard.recordFailure(key);
    if (blocked) deps.logger.warn({ serviceId, clientId }, "grant redemptions failing repeatedly: possible guessing");
    return blocked;
  };
  let outcome: T;
  try {
    outcome = await redeem();
  } catch (error) {
    if (error instanceof OAuthError && error.error === "invalid_grant" && (await recordFailure())) throw blockedError();
    throw error;
  }
  if (isInvalidGrant(outcome)) {
    if (await recordFailure()) throw blockedError();
  } else if (outcome.action === "OK") {
    await guard.reset(key);
  }
  return outcome;
}
