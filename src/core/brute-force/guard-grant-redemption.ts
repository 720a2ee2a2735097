import type { GrantType } from "../../domain/enums.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { clientAttemptKey } from "./brute-force-guards.js";

/** Grants that redeem something the client could guess: a code or a refresh token. */
const REDEEMING_GRANTS: ReadonlySet<GrantType> = new Set<GrantType>(["AUTHORIZATION_CODE", "REFRESH_TOKEN"]);

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
 * Limits how many authorization codes or refresh tokens one client may present in vain
 * (RFC 6749 §10.10 and RFC 9700 §4.x on guessing; SEC-150): each invalid_grant counts against the
 * client, and once its failures fill the window the next redemptions are refused with invalid_grant
 * before the presented code or token is even looked up — so a refused request consumes nothing.
 * A successful redemption clears the count. Other grant types pass straight through.
 */
export async function guardGrantRedemption<T extends RedemptionOutcome>(
  deps: CoreDeps,
  serviceId: number,
  clientId: number,
  grantType: GrantType,
  redeem: () => Promise<T>,
): Promise<T> {
  const guard = deps.bruteForce?.grantRedemption;
  if (!guard || !REDEEMING_GRANTS.has(grantType)) return redeem();
  const key = clientAttemptKey(serviceId, clientId);
  if (await guard.isBlocked(key)) {
    deps.logger.info({ serviceId, clientId }, "grant redemption refused: too many invalid_grant failures");
    throw new OAuthError(
      "invalid_grant",
      "Too many invalid grants were presented by this client; redemption is temporarily blocked. Try again later.",
      "grantRedemptionBlocked",
    );
  }
  let outcome: T;
  try {
    outcome = await redeem();
  } catch (error) {
    if (error instanceof OAuthError && error.error === "invalid_grant") await guard.recordFailure(key);
    throw error;
  }
  if (isInvalidGrant(outcome)) await guard.recordFailure(key);
  else if (outcome.action === "OK") await guard.reset(key);
  return outcome;
}
