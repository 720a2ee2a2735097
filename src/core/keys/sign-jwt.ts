import { type CompactJWSHeaderParameters, CompactSign } from "jose";
import type { SigningKey } from "./signer.js";

const encoder = new TextEncoder();

/** Claims that RFC 7519 §2 defines as NumericDate. */
const numericDateClaims = ["iat", "nbf", "exp"] as const;

/**
 * Signs `claims` as a compact JWS (a JWT) with the protected header `{...extraHeader, alg, kid, typ}`,
 * `kid` left out for a key without one (a client secret) and `typ` when null. Every JWT Tessera issues goes through here.
 *
 * jose's `CompactSign` rather than `SignJWT`: `SignJWT` deep-copies the claims with `structuredClone`
 * and keeps them in a builder before serialising, about an eighth of the main-thread CPU of a
 * signature, and the copy protects nothing here: every claim set is a fresh object nobody else holds.
 * The check `SignJWT` makes at signing time stays: a NumericDate that is not a finite number would
 * serialise as `null`, a JWT that never expires. The key records the JWT's expiry while it signs
 * (`recordUse`), so a rotation keeps it published until the JWT has expired.
 */
export async function signJwt(
  signingKey: SigningKey,
  typ: string | null,
  claims: Record<string, unknown>,
  extraHeader?: Record<string, unknown>,
): Promise<string> {
  for (const claim of numericDateClaims) {
    const value = claims[claim];
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError(`"${claim}" claim must be a finite number`);
  }
  const header: CompactJWSHeaderParameters = { ...extraHeader, alg: signingKey.alg };
  if (signingKey.kid !== null) header.kid = signingKey.kid;
  if (typ !== null) header.typ = typ;
  const signing = new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader(header).sign(signingKey.key);
  const recording = signingKey.recordUse(typeof claims.exp === "number" ? claims.exp * 1000 : null);
  return recording ? (await Promise.all([signing, recording]))[0] : signing;
}
