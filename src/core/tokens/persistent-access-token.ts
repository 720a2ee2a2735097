import type { TokenDetails } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";

/**
 * A persistent access token (Authlete's `accessTokenPersistent` at `/auth/token/create` and
 * `/update`) never expires by time: it lasts until it is revoked or deleted. It is stored with this
 * expiry, 9999-12-31T23:59:59Z, rather than with a flag: every reader that compares an expiry with
 * the clock (introspection, userinfo, the token list's VALID, revocations, the authorized clients,
 * the janitor's clean-up) then treats it as live without a case of its own, and what they report
 * (`accessTokenExpiresAt`, introspection's `expiresAt` and `exp`) is the same date everywhere,
 * one a client can store and compare like any other expiry.
 */
export const persistentExpiresAt = Date.UTC(9999, 11, 31, 23, 59, 59);

/** An expiry at or beyond the persistent one (an explicit `accessTokenExpiresAt` may reach it too). */
export function isPersistentExpiry(expiresAt: number): boolean {
  return expiresAt >= persistentExpiresAt;
}

/**
 * Whether an access token is, or would be, an RFC 9068 JWT: its own record says so (`details.jwt`), or
 * the service signs access tokens now. The second covers tokens whose record predates the marker;
 * it also counts an opaque token of a service that switched to JWTs since, which errs on the side
 * of refusing. A JWT's `exp` and value are fixed once it is signed and handed out, so neither
 * persistence nor a new value can be given to it.
 */
export function isJwtAccessToken(service: Service, details: Pick<TokenDetails, "jwt"> | null): boolean {
  return details?.jwt === true || Boolean(service.accessTokenSignAlg);
}
