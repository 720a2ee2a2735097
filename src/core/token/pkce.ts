import { hash } from "node:crypto";
import { safeEqual } from "../../crypto/secrets.js";
import { OAuthError } from "../oauth-error.js";

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * PKCE at the token endpoint (RFC 7636 §4.5, §4.6; RFC 9700 §2.1.1, §4.8.2):
 * - a challenge was registered with the code → `code_verifier` is required (SEC-036);
 * - the verifier is 43–128 unreserved characters (§4.1);
 * - S256: BASE64URL(SHA256(verifier)) equals the challenge; plain: verifier equals the challenge (SEC-037);
 * - no challenge but a verifier → rejected, to stop PKCE downgrade (SEC-038).
 * Every failure is invalid_grant.
 */
export function verifyPkce(challenge: string | null, method: "plain" | "S256" | null, verifier: string | undefined): void {
  const failed = (why: string): never => {
    throw new OAuthError("invalid_grant", `PKCE verification failed: ${why}.`, "tokenPkceFailed");
  };
  if (challenge === null) {
    if (verifier !== undefined) failed("code_verifier was sent but the authorization request had no code_challenge");
    return;
  }
  if (verifier === undefined) {
    failed("code_verifier is missing");
    return;
  }
  if (!VERIFIER.test(verifier)) failed("code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
  const derived = (method ?? "plain") === "S256" ? hash("sha256", verifier, "base64url") : verifier;
  if (!safeEqual(derived, challenge)) failed("code_verifier does not match code_challenge");
}
