import { protocolClaims } from "../claims/standard-claims.js";
import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { signJwt } from "../keys/sign-jwt.js";
import { clientSigningKey } from "../keys/client-signing-key.js";
import { mergeClaims, parseJsonObject } from "./jwt-claims.js";
import { idTokenLifetime } from "./lifetimes.js";
import { subjectForClient } from "./subject.js";
import { halfHash } from "./token-hash.js";

export interface IdTokenInput {
  service: Service;
  client: Client;
  /** The local subject (user id at the login server). */
  subject: string;
  /** Override of the `sub` claim chosen by the login server; wins over public/pairwise derivation. */
  sub?: string | null;
  nonce?: string | null;
  /** Seconds since epoch. */
  authTime?: number | null;
  acr?: string | null;
  /** User claims (name, email, …) to include; never replaces the protocol claims. */
  claims?: Record<string, unknown> | null;
  /** Given when an access token is returned alongside the ID token → `at_hash`. */
  accessToken?: string | null;
  /** Given when a code is returned alongside the ID token (hybrid flow) → `c_hash`. */
  authorizationCode?: string | null;
  /** Given when `state` is returned alongside the ID token → `s_hash`. */
  state?: string | null;
  /** JSON object of extra JWS header parameters; may not change alg, kid or typ. */
  idtHeaderParams?: string | null;
  /** CIBA push mode (CIBA Core §10.3.1): the `auth_req_id` the tokens answer → `urn:openid:params:jwt:claim:auth_req_id`. */
  authReqId?: string | null;
  /** CIBA push mode (CIBA Core §10.3.1): the refresh token delivered with the ID token → `urn:openid:params:jwt:claim:rt_hash`. */
  refreshToken?: string | null;
  /** The login session the tokens belong to (OpenID Connect Native SSO §3.3) → `sid`. */
  sessionId?: string | null;
  /** The hash of the device secret handed out with the ID token (OpenID Connect Native SSO §3.3) → `ds_hash`. */
  deviceSecretHash?: string | null;
  /** The shape of `aud`: one string or an array of that one string; absent: the service's `idTokenAudType`, else one string. */
  audType?: IdTokenAudType | null;
}

/** Authlete's `idTokenAudType`. */
export type IdTokenAudType = "array" | "string";

/** Header parameters the caller may not set: ours, and ones that change how the JWS is processed. */
const protectedHeaderParams = new Set(["alg", "kid", "typ", "crit", "b64", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256"]);

/**
 * An OpenID Connect ID token (OIDC Core §2): iss, sub (public, pairwise or the `sub` override), aud =
 * the client id (alone or in an array: `audType`, else the service's `idTokenAudType`), exp (`idTokenDuration`), iat, auth_time when known, nonce when the request carried
 * one, acr, azp, the hashes of the artefacts returned with it, and Native SSO's sid and ds_hash. Signed with the client's
 * `idTokenSignAlg`: by the service's active key (`kid` in the header), or for HS* with the client
 * secret (OIDC Core §10.1); `typ: JWT`.
 */
export async function createIdToken(deps: CoreDeps, input: IdTokenInput): Promise<string> {
  const { service, client } = input;
  const signingKey = await clientSigningKey(deps, client, client.idTokenSignAlg);
  const { alg } = signingKey;
  const now = Math.floor(deps.now() / 1000);

  const claims: Record<string, unknown> = {
    iss: service.issuer,
    sub: input.sub || subjectForClient(deps, service, client, input.subject),
    aud: (input.audType ?? service.idTokenAudType) === "array" ? [client.clientIdAlias] : client.clientIdAlias,
    exp: now + idTokenLifetime(service, client),
    iat: now,
  };
  if (input.authTime !== null && input.authTime !== undefined) claims.auth_time = input.authTime;
  if (input.nonce) claims.nonce = input.nonce;
  if (input.acr) claims.acr = input.acr;
  claims.azp = client.clientIdAlias;
  if (input.accessToken) claims.at_hash = halfHash(input.accessToken, alg);
  if (input.authorizationCode) claims.c_hash = halfHash(input.authorizationCode, alg);
  if (input.state) claims.s_hash = halfHash(input.state, alg);
  if (input.authReqId) claims["urn:openid:params:jwt:claim:auth_req_id"] = input.authReqId;
  if (input.refreshToken) claims["urn:openid:params:jwt:claim:rt_hash"] = halfHash(input.refreshToken, alg);
  if (input.sessionId) claims.sid = input.sessionId;
  if (input.deviceSecretHash) claims.ds_hash = input.deviceSecretHash;
  mergeClaims(claims, input.claims ?? null, protocolClaims);

  const header: Record<string, unknown> = {};
  mergeClaims(header, parseJsonObject(input.idtHeaderParams), protectedHeaderParams);
  return signJwt(signingKey, "JWT", claims, header);
}

/**
 * `createIdToken` started now, to be awaited after the writes that follow: the signature is made
 * on the thread pool while the tokens are committed on the writer, so a token response waits for
 * the slower of the two rather than both. If the request fails before awaiting it, its rejection
 * is not reported as unhandled; awaiting it still throws.
 */
export function startIdToken(deps: CoreDeps, input: IdTokenInput): Promise<string> {
  const signing = createIdToken(deps, input);
  signing.catch(() => undefined);
  return signing;
}
