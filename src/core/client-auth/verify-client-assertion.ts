import { decodeProtectedHeader, type JWTPayload, type JWTVerifyOptions, jwtVerify } from "jose";
import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { ClientKeysUnavailable, verifyWithClientKeys } from "../clients/client-key-set.js";
import type { CoreDeps } from "../context.js";

/**
 * Client assertions (RFC 7523 §3, OIDC Core §9) for CLIENT_SECRET_JWT and PRIVATE_KEY_JWT:
 * - the JWS alg is never `none`, is HS* for CLIENT_SECRET_JWT and asymmetric for PRIVATE_KEY_JWT,
 *   and equals the client's `tokenAuthSignAlg` when one is registered (SEC-060);
 * - signature by the client secret (HMAC) or by a key of the client's `jwks` / `jwksUri`; the set at
 *   `jwksUri` comes through the outbound-fetch module (public https targets only, size cap,
 *   deadline, cached within limits) and is fetched again for an unknown `kid` at most once a minute;
 * - iss = sub = the client's id; aud contains the issuer or the token endpoint URL (SEC-058), only the issuer when the service sets `clientAssertionAudRestrictedToIssuer`;
 * - exp present and not past, iat / nbf not in the future, allowing `allowableClockSkew`;
 * - the assertion may not live longer than `MAX_ASSERTION_LIFETIME_S`, which also bounds how long its jti is kept;
 * - jti present and used once (SEC-057).
 * Every failure is reported to the client as the same `invalid_client`; the reason goes to the log.
 * Only a key set that cannot be fetched (`ClientKeysUnavailable`) is described, since that is a
 * fault of the client's registration the client must be able to see.
 */
export class AssertionRejected extends Error {
  override readonly name = "AssertionRejected";
}

const MAX_ASSERTION_LIFETIME_S = 3600;
const HMAC_ALGS = ["HS256", "HS384", "HS512"];
const ASYMMETRIC_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

function allowedAlgorithms(client: Client, family: readonly string[]): string[] {
  const registered = client.tokenAuthSignAlg;
  if (!registered || registered === "NONE") return [...family];
  return family.includes(registered) ? [registered] : [];
}

const verificationFailed = (error: unknown) => new AssertionRejected(`verification failed: ${error instanceof Error ? error.message : String(error)}`);

/** Verifies with the secret or the client's keys (`client-key-set.ts`). */
async function verifiedPayload(deps: CoreDeps, client: Client, assertion: string, secret: Uint8Array | null, options: JWTVerifyOptions): Promise<JWTPayload> {
  let payload: JWTPayload | null;
  try {
    payload = secret ? (await jwtVerify(assertion, secret, options)).payload : await verifyWithClientKeys(deps, client, assertion, options);
  } catch (error) {
    if (error instanceof ClientKeysUnavailable) throw error;
    throw verificationFailed(error);
  }
  if (!payload) throw new AssertionRejected("the client has neither jwks nor jwksUri");
  return payload;
}

export interface AssertionKeyMaterial {
  method: "CLIENT_SECRET_JWT" | "PRIVATE_KEY_JWT";
  /** The plaintext client secret, for CLIENT_SECRET_JWT. */
  secret?: string | null;
}

export async function verifyClientAssertion(
  deps: CoreDeps,
  service: Service,
  client: Client,
  assertion: string,
  material: AssertionKeyMaterial,
  endpointUrl: string | null,
): Promise<JWTPayload> {
  let headerAlg: string | undefined;
  try {
    headerAlg = decodeProtectedHeader(assertion).alg;
  } catch {
    throw new AssertionRejected("the assertion is not a JWS");
  }
  const algorithms = allowedAlgorithms(client, material.method === "CLIENT_SECRET_JWT" ? HMAC_ALGS : ASYMMETRIC_ALGS);
  if (!headerAlg || headerAlg.toLowerCase() === "none" || !algorithms.includes(headerAlg)) {
    throw new AssertionRejected(`alg ${headerAlg ?? "(missing)"} is not allowed for ${material.method}`);
  }

  const skew = service.allowableClockSkew;
  const audiences = service.clientAssertionAudRestrictedToIssuer
    ? [service.issuer]
    : [service.issuer, service.tokenEndpoint, endpointUrl].filter((v): v is string => Boolean(v));
  const identifiers = new Set([client.clientIdAlias, String(client.clientId)]);
  if (material.method === "CLIENT_SECRET_JWT" && !material.secret) throw new AssertionRejected("the client has no recoverable secret");
  const secret = material.method === "CLIENT_SECRET_JWT" ? new TextEncoder().encode(material.secret ?? "") : null;

  const options = {
    algorithms,
    audience: audiences,
    clockTolerance: skew,
    currentDate: new Date(deps.now()),
    requiredClaims: ["iss", "sub", "aud", "exp", "jti"],
  };
  const payload = await verifiedPayload(deps, client, assertion, secret, options);

  const nowS = Math.floor(deps.now() / 1000);
  if (typeof payload.iss !== "string" || !identifiers.has(payload.iss)) throw new AssertionRejected("iss is not the client id");
  if (payload.sub !== payload.iss) throw new AssertionRejected("sub differs from iss");
  if (typeof payload.iat === "number" && payload.iat > nowS + skew) throw new AssertionRejected("iat is in the future");
  const exp = payload.exp as number;
  if (exp - nowS > MAX_ASSERTION_LIFETIME_S + skew) throw new AssertionRejected("the assertion lives too long");
  const jti = payload.jti;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > 200) throw new AssertionRejected("jti is missing or too long");
  const fresh = await deps.store.useClientJwtId(service.serviceId, client.clientId, jti, (exp + skew) * 1000);
  if (!fresh) throw new AssertionRejected("jti was used before");
  return payload;
}
