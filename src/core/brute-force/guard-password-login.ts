import { sha256 } from "../../crypto/secrets.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";

/**
 * Limits password guessing through the resource owner password grant (RFC 6749 §4.3.2 and §10.10:
 * the server MUST protect the endpoint against brute force; RFC 9700 §4.x). Tessera never sees
 * whether a password was right; the login server tells it by calling `/auth/token/fail` with
 * INVALID_RESOURCE_OWNER_CREDENTIALS or `/auth/token/issue`. The count is kept per service and
 * username (as its SHA-256, so the counter holds no user names); the ticket carries the hash from
 * `/auth/token` to those calls.
 */

/**
 * The hash a password ticket carries to identify the username without storing it. The username is
 * first put in one canonical form (Unicode NFKC, surrounding white space dropped, lower case), so
 * `Alice`, ` alice ` and the full-width `ａｌｉｃｅ` share one failure count: otherwise an attacker
 * could try a password list against one account under each spelling the login server accepts
 * (issue 12 item 19). A login server whose usernames differ only in case shares their counts too,
 * which errs on the side of blocking. A login server that accepts other aliases for one account
 * (an email address and a login name) must send the canonical one in `username` (docs/rate-limits.md).
 */
export function usernameHash(username: string): string {
  return sha256(username.normalize("NFKC").trim().toLowerCase());
}

function key(serviceId: number, hash: string): string {
  return `${serviceId}:${hash}`;
}

/** Throws invalid_grant when the username has used up its failures: no ticket is issued, no credentials are relayed. */
export async function refuseBlockedPasswordLogin(deps: CoreDeps, serviceId: number, hash: string): Promise<void> {
  const guard = deps.bruteForce?.passwordLogin;
  if (!guard || !(await guard.isBlocked(key(serviceId, hash)))) return;
  deps.logger.info({ serviceId }, "password grant refused: too many failed logins for the username");
  throw new OAuthError(
    "invalid_grant",
    "Too many failed logins for this user; the password grant is temporarily blocked. Try again later.",
    "passwordLoginBlocked",
  );
}

/** `/auth/token/fail` with INVALID_RESOURCE_OWNER_CREDENTIALS: one more failure for the username. */
export async function recordPasswordLoginFailure(deps: CoreDeps, serviceId: number, hash: string | undefined): Promise<void> {
  if (hash !== undefined) await deps.bruteForce?.passwordLogin.recordFailure(key(serviceId, hash));
}

/** `/auth/token/issue`: the login server accepted the credentials. */
export async function clearPasswordLoginFailures(deps: CoreDeps, serviceId: number, hash: string | undefined): Promise<void> {
  if (hash !== undefined) await deps.bruteForce?.passwordLogin.reset(key(serviceId, hash));
}
