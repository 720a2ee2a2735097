import { createHash, KeyObject, randomUUID, sign } from "node:crypto";
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/**
 * DPoP proofs (RFC 9449 §4.2) for tests: a key pair that a client would hold, and proofs signed with
 * it, any header member or claim overridden or removed, so a test can build every broken proof the
 * verifier must refuse. Shared by the DPoP unit tests, the endpoint tests and the end-to-end tests.
 */

export interface DpopKey {
  alg: string;
  privateKey: CryptoKey;
  /** The public JWK the proof carries in its `jwk` header. */
  publicJwk: JWK;
  /** Its RFC 7638 SHA-256 thumbprint (base64url): what `cnf.jkt` and `dpop_jkt` hold. */
  jkt: string;
}

/** A fresh key pair for `alg` (ES256 by default). */
export async function makeDpopKey(alg = "ES256"): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { alg, privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, "sha256") };
}

/** `ath` (RFC 9449 §4.2): base64url of the SHA-256 of the access token's ASCII bytes. */
export function accessTokenHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "ascii").digest("base64url");
}

export interface DpopProofOptions {
  key: DpopKey;
  htm?: string;
  htu?: string;
  /** The `ath` claim; pass `accessToken` instead to have it computed. */
  ath?: string;
  accessToken?: string;
  nonce?: string;
  /** Seconds since the epoch; default now (`now`, else the real clock). */
  iat?: number;
  /** Epoch milliseconds the default `iat` is taken from (a test clock). */
  now?: number;
  jti?: string;
  /** Members merged over the header (`typ`, `alg`, `jwk`); `undefined` removes one. */
  header?: Record<string, unknown>;
  /** Claims merged over the payload; `undefined` removes one. */
  claims?: Record<string, unknown>;
  /** Signs with this key instead of `key.privateKey` (the header still carries `key`'s jwk unless overridden). */
  signWith?: CryptoKey | Uint8Array;
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** A DPoP proof JWT: by default a valid one for POST https://server.example/token, issued now. */
export async function makeDpopProof(options: DpopProofOptions): Promise<string> {
  const { key } = options;
  const header = withoutUndefined({ typ: "dpop+jwt", alg: key.alg, jwk: key.publicJwk, ...options.header });
  const ath = options.ath ?? (options.accessToken === undefined ? undefined : accessTokenHash(options.accessToken));
  const payload = withoutUndefined({
    jti: options.jti ?? randomUUID(),
    htm: options.htm ?? "POST",
    htu: options.htu ?? "https://server.example/token",
    iat: options.iat ?? Math.floor((options.now ?? Date.now()) / 1000),
    ath,
    nonce: options.nonce,
    ...options.claims,
  });
  // SignJWT types the header as JWTHeaderParameters; tests deliberately send ill-typed members.
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(options.signWith ?? key.privateKey);
}

/** An unsecured JWS (`alg: none`, empty signature, RFC 7515 Appendix A.5) with the given header and payload. */
export function unsecuredJws(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part(header)}.${part(payload)}.`;
}

/**
 * A JWS signed with node:crypto, without jose's checks: for what jose refuses to produce (a `crit`
 * header, an RSA key under 2048 bits). RS256 or ES256 only.
 */
export function signJwsUnchecked(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateKey: CryptoKey | KeyObject,
  alg: "RS256" | "ES256",
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part(header)}.${part(payload)}`;
  const key = privateKey instanceof KeyObject ? privateKey : KeyObject.from(privateKey);
  const signature = sign("sha256", Buffer.from(input), alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : key);
  return `${input}.${signature.toString("base64url")}`;
}
