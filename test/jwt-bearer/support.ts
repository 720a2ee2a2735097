import { randomUUID } from "node:crypto";
import { type CryptoKey, type JWK, type JWTPayload, SignJWT, exportJWK, generateKeyPair } from "jose";
import { expect } from "vitest";
import type { ApiBody } from "../helpers/app.js";
import { type TokenFixture, content } from "../token/support.js";

export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
export const IDP = "https://idp.example.com";

/** A trusted issuer's key pair: the private key signs assertions, the public JWK goes into the service's trustedIssuers. */
export interface IssuerKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function issuerKey(kid = "idp-1"): Promise<IssuerKey> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
}

export const jwksOf = (...keys: IssuerKey[]) => JSON.stringify({ keys: keys.map((key) => key.jwk) });

/**
 * An RFC 7523 §3 assertion for `audience`, valid now on the fixture's clock for a minute, with a
 * fresh jti; `claims` override or (as undefined) remove claims.
 */
export async function assertion(
  now: number,
  key: IssuerKey,
  audience: string,
  claims: Partial<Record<keyof JWTPayload, unknown>> = {},
): Promise<string> {
  const nowS = Math.floor(now / 1000);
  const payload: Record<string, unknown> = { iss: IDP, sub: "alice@idp", aud: audience, iat: nowS, exp: nowS + 60, jti: randomUUID(), ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: "ES256", kid: key.jwk.kid! }).sign(key.privateKey);
}

/** The token request of the grant, at whatever answers token requests (a fixture, or one node of several). */
export function grantCall(f: Pick<TokenFixture, "tokenCall">, clientAlias: string, jwt: string, extra: Record<string, string> = {}) {
  return f.tokenCall({ grant_type: JWT_BEARER, assertion: jwt, client_id: clientAlias, ...extra });
}

/** The exact refusal: BAD_REQUEST with invalid_grant (or `error`), the result code and the description after it. */
export function expectRefused(res: { status: number; body: ApiBody }, resultCode: string, description: string, error = "invalid_grant") {
  expect(res.status).toBe(200);
  expect(res.body.resultCode, JSON.stringify(res.body)).toBe(resultCode);
  expect(res.body.action).toBe(error === "invalid_client" ? "INVALID_CLIENT" : "BAD_REQUEST");
  expect(content(res.body)).toMatchObject({ error, error_description: `[${resultCode}] ${description}` });
}
