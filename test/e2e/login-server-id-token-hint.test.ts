import { exportJWK, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LoginServerContext } from "../../examples/login-server/context.js";
import { verifyIdTokenHint } from "../../examples/login-server/id-token-hint.js";
import { createTesseraClient } from "../../sdk/index.js";

/**
 * What the login server accepts as a logout `id_token_hint`: only an ID token of its issuer,
 * signed with a key of the service's JWK Set (read from Tessera's `service/jwks/get`). The same
 * keys sign JWT access tokens, introspection responses and UserInfo responses; none of them may
 * pass for an ID token. Tessera is played by a stub that counts the JWK Set reads.
 */

const issuer = "https://login.example.com";
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
let jwksReads = 0;
let ctx: LoginServerContext;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" }] };
  const tessera = createTesseraClient({
    baseUrl: "http://tessera.invalid",
    apiToken: "t",
    fetch: async (request) => {
      expect(new URL(request.url).pathname).toBe("/api/1/service/jwks/get");
      jwksReads++;
      return Response.json(jwks);
    },
  });
  ctx = { tessera, serviceId: "1", issuer } as LoginServerContext;
});
beforeEach(() => {
  jwksReads = 0;
});

const now = () => Math.floor(Date.now() / 1000);
const idTokenClaims = (): JWTPayload => ({ iss: issuer, sub: "user-1", aud: "client-a", iat: now(), exp: now() + 600 });

async function signed(claims: JWTPayload, header: Record<string, unknown> = { typ: "JWT" }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1", ...header }).sign(privateKey);
}

describe("verifyIdTokenHint", () => {
  it("accepts our ID token, with typ JWT or without typ, expired or not", async () => {
    expect(await verifyIdTokenHint(ctx, await signed(idTokenClaims()))).toEqual({ sub: "user-1", aud: ["client-a"] });
    expect(await verifyIdTokenHint(ctx, await signed({ ...idTokenClaims(), azp: "client-a" }, {}))).toEqual({ sub: "user-1", aud: ["client-a"], azp: "client-a" });
    const expired = await signed({ ...idTokenClaims(), iat: now() - 7200, exp: now() - 3600 });
    expect(await verifyIdTokenHint(ctx, expired)).toMatchObject({ sub: "user-1" });
  });

  it.each([
    ["a JWT access token (RFC 9068)", "at+jwt"],
    ["a JWT introspection response (RFC 9701)", "token-introspection+jwt"],
    ["a logout token", "logout+jwt"],
  ])("refuses %s by its typ, without asking Tessera", async (_what, typ) => {
    expect(await verifyIdTokenHint(ctx, await signed(idTokenClaims(), { typ }))).toBeNull();
    expect(jwksReads).toBe(0);
  });

  it.each([
    ["a signed UserInfo response (no exp)", { iss: issuer, sub: "user-1", aud: "client-a", iat: now() }],
    ["no sub", { iss: issuer, aud: "client-a", iat: now(), exp: now() + 600 }],
    ["no aud", { iss: issuer, sub: "user-1", iat: now(), exp: now() + 600 }],
    ["an empty aud", { iss: issuer, sub: "user-1", aud: [], iat: now(), exp: now() + 600 }],
    ["no iat", { iss: issuer, sub: "user-1", aud: "client-a", exp: now() + 600 }],
    ["another issuer", { ...idTokenClaims(), iss: "https://elsewhere.example" }],
  ])("refuses a token of our keys with %s", async (_what, claims) => {
    expect(await verifyIdTokenHint(ctx, await signed(claims as JWTPayload))).toBeNull();
  });

  it("refuses a foreign key, alg none and a tampered payload", async () => {
    const { privateKey: foreign } = await generateKeyPair("ES256");
    const foreignToken = await new SignJWT(idTokenClaims()).setProtectedHeader({ alg: "ES256", kid: "k1", typ: "JWT" }).sign(foreign);
    const unsigned = new UnsecuredJWT(idTokenClaims()).encode();
    const [header, , signature] = (await signed(idTokenClaims())).split(".");
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...idTokenClaims(), sub: "admin" })).toString("base64url")}.${signature}`;
    for (const token of [foreignToken, unsigned, tampered]) expect(await verifyIdTokenHint(ctx, token)).toBeNull();
  });

  it.each(["not-a-jwt", "", "a.b.c", "%%%.%%%.%%%"])("refuses %j without asking Tessera", async (token) => {
    expect(await verifyIdTokenHint(ctx, token)).toBeNull();
    expect(jwksReads).toBe(0);
  });
});
