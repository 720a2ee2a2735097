import {
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
} from "jose";
import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";

/**
 * Client assertions (RFC 7523 §3, OIDC Core §9) for CLIENT_SECRET_JWT and PRIVATE_KEY_JWT:
 * - the JWS alg is never `none`, is HS* for CLIENT_SECRET_JWT and asymmetric for PRIVATE_KEY_JWT,
 *   and equals the client's `tokenAuthSignAlg` when one is registered (SEC-060);
 * - signature by the client secret (HMAC) or by a key of the client's `jwks` / `jwksUri`;
 * - iss = sub = the client's id; aud contains the issuer or the token endpoint URL (SEC-058);
 * - exp present and not past, iat / nbf not in the future, allowing `allowableClockSkew`;
 * - the assertion may not live longer than `MAX_ASSERTION_LIFETIME_S`, which also bounds how long its jti is kept;
 * - jti present and used once (SEC-057).
 * Every failure is reported to the client as the same `invalid_client`; the reason goes to the log.
 */
export class AssertionRejected extends Error {
  override readonly name = "AssertionRejected";
}

const MAX_ASSERTION_LIFETIME_S = 3600;
const HMAC_ALGS = ["HS256", "HS384", "HS512"];
const ASYMMETRIC_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

/** Remote key sets by URI; jose caches and refreshes each one on unknown `kid`s. */
const remoteKeySets = new Map<string, JWTVerifyGetKey>();

function remoteKeySet(uri: string): JWTVerifyGetKey {
  let set = remoteKeySets.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    remoteKeySets.set(uri, set);
  }
  return set;
}

function allowedAlgorithms(client: Client, family: readonly string[]): string[] {
  const registered = client.tokenAuthSignAlg;
  if (!registered || registered === "NONE") return [...family];
  return family.includes(registered) ? [registered] : [];
}

function clientKeys(client: Client): JWTVerifyGetKey | Uint8Array {
  if (client.jwks) {
    let parsed: JSONWebKeySet;
    try {
      parsed = JSON.parse(client.jwks) as JSONWebKeySet;
    } catch {
      throw new AssertionRejected("the client's registered jwks is not valid JSON");
    }
    return createLocalJWKSet(parsed);
  }
  if (client.jwksUri) return remoteKeySet(client.jwksUri);
  throw new AssertionRejected("the client has neither jwks nor jwksUri");
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
  const audiences = [service.issuer, service.tokenEndpoint, endpointUrl].filter((v): v is string => Boolean(v));
  const identifiers = new Set([client.clientIdAlias, String(client.clientId)]);
  const key = material.method === "CLIENT_SECRET_JWT" ? new TextEncoder().encode(material.secret ?? "") : clientKeys(client);
  if (material.method === "CLIENT_SECRET_JWT" && !material.secret) throw new AssertionRejected("the client has no recoverable secret");

  const options = {
    algorithms,
    audience: audiences,
    clockTolerance: skew,
    currentDate: new Date(deps.now()),
    requiredClaims: ["iss", "sub", "aud", "exp", "jti"],
  };
  let payload: JWTPayload;
  try {
    // Two calls because jose types a key and a key-resolving function through different overloads.
    const verified = key instanceof Uint8Array ? await jwtVerify(assertion, key, options) : await jwtVerify(assertion, key, options);
    payload = verified.payload;
  } catch (error) {
    throw new AssertionRejected(`verification failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const nowS = Math.floor(deps.now() / 1000);
  if (typeof payload.iss !== "string" || !identifiers.has(payload.iss)) throw new AssertionRejected("iss is not the client id");
  if (payload.sub !== payload.iss) throw new AssertionRejected("sub differs from iss");
  if (typeof payload.iat === "number" && payload.iat > nowS + skew) throw new AssertionRejected("iat is in the future");
  const exp = payload.exp as number;
  if (exp - nowS > MAX_ASSERTION_LIFETIME_S + skew) throw new AssertionRejected("the assertion lives too long");
  const jti = payload.jti;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > 200) throw new AssertionRejected("jti is missing or too long");
  const fresh = await deps.store.useClientAssertionJti(service.apiKey, client.clientId, jti, (exp + skew) * 1000);
  if (!fresh) throw new AssertionRejected("jti was used before");
  return payload;
}
