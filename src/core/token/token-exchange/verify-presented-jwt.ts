import { compactVerify, createLocalJWKSet, decodeJwt, type JWTPayload, jwtVerify } from "jose";
import type { Service } from "../../../domain/service.js";
import type { CoreDeps } from "../../context.js";
import { publicJwks } from "../../keys/public-jwks.js";
import { IssuedJwtRefused } from "../../trusted-issuers/issued-jwt-refused.js";
import { refusal, refuseNonJws, verifyIssuedJwt } from "../../trusted-issuers/verify-issued-jwt.js";
import type { PresentableTokenType } from "./token-types.js";

/** Tessera signs ID tokens with these (HS256 ID tokens are keyed by a client's secret, which a third party cannot check either). */
const SERVICE_KEY_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

async function serviceKeys(deps: CoreDeps, service: Service): Promise<ReturnType<typeof createLocalJWKSet>> {
  return createLocalJWKSet(publicJwks(await deps.store.listSigningKeys(service.serviceId), deps.now()));
}

/**
 * An ID token this service issued, whatever its age: a JWS (never alg none or a JWE) verified with
 * the keys the service publishes, its iss the service's issuer, its iat not in the future. Its exp is
 * not checked: Native SSO's token exchange presents the ID token an app kept since its login, and
 * the proof of a live session is the device secret, which the session must hold (§4.4).
 */
export async function verifyOwnIdTokenOfAnyAge(deps: CoreDeps, service: Service, jwt: string): Promise<JWTPayload> {
  refuseNonJws(jwt);
  let payload: JWTPayload;
  try {
    await compactVerify(jwt, await serviceKeys(deps, service), { algorithms: SERVICE_KEY_ALGS });
    payload = decodeJwt(jwt);
  } catch (error) {
    throw refusal(error);
  }
  if (payload.iss !== service.issuer) throw new IssuedJwtRefused("untrusted-issuer", "its iss is not this service's issuer");
  if (typeof payload.iat === "number" && payload.iat > Math.floor(deps.now() / 1000) + service.allowableClockSkew) {
    throw new IssuedJwtRefused("issued-in-future", "the JWT's iat is in the future");
  }
  return payload;
}

/**
 * An ID token this service issued, verified with the keys it publishes (a revoked or retired key no
 * longer verifies): exp present and not passed, nbf/iat with the clock skew. Its aud is the client
 * it was issued to, which need not be the client exchanging it (RFC 8693 §1.1: the holder presents
 * what it received), so no aud is required.
 */
async function verifyOwnIdToken(deps: CoreDeps, service: Service, jwt: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(jwt, await serviceKeys(deps, service), {
      algorithms: SERVICE_KEY_ALGS,
      issuer: service.issuer,
      clockTolerance: service.allowableClockSkew,
      currentDate: new Date(deps.now()),
      requiredClaims: ["exp"],
    });
    if (typeof payload.iat === "number" && payload.iat > Math.floor(deps.now() / 1000) + service.allowableClockSkew) {
      throw new IssuedJwtRefused("issued-in-future", "the JWT's iat is in the future");
    }
    return payload;
  } catch (error) {
    throw error instanceof IssuedJwtRefused ? error : refusal(error);
  }
}

/**
 * A subject or actor token of type id_token or jwt: a JWS, never alg none or a JWE, verified with
 * jose. An ID token whose iss is this service's issuer is checked with the service's own keys; any
 * other JWT against the service's trustedIssuers, without an aud requirement (the token was issued
 * to whoever presents it, not to this service). Failures are `IssuedJwtRefused`.
 */
export async function verifyPresentedJwt(deps: CoreDeps, service: Service, type: Extract<PresentableTokenType, "ID_TOKEN" | "JWT">, jwt: string): Promise<JWTPayload> {
  refuseNonJws(jwt);
  let iss: unknown;
  try {
    iss = decodeJwt(jwt).iss;
  } catch {
    throw new IssuedJwtRefused("malformed", "the JWT payload is not a JSON object");
  }
  if (type === "ID_TOKEN" && iss === service.issuer) return verifyOwnIdToken(deps, service, jwt);
  return (await verifyIssuedJwt(deps, service, jwt, null)).payload;
}
