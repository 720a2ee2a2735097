import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from "jose";
import type { Service } from "../../domain/service.js";
import type { TrustedIssuer } from "../../domain/trusted-issuers.js";
import type { CoreDeps } from "../context.js";
import { IssuedJwtRefused } from "./issued-jwt-refused.js";
import { TRUSTED_ISSUER_KEYS_REFRESH_AFTER_MS, trustedIssuerKeySet } from "./trusted-issuer-keys.js";

/** Public-key signatures only: a trusted issuer's keys are public (trusted-issuer-rules.ts), so an HMAC could never be checked. */
const ASYMMETRIC_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

export interface VerifiedIssuedJwt {
  issuer: TrustedIssuer;
  payload: JWTPayload;
}

/** The JWE compact serialization has five parts (RFC 7516 §7.1), the JWS one three. */
export function refuseNonJws(jwt: string): void {
  const parts = jwt.split(".").length;
  if (parts === 5) throw new IssuedJwtRefused("encrypted", "the JWT is encrypted (JWE)");
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(jwt).alg;
  } catch {
    throw new IssuedJwtRefused("malformed", "the value is not a JWT");
  }
  if (parts !== 3) throw new IssuedJwtRefused("malformed", "the value is not a JWT");
  if (typeof alg !== "string" || alg.toLowerCase() === "none") throw new IssuedJwtRefused("unsigned", "the JWT is not signed (alg none)");
}

const MAX_SHOWN_ISSUER = 200;

/** The trusted issuer its unverified `iss` names; the signature is then checked with that issuer's keys only. */
function claimedIssuer(service: Pick<Service, "trustedIssuers">, jwt: string): TrustedIssuer {
  let iss: unknown;
  try {
    iss = decodeJwt(jwt).iss;
  } catch {
    throw new IssuedJwtRefused("malformed", "the JWT payload is not a JSON object");
  }
  if (typeof iss !== "string") throw new IssuedJwtRefused("untrusted-issuer", "the JWT has no iss");
  const trusted = service.trustedIssuers?.find((entry) => entry.issuer === iss);
  // The claimed issuer is echoed to the client, and into resultMessage, so an oversized one is cut.
  const shown = iss.length > MAX_SHOWN_ISSUER ? `${iss.slice(0, MAX_SHOWN_ISSUER)}...` : iss;
  if (!trusted) throw new IssuedJwtRefused("untrusted-issuer", `the issuer ${shown} is not trusted by this service`);
  return trusted;
}

/** jose's verdict as a failure; anything jose did not decide (a bug, a crypto fault) propagates. */
export function refusal(error: unknown): IssuedJwtRefused {
  if (error instanceof errors.JWTExpired) return new IssuedJwtRefused("expired", "the JWT has expired (exp)");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return new IssuedJwtRefused("wrong-audience", "the JWT's aud names neither the issuer identifier nor the token endpoint of this service");
    if (error.claim === "nbf") return new IssuedJwtRefused("not-yet-valid", "the JWT is not valid yet (nbf)");
    if (error.claim === "exp") return new IssuedJwtRefused("exp-missing", "the JWT has no exp");
    return new IssuedJwtRefused("malformed", `the JWT's ${error.claim} claim is invalid`);
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported
  ) {
    return new IssuedJwtRefused("bad-signature", "the JWT's signature does not verify with the issuer's keys");
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return new IssuedJwtRefused("malformed", "the value is not a valid JWT");
  throw error;
}

/**
 * Verifies a JWT from one of the service's trusted issuers, with jose:
 * - a JWS (a JWE is refused: Tessera holds no key to decrypt what others encrypt to it) with an
 *   asymmetric alg, never `none` (RFC 7518 §3.6 makes unsecured JWTs a choice of the recipient; we refuse them);
 * - `iss` names a trusted issuer, and the signature verifies with that issuer's keys (inline or fetched,
 *   fetched once more when the set lacks the JWT's key and is older than a minute: the issuer may have rotated);
 * - `exp` present (unless `expOptional`) and not passed, `nbf` and `iat` not in the future, each allowing the
 *   service's `allowableClockSkew`;
 * - `aud` contains one of `audiences`; null checks no audience, for a JWT that was issued to someone
 *   else and is presented here as evidence (a token exchange's subject token, RFC 8693 §2.1).
 * What the claims mean beyond that (`sub`, `jti` replay, lifetime caps) is the caller's protocol.
 */
export async function verifyIssuedJwt(
  deps: Pick<CoreDeps, "outbound" | "now">,
  service: Pick<Service, "trustedIssuers" | "allowableClockSkew">,
  jwt: string,
  audiences: readonly string[] | null,
  { expOptional = false }: { expOptional?: boolean } = {},
): Promise<VerifiedIssuedJwt> {
  refuseNonJws(jwt);
  const issuer = claimedIssuer(service, jwt);
  const skew = service.allowableClockSkew;
  const options = {
    algorithms: ASYMMETRIC_ALGS,
    issuer: issuer.issuer,
    ...(audiences === null ? {} : { audience: [...audiences] }),
    clockTolerance: skew,
    currentDate: new Date(deps.now()),
    requiredClaims: expOptional ? [] : ["exp"],
  };
  let payload: JWTPayload;
  try {
    payload = (await jwtVerify(jwt, createLocalJWKSet(await trustedIssuerKeySet(deps, issuer)), options)).payload;
  } catch (error) {
    const refused = refusal(error);
    if (issuer.jwks != null || !(error instanceof errors.JWKSNoMatchingKey)) throw refused;
    try {
      const refreshed = await trustedIssuerKeySet(deps, issuer, TRUSTED_ISSUER_KEYS_REFRESH_AFTER_MS);
      payload = (await jwtVerify(jwt, createLocalJWKSet(refreshed), options)).payload;
    } catch (retryError) {
      throw retryError instanceof IssuedJwtRefused ? retryError : refusal(retryError);
    }
  }
  if (typeof payload.iat === "number" && payload.iat > Math.floor(deps.now() / 1000) + skew) {
    throw new IssuedJwtRefused("issued-in-future", "the JWT's iat is in the future");
  }
  return { issuer, payload };
}
