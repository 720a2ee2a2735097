import { randomUUID } from "node:crypto";
import { type CryptoKey, type JWK, SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./stack.js";

/**
 * The JWT bearer grant end to end (RFC 7523 §2.1): a client sends an assertion signed by a trusted
 * issuer's key (one this test makes) to the reference login server's token endpoint; the login server
 * forwards it to Tessera, which verifies it and answers JWT_BEARER; the login server issues with
 * /auth/token/create for the assertion's subject and answers the client. A replayed or foreign
 * assertion is invalid_grant, relayed as Tessera wrote it.
 */
const IDP = "https://partner-idp.example.com";

let stack: Stack;
let signingKey: CryptoKey;
let publicJwk: JWK;
let client: { alias: string; secret: string };

async function assertionFor(subject: string, key = signingKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: subject, jti: randomUUID() })
    .setProtectedHeader({ alg: "ES256", kid: "partner-1" })
    .setIssuer(IDP)
    .setAudience(stack.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 120)
    .sign(key);
}

function redeem(assertion: string, scope = "read"): Promise<Response> {
  return fetch(`${stack.issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${client.alias}:${client.secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, scope }),
  });
}

beforeAll(async () => {
  stack = await startStack();
  const pair = await generateKeyPair("ES256");
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "partner-1", alg: "ES256", use: "sig" };
  const updated = await stack.admin.POST("/api/{serviceId}/service/update", {
    params: { path: { serviceId: stack.serviceId } },
    body: {
      supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD", "JWT_BEARER"],
      supportedScopes: [
        { name: "openid", defaultEntry: false },
        { name: "read", defaultEntry: false },
      ],
      trustedIssuers: [{ issuer: IDP, jwks: JSON.stringify({ keys: [publicJwk] }) }],
    },
  });
  expect(updated.response.status, JSON.stringify(updated.error)).toBe(200);
  const { data } = await stack.admin.POST("/api/{serviceId}/client/create", {
    params: { path: { serviceId: stack.serviceId } },
    body: {
      clientName: "Partner backend",
      clientIdAlias: "partner-backend",
      clientType: "CONFIDENTIAL",
      grantTypes: ["JWT_BEARER"],
      responseTypes: [],
      redirectUris: [],
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
    },
  });
  client = { alias: data!.clientIdAlias!, secret: data!.clientSecret! };
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe("JWT bearer grant through the reference login server", () => {
  it("issues an access token for the assertion's subject, which introspects as that subject", async () => {
    const response = await redeem(await assertionFor("partner-user-7"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", scope: "read", access_token: expect.any(String), expires_in: expect.any(Number) });
    const introspected = await stack.admin.POST("/api/{serviceId}/auth/introspection", {
      params: { path: { serviceId: stack.serviceId } },
      body: { token: String(body.access_token) },
    });
    expect(introspected.data).toMatchObject({ action: "OK", subject: "partner-user-7", scopes: ["read"] });
  });

  it("refuses a replayed assertion and one signed by a key the issuer does not publish", async () => {
    const assertion = await assertionFor("partner-user-8");
    expect((await redeem(assertion)).status).toBe(200);
    const replayed = await redeem(assertion);
    expect(replayed.status).toBe(400);
    expect(await replayed.json()).toMatchObject({ error: "invalid_grant", error_description: "[A050396] The assertion's jti was used before." });

    const forged = await redeem(await assertionFor("partner-user-8", (await generateKeyPair("ES256")).privateKey));
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ error: "invalid_grant", error_description: "[A050392] The assertion's signature does not verify with its issuer's keys." });
  });
});
